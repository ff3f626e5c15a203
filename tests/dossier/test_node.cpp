// The embedded node against the real thing: anvil with --state persistence, the contracts
// deployed from the dev account, journaled transactions through Context, kill -9 and recovery,
// and the IPFS gateway as a detached daemon: the dossier-gateway program, which node_up finds and
// starts from this test program as from any other (no `dossier` command involved).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <thread>

#include "base/hex.hpp"
#include "chain/anvil_node.hpp"
#include "dossier/accounts.hpp"
#include "dossier/context.hpp"
#include "dossier/node.hpp"
#include "eth/keystore.hpp"
#include "ipfs/kubo_client.hpp"
#include "ipfs/local_content_store.hpp"
#include "support/anvil.hpp"
#include "support/error_code.hpp"

using namespace dossier;
namespace fs = std::filesystem;
namespace gen = chain::gen;

namespace {

/// A data directory whose node is brought down (or killed) whatever the test's outcome.
struct DataDir {
    test::TempDir dir;
    core::Config config;
    DataDir() { config.data_dir = dir.path(); }
    ~DataDir() {
        try {
            (void)core::node_down(config, std::chrono::seconds(5));
        } catch (...) {
            (void)chain::kill_anvil(config.node_dir());
        }
    }
    [[nodiscard]] fs::path state_file() const { return config.node_dir() / "chain" / "state.json"; }
};

core::UpOptions no_gateway() {
    core::UpOptions o;
    o.start_gateway = false;
    return o;
}

core::UpOptions with_gateway() { return core::UpOptions{}; }  // the gateway found by gateway_binary()

/// Sets an environment variable for one scope, restoring the previous value.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv() {
        if (old_)
            ::setenv(name_, old_->c_str(), 1);
        else
            ::unsetenv(name_);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

/// Registers `doctor` with DoctorContract (funded first from the dev account): two journaled
/// transactions.
void register_doctor(core::Context& ctx, const eth::PrivateKey& doctor) {
    (void)core::fund_account(ctx, doctor.address(), core::ether(1));
    const auto pub = doctor.public_key().bytes();
    Bytes32 profile{};
    profile[0] = 0x42;
    const eth::abi::Value args[] = {eth::abi::Value::bytes(Bytes(pub.begin(), pub.end())),
                                    eth::abi::Value::fixed_bytes(Bytes(profile.begin(), profile.end()))};
    (void)ctx.contracts().transact(ctx.sender(doctor), ctx.manifest().doctor, gen::DoctorContract::fn::registerDoctor, args);
}

/// DoctorContract.doctorOf(doctor).status (0 none, 1 registered).
std::uint64_t doctor_status(core::Context& ctx, const eth::Address& doctor) {
    const eth::abi::Value args[] = {eth::abi::Value::address(doctor)};
    const auto out = ctx.contracts().view(ctx.manifest().doctor, gen::DoctorContract::fn::doctorOf,
                                          gen::DoctorContract::returns::doctorOf, args);
    return eth::to_u64(out.at(0).as_uint());
}

std::size_t journal_size(const core::Config& config) { return chain::TxJournal(config.journal_file()).entries().size(); }

}  // namespace

TEST(NodeStatus, ReportsDownWhenNothingRuns) {
    DataDir d;
    const auto s = core::node_status(d.config);
    EXPECT_TRUE(s.embedded);
    EXPECT_FALSE(s.anvil_running);
    EXPECT_FALSE(s.rpc_ok);
    EXPECT_FALSE(s.manifest.has_value());
    EXPECT_FALSE(s.deployment_ok);
    EXPECT_FALSE(s.gateway_running);
    EXPECT_FALSE(s.healthy());
    EXPECT_FALSE(s.problems.empty());
    EXPECT_NE(s.problems.front().find("not running"), std::string::npos) << s.problems.front();
    const auto down = core::node_down(d.config);
    EXPECT_FALSE(down.anvil_was_running);
    EXPECT_FALSE(down.gateway_was_running);
}

