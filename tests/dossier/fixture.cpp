#include "fixture.hpp"

#include "eth/http_transport.hpp"
#include "ipfs/local_content_store.hpp"

namespace dossier::test {

CoreFixture::CoreFixture() : admin_(eth::PrivateKey::from_hex(Anvil::kDevKey)) {
    core::Config config;
    config.data_dir = dir_.path();
    config.rpc_url = anvil_.url();
    auto rpc = std::make_unique<eth::RpcClient>(std::make_unique<eth::HttpTransport>(anvil_.url()));
    chain::Manifest manifest;
    {
        eth::TxSender deployer(*rpc, admin_.clone());  // a short-lived sender; admin_ stays the fixture's
        manifest = chain::deploy_contracts(*rpc, deployer, admin_.address());
    }
    auto store = std::make_unique<ipfs::LocalContentStore>(config.ipfs_dir());
    ctx_ = std::make_unique<core::Context>(config, std::move(rpc), std::move(manifest), std::move(store), nullptr);
}

CoreFixture::~CoreFixture() = default;

eth::PrivateKey CoreFixture::funded_key() {
    auto key = eth::PrivateKey::generate();
    eth::TxRequest fund;
    fund.to = key.address();
    fund.value = eth::U256(10) * eth::U256(1'000'000'000'000'000'000ULL);
    (void)ctx_->sender(admin_).send_and_wait(fund);
    return key;
}

}  // namespace dossier::test
