#include "dossier/context.hpp"

#include "chain/anvil_node.hpp"
#include "dossier/node.hpp"
#include "eth/http_transport.hpp"
#include "ipfs/kubo_client.hpp"
#include "ipfs/local_content_store.hpp"

namespace dossier::core {

std::unique_ptr<Context> Context::open(const Config& config) {
    std::string url;
    std::unique_ptr<chain::TxJournal> journal;
    if (config.embedded_chain()) {
        const auto node = chain::find_anvil(config.node_dir());
        if (!node)
            throw Error(ErrorCode::node_unavailable, "the embedded node is not running in '" + config.data_dir.string() +
                                                     "'", "NodeNotRunning");
        url = node->url;
        journal = std::make_unique<chain::TxJournal>(config.journal_file());
    } else {
        url = *config.rpc_url;
    }
    auto rpc = std::make_unique<eth::RpcClient>(std::make_unique<eth::HttpTransport>(url));
    chain::Manifest manifest = chain::Manifest::load(config.manifest_path());
    if (config.chain_id && *config.chain_id != manifest.chain_id)
        throw chain::ManifestError("the expected chain id " + std::to_string(*config.chain_id) +
                                   " does not match the deployment manifest's chain " + std::to_string(manifest.chain_id));
    // The embedded blockstore admits one process at a time, and the node's gateway daemon holds it
    // while it runs: go through the gateway's Kubo RPC API then, and open the store directly only
    // when no gateway runs.
    std::optional<std::string> ipfs_api = config.ipfs_api;
    if (!ipfs_api) ipfs_api = running_gateway_url(config);
    std::unique_ptr<ipfs::ContentStore> store;
    if (ipfs_api) store = std::make_unique<ipfs::KuboClient>(*ipfs_api);
    else store = std::make_unique<ipfs::LocalContentStore>(config.ipfs_dir());
    auto ctx = std::make_unique<Context>(config, std::move(rpc), std::move(manifest), std::move(store), std::move(journal));
    ctx->contracts().verify_deployment();
    return ctx;
}

Context::Context(Config config, std::unique_ptr<eth::RpcClient> rpc, chain::Manifest manifest,
                 std::unique_ptr<ipfs::ContentStore> store, std::unique_ptr<chain::TxJournal> journal)
    : config_(std::move(config)),
      rpc_(std::move(rpc)),
      contracts_(*rpc_, std::move(manifest)),
      store_(std::move(store)),
      journal_(std::move(journal)) {}

Context::~Context() = default;

eth::TxSender& Context::sender(const eth::PrivateKey& key) { return *shared_sender(key); }

std::shared_ptr<eth::TxSender> Context::shared_sender(const eth::PrivateKey& key) {
    const eth::Address address = key.address();
    const std::lock_guard lock(senders_mutex_);
    auto it = senders_.find(address);
    if (it != senders_.end()) return it->second;
    eth::TxSenderOptions options;
    options.expected_chain_id = contracts_.manifest().chain_id;  // sign for the deployment's chain only
    if (journal_) {
        chain::TxJournal* journal = journal_.get();
        options.on_signed = [journal](const eth::Transaction& tx, const eth::SignedTransaction& signed_tx) {
            journal->append(chain::JournalEntry{signed_tx.hash, signed_tx.from, tx.nonce, signed_tx.raw});
        };
    }
    // The sender is kept for later calls (its nonces), beyond the caller's key: it holds a copy,
    // wiped when drop_sender() or the Context destroys it.
    auto sender = std::make_shared<eth::TxSender>(*rpc_, key.clone(), std::move(options));
    return senders_.emplace(address, std::move(sender)).first->second;
}

void Context::drop_sender(const eth::Address& account) {
    const std::lock_guard lock(senders_mutex_);
    senders_.erase(account);
}

std::uint64_t Context::chain_time() {
    const auto block = rpc_->get_block(eth::BlockRef::latest());
    if (!block) throw Error(ErrorCode::node_unavailable, "the node returned no latest block");
    return block->timestamp;
}

}  // namespace dossier::core