TEST(NodeUp, DeploysFromTheDevAccountAndASecondUpReusesEverything) {
    DataDir d;
    std::vector<std::string> log;
    const auto first = core::node_up(d.config, no_gateway(), [&](std::string_view m) { log.emplace_back(m); });
    EXPECT_TRUE(first.started_anvil);
    EXPECT_TRUE(first.deployed);
    EXPECT_TRUE(first.healthy()) << (first.problems.empty() ? "" : first.problems.front());
    EXPECT_TRUE(first.anvil_running);
    EXPECT_EQ(first.chain_id, std::optional<std::uint64_t>(31337));
    ASSERT_TRUE(first.manifest.has_value());
    EXPECT_EQ(first.manifest->deployer, core::embedded_dev_key().address());
    EXPECT_EQ(first.authority, std::optional<eth::Address>(eth::Address::from_hex(test::Anvil::kDevAddress)));
    EXPECT_TRUE(first.authority_is_dev_account);
    EXPECT_TRUE(fs::exists(d.config.manifest_path()));
    EXPECT_FALSE(log.empty());
    // The gateway is not started when the options say so.
    EXPECT_FALSE(first.gateway_enabled);
    EXPECT_FALSE(first.gateway_running);
    EXPECT_FALSE(first.started_gateway);
    EXPECT_TRUE(first.gateway_url.empty());
    // The deployment transaction is journaled.
    EXPECT_EQ(journal_size(d.config), 1u);

    const auto second = core::node_up(d.config, no_gateway());
    EXPECT_FALSE(second.started_anvil);
    EXPECT_FALSE(second.deployed);
    EXPECT_EQ(second.anvil_pid, first.anvil_pid);
    EXPECT_EQ(second.rpc_url, first.rpc_url);
    EXPECT_EQ(second.manifest->to_json(), first.manifest->to_json());
    EXPECT_EQ(second.recovery.resent, 0u);
    EXPECT_TRUE(second.healthy());

    const auto status = core::node_status(d.config);
    EXPECT_TRUE(status.healthy());
    EXPECT_EQ(status.block_number, second.block_number);
}

TEST(NodeUp, StateAndManifestSurviveDownAndUp) {
    DataDir d;
    const auto up = core::node_up(d.config, no_gateway());
    const auto doctor = eth::PrivateKey::generate();
    {
        auto ctx = core::Context::open(d.config);
        ASSERT_NE(ctx->journal(), nullptr);
        register_doctor(*ctx, doctor);
        EXPECT_EQ(doctor_status(*ctx, doctor.address()), 1u);
    }
    EXPECT_EQ(journal_size(d.config), 3u);  // deployment, funding, registration

    const auto down = core::node_down(d.config);
    EXPECT_TRUE(down.anvil_was_running);
    EXPECT_TRUE(down.state_saved);
    EXPECT_EQ(down.journal_compacted, 3u);
    EXPECT_EQ(down.journal_kept, 0u);
    EXPECT_EQ(journal_size(d.config), 0u);
    EXPECT_FALSE(chain::find_anvil(d.config.node_dir()).has_value());
    const auto stopped = core::node_status(d.config);
    EXPECT_FALSE(stopped.anvil_running);
    EXPECT_FALSE(stopped.rpc_ok);
    EXPECT_TRUE(stopped.manifest.has_value());  // the manifest is a file; it stays
    test::expect_code([&] { (void)core::Context::open(d.config); }, ErrorCode::node_unavailable);

    const auto again = core::node_up(d.config, no_gateway());
    EXPECT_TRUE(again.started_anvil);
    EXPECT_FALSE(again.deployed);
    EXPECT_EQ(again.recovery.journaled, 0u);
    EXPECT_TRUE(again.healthy());
    EXPECT_EQ(again.manifest->to_json(), up.manifest->to_json());
    EXPECT_GE(*again.block_number, *up.block_number + 2);
    auto ctx = core::Context::open(d.config);
    EXPECT_EQ(doctor_status(*ctx, doctor.address()), 1u);
    EXPECT_GT(ctx->rpc().get_balance(doctor.address()), eth::U256(0));
}

