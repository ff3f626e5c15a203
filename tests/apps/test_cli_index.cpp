/// `dossier index` end to end on the embedded node: a sync killed with SIGKILL at several moments
/// and resumed ends with exactly the index a rebuild makes (nothing twice, nothing missing), and
/// the resumed index verifies every patient's audit trail against the chain.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/anvil.hpp"
#include "support/process.hpp"

namespace {

using nlohmann::json;

class CliIndex : public ::testing::Test {
protected:
    void SetUp() override {
        setenv("DOSSIER_PASSWORD", "correct horse", 1);
        setenv("DOSSIER_KDF", "light", 1);
        unsetenv("DOSSIER_DATA_DIR");
        const auto up = run({"node", "up"});
        ASSERT_EQ(up.exit_code, 0) << up.err;
    }
    void TearDown() override { (void)run({"node", "down"}); }

    std::vector<std::string> argv(const std::vector<std::string>& args) const {
        std::vector<std::string> out = {DOSSIER_CLI, "--data-dir", dir_.path()};
        out.insert(out.end(), args.begin(), args.end());
        return out;
    }
    dossier::test::RunResult run(const std::vector<std::string>& args) const {
        return dossier::test::run(argv(args), {}, std::chrono::seconds(120));
    }
    json ok(std::vector<std::string> args) const {
        args.insert(args.begin(), "--json");
        const auto r = run(args);
        if (r.exit_code != 0) throw std::runtime_error("dossier failed: " + r.err);
        return json::parse(r.out);
    }

    dossier::test::TempDir dir_;
};

TEST_F(CliIndex, AKilledSyncResumesWithNothingTwiceAndNothingMissing) {
    const auto demo = ok({"demo"});
    // Many blocks after the demo's events, so that a sync one block per page takes long enough
    // to be killed in the middle, several times.
    const std::string rpc = ok({"node", "status"})["rpcUrl"];
    (void)dossier::test::http_post_json(rpc, R"({"jsonrpc":"2.0","id":1,"method":"anvil_mine","params":["0x5dc"]})");
    const auto head_of = [&] { return ok({"node", "status"})["blockNumber"].get<std::uint64_t>(); };
    const std::uint64_t head = head_of();

    bool interrupted = false;
    std::uint64_t last_tip = 0;
    for (const int ms : {150, 400, 800, 1500}) {
        dossier::test::Child sync(argv({"index", "sync", "--page-blocks", "1"}));
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        if (sync.running()) ::kill(sync.pid(), SIGKILL);
        sync.stop();
        const auto st = ok({"--offline", "index", "status"});
        const std::uint64_t tip = st["tip"].is_null() ? 0 : st["tip"].get<std::uint64_t>();
        EXPECT_GE(tip, last_tip) << "the index went backwards after a kill";
        last_tip = tip;
        interrupted = interrupted || tip < head;
    }
    EXPECT_TRUE(interrupted) << "no kill landed before the end of the sync; the test proved nothing";

    const auto resumed = ok({"index", "sync"});
    EXPECT_TRUE(resumed["complete"].get<bool>());
    const auto after_resume = ok({"index", "status"});
    EXPECT_EQ(after_resume["tip"], head);
    const auto rebuilt = ok({"index", "rebuild"});
    const auto after_rebuild = ok({"index", "status"});
    EXPECT_EQ(after_rebuild["events"], after_resume["events"]) << "a duplicate or a gap after the kills";
    EXPECT_EQ(rebuilt["events"], after_rebuild["events"]);

    // Every patient's trail, read from the index, is the chain's.
    const auto accounts = ok({"account", "list"});
    int patients = 0;
    for (const auto& a : accounts) {
        if (a["role"] != "patient") continue;
        const auto v = ok({"audit", "show", "--patient", a["label"], "--verify", "--from", "index"});
        EXPECT_TRUE(v["verification"]["ok"].get<bool>()) << v["verification"].dump();
        EXPECT_EQ(v["verification"]["source"], "index");
        ++patients;
    }
    EXPECT_GE(patients, 3);
    (void)demo;
}

}  // namespace