// A crash that loses the last writes, made deterministic: the state file is put back to what the
// previous clean shutdown saved, so every transaction since is lost exactly as if anvil had been
// killed before its next one-second save.
TEST(NodeUp, ReSendsEveryJournaledTransactionAKilledChainLost) {
    DataDir d;
    (void)core::node_up(d.config, no_gateway());
    (void)core::node_down(d.config);
    const fs::path snapshot = fs::path(d.dir.path()) / "state-snapshot.json";
    fs::copy_file(d.state_file(), snapshot);

    (void)core::node_up(d.config, no_gateway());
    std::vector<eth::PrivateKey> doctors;
    const auto payee = eth::PrivateKey::generate().address();
    {
        auto ctx = core::Context::open(d.config);
        for (int i = 0; i < 3; ++i) {
            doctors.push_back(eth::PrivateKey::generate());
            register_doctor(*ctx, doctors.back());
        }
        (void)core::fund_account(*ctx, payee, core::ether(3));
    }
    ASSERT_EQ(journal_size(d.config), 7u);
    ASSERT_TRUE(chain::kill_anvil(d.config.node_dir()));
    fs::copy_file(snapshot, d.state_file(), fs::copy_options::overwrite_existing);

    const auto up = core::node_up(d.config, no_gateway());
    EXPECT_TRUE(up.started_anvil);
    EXPECT_FALSE(up.deployed);
    EXPECT_EQ(up.recovery.journaled, 7u);
    EXPECT_EQ(up.recovery.already_on_chain, 0u);
    EXPECT_EQ(up.recovery.resent, 7u);
    EXPECT_EQ(up.recovery.reverted, 0u);
    EXPECT_EQ(up.recovery.unrecoverable, 0u);
    EXPECT_TRUE(up.healthy());
    auto ctx = core::Context::open(d.config);
    for (const auto& doctor : doctors) EXPECT_EQ(doctor_status(*ctx, doctor.address()), 1u);
    EXPECT_EQ(ctx->rpc().get_balance(payee), core::ether(3));
}

// The real thing, timing and all: kill -9 right after the transactions. Whatever anvil managed to
// save, everything journaled is on chain afterwards.
TEST(NodeUp, KillNineRightAfterTransactionsLosesNothing) {
    DataDir d;
    (void)core::node_up(d.config, no_gateway());
    std::vector<eth::PrivateKey> doctors;
    {
        auto ctx = core::Context::open(d.config);
        for (int i = 0; i < 3; ++i) {
            doctors.push_back(eth::PrivateKey::generate());
            register_doctor(*ctx, doctors.back());
        }
    }
    ASSERT_TRUE(chain::kill_anvil(d.config.node_dir()));
    const std::size_t journaled = journal_size(d.config);
    EXPECT_EQ(journaled, 7u);

    const auto up = core::node_up(d.config, no_gateway());
    EXPECT_EQ(up.recovery.journaled, journaled);
    EXPECT_EQ(up.recovery.already_on_chain + up.recovery.resent, journaled);
    EXPECT_EQ(up.recovery.unrecoverable + up.recovery.rejected + up.recovery.superseded, 0u);
    ::testing::Test::RecordProperty("resent_after_kill9", static_cast<int>(up.recovery.resent));
    std::printf("kill -9 lost %zu of %zu journaled transactions; all re-sent\n", up.recovery.resent, journaled);
    EXPECT_TRUE(up.healthy());
    auto ctx = core::Context::open(d.config);
    for (const auto& doctor : doctors) EXPECT_EQ(doctor_status(*ctx, doctor.address()), 1u);
}

// While the journal still holds every transaction (no clean shutdown compacted it), even a
// deleted state file is no loss: the whole chain, deployment included, is rebuilt from it.
TEST(NodeUp, RebuildsTheWholeChainFromAnUncompactedJournal) {
    DataDir d;
    const auto first = core::node_up(d.config, no_gateway());
    const auto doctor = eth::PrivateKey::generate();
    {
        auto ctx = core::Context::open(d.config);
        register_doctor(*ctx, doctor);
    }
    ASSERT_TRUE(chain::kill_anvil(d.config.node_dir()));
    fs::remove(d.state_file());
    const auto up = core::node_up(d.config, no_gateway());
    EXPECT_FALSE(up.deployed);
    EXPECT_EQ(up.recovery.resent, 3u);
    EXPECT_TRUE(up.healthy()) << (up.problems.empty() ? "" : up.problems.front());
    EXPECT_EQ(up.manifest->to_json(), first.manifest->to_json());
    auto ctx = core::Context::open(d.config);
    EXPECT_EQ(doctor_status(*ctx, doctor.address()), 1u);
}

TEST(NodeUp, SaysClearlyWhenTheChainLostTheDeployment) {
    DataDir d;
    const auto first = core::node_up(d.config, no_gateway());
    (void)core::node_down(d.config);  // compacts the journal: the deployment cannot be replayed
    fs::remove(d.state_file());
    {
        const auto lost =
            test::expect_code([&] { (void)core::node_up(d.config, no_gateway()); }, ErrorCode::deployment,
                              "DeploymentLost");
        // The sentence says what happened; the detail lets a face offer to start over.
        const std::string what = test::message_of(lost);
        EXPECT_NE(what.find("state file was deleted"), std::string::npos) << what;
    }
    const auto status = core::node_status(d.config);
    EXPECT_TRUE(status.rpc_ok);
    EXPECT_FALSE(status.deployment_ok);

    core::UpOptions redeploy = no_gateway();
    redeploy.redeploy_if_lost = true;
    const auto fresh = core::node_up(d.config, redeploy);
    EXPECT_TRUE(fresh.deployed);
    EXPECT_TRUE(fresh.healthy());
    bool kept_aside = false;
    for (const auto& entry : fs::directory_iterator(d.config.node_dir()))
        if (entry.path().filename().string().starts_with("manifest.lost-")) kept_aside = true;
    EXPECT_TRUE(kept_aside);
}

TEST(NodeUp, GatewayRunsAsADaemonServingTheStoreAndStopsOnDown) {
    DataDir d;
    const auto up = core::node_up(d.config, with_gateway());
    EXPECT_TRUE(up.started_gateway);
    EXPECT_TRUE(up.gateway_enabled);
    EXPECT_TRUE(up.gateway_running);
    EXPECT_TRUE(up.gateway_ok) << (up.problems.empty() ? "" : up.problems.front());
    EXPECT_TRUE(up.healthy());
    ASSERT_FALSE(up.gateway_url.empty());
    EXPECT_GT(up.gateway_pid, 0);

    // While the daemon runs it holds the embedded blockstore (one process at a time); other
    // commands reach the store through it.
    EXPECT_EQ(core::running_gateway_url(d.config), std::optional<std::string>(up.gateway_url));
    EXPECT_THROW(ipfs::LocalContentStore{d.config.ipfs_dir()}, std::exception);
    const std::string text = "served by the embedded gateway";
    ipfs::Cid root;
    {
        ipfs::KuboClient client(up.gateway_url);
        auto src = ipfs::source_from_bytes(as_bytes(text));
        root = client.add(*src).root;
        auto cat = client.cat(root);
        EXPECT_EQ(std::string(as_chars(ipfs::read_all(*cat))), text);
    }

    const auto again = core::node_up(d.config, with_gateway());
    EXPECT_FALSE(again.started_gateway);
    EXPECT_EQ(again.gateway_pid, up.gateway_pid);
    EXPECT_EQ(again.gateway_url, up.gateway_url);

    const auto down = core::node_down(d.config);
    EXPECT_TRUE(down.gateway_was_running);
    EXPECT_TRUE(down.anvil_was_running);
    const auto status = core::node_status(d.config);
    EXPECT_TRUE(status.gateway_enabled);
    EXPECT_FALSE(status.gateway_running);
    EXPECT_FALSE(status.healthy());
    EXPECT_FALSE(core::running_gateway_url(d.config).has_value());
    {
        // The daemon wrote into the data directory's blockstore, which is free again.
        ipfs::LocalContentStore store(d.config.ipfs_dir());
        EXPECT_TRUE(store.has(root));
    }

    // Up again: the gateway comes back on the same port.
    const auto back = core::node_up(d.config, with_gateway());
    EXPECT_TRUE(back.started_gateway);
    EXPECT_EQ(back.gateway_url, up.gateway_url);
    EXPECT_TRUE(back.gateway_ok);
}

TEST(NodeUp, AMissingGatewayProgramIsAClearError) {
    DataDir d;
    core::UpOptions o;
    o.gateway_binary = fs::path(d.dir.path()) / "no-such-gateway";
    const auto e = test::expect_code([&] { (void)core::node_up(d.config, o); }, ErrorCode::node_unavailable);
    EXPECT_NE(test::message_of(e).find("does not exist"), std::string::npos) << test::message_of(e);
}

// The library finds the daemon by itself: this test program is neither the CLI nor next to the
// gateway, and node_up still starts dossier-gateway (not this program) and reaches it.
TEST(NodeUp, StartsTheGatewayProgramFromAProgramThatIsNotTheCli) {
    const fs::path gateway = core::gateway_binary();
    EXPECT_EQ(gateway.filename(), "dossier-gateway");
    std::error_code ec;
    EXPECT_FALSE(fs::equivalent(gateway, fs::read_symlink("/proc/self/exe"), ec));

    DataDir d;
    const auto up = core::node_up(d.config);
    ASSERT_TRUE(up.started_gateway);
    EXPECT_TRUE(up.gateway_ok) << (up.problems.empty() ? "" : up.problems.front());
    EXPECT_TRUE(up.healthy());
    std::ifstream program(d.config.node_dir() / "ipfs-gateway.program");
    std::string recorded;
    std::getline(program, recorded);
    EXPECT_EQ(fs::path(recorded), fs::canonical(gateway));
    std::ifstream cmdline("/proc/" + std::to_string(up.gateway_pid) + "/cmdline");
    std::string argv0;
    std::getline(cmdline, argv0, '\0');
    EXPECT_EQ(fs::path(argv0).filename(), "dossier-gateway");
    EXPECT_FALSE(ipfs::KuboClient(up.gateway_url).version().empty());

    const auto down = core::node_down(d.config);
    EXPECT_TRUE(down.gateway_was_running);
    EXPECT_FALSE(core::running_gateway_url(d.config).has_value());
}

TEST(GatewayBinary, TheEnvironmentVariableComesFirstAndAWrongOneIsAnError) {
    const fs::path found = core::gateway_binary();
    test::TempDir dir;
    const fs::path link = fs::path(dir.path()) / "my-gateway";
    fs::create_symlink(found, link);
    {
        ScopedEnv env(core::kGatewayEnv, link.string());
        EXPECT_EQ(core::gateway_binary(), link);
    }
    const fs::path missing = fs::path(dir.path()) / "not-there";
    ScopedEnv env(core::kGatewayEnv, missing.string());
    const auto e = test::expect_code([&] { (void)core::gateway_binary(); }, ErrorCode::node_unavailable);
    EXPECT_NE(test::message_of(e).find(missing.string()), std::string::npos) << test::message_of(e);
}

TEST(ServeIpfs, ServesUntilItsStopTokenFires) {
    test::TempDir dir;
    core::Config config;
    config.data_dir = dir.path();
    std::promise<int> ready;
    std::stop_source stop;
    std::thread server([&] { core::serve_ipfs(config, 0, stop.get_token(), [&](int port) { ready.set_value(port); }); });
    auto port = ready.get_future();
    ASSERT_EQ(port.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    const int p = port.get();
    const std::string url = "http://127.0.0.1:" + std::to_string(p);
    EXPECT_FALSE(ipfs::KuboClient(url).version().empty());
    stop.request_stop();
    server.join();
    EXPECT_THROW((void)ipfs::KuboClient(url).version(), std::exception);
}

TEST(RemoteChain, DeployWritesTheManifestAndNodeUpRefuses) {
    test::Anvil anvil;
    test::TempDir dir;
    core::Config config;
    config.data_dir = dir.path();
    config.rpc_url = anvil.url();
    const auto authority = eth::Address::from_hex(test::Anvil::kDevAddress1);
    const auto manifest = core::deploy_remote(config, eth::PrivateKey::from_hex(test::Anvil::kDevKey), authority);
    EXPECT_TRUE(fs::exists(config.manifest_path()));
    EXPECT_EQ(chain::Manifest::load(config.manifest_path()).to_json(), manifest.to_json());

    const auto status = core::node_status(config);
    EXPECT_FALSE(status.embedded);
    EXPECT_TRUE(status.rpc_ok);
    EXPECT_TRUE(status.deployment_ok);
    EXPECT_EQ(status.authority, std::optional<eth::Address>(authority));
    EXPECT_FALSE(status.authority_is_dev_account);
    EXPECT_FALSE(status.gateway_enabled);
    EXPECT_TRUE(status.healthy());

    test::expect_code(
        [&] { (void)core::deploy_remote(config, eth::PrivateKey::from_hex(test::Anvil::kDevKey), authority); },
        ErrorCode::already_exists);
    const auto replaced =
        core::deploy_remote(config, eth::PrivateKey::from_hex(test::Anvil::kDevKey), authority, /*replace=*/true);
    EXPECT_NE(replaced.doctor, manifest.doctor);
    test::expect_code([&] { (void)core::node_up(config); }, ErrorCode::invalid_input);

    // No dev account to take from on a remote chain.
    auto ctx = core::Context::open(config);
    test::expect_code([&] { (void)core::fund_account(*ctx, authority, core::ether(1)); }, ErrorCode::invalid_input);
}
