/// The CLI journey against EVM nodes other than the embedded anvil, each started from its pinned
/// npm package on a free loopback port: ganache 7.9.2 (shanghai, the oldest EVM version Dossier
/// supports), Hardhat 3's node (EDR), and anvil mining a block every 2 s, so that every transaction
/// waits for its block as on a real chain (the times printed per command are docs/performance.md's).
/// The chain is remote to Dossier (--rpc-url, --chain-id, `dossier deploy`); objects live in the
/// data directory's own store. Every step's outcome is checked, and each refusal must carry the
/// contract's reason, which the nodes report in different shapes.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "support/evm_node.hpp"
#include "support/process.hpp"

namespace {

using nlohmann::json;
using dossier::test::EvmNode;
namespace fs = std::filesystem;

class SecondNode : public ::testing::TestWithParam<EvmNode::Kind> {
protected:
    void SetUp() override {
        setenv("DOSSIER_PASSWORD", "correct horse", 1);
        setenv("DOSSIER_KDF", "light", 1);
        unsetenv("DOSSIER_DATA_DIR");
        node_ = std::make_unique<EvmNode>(GetParam());
    }
    void TearDown() override {
        if (HasFailure() && node_) std::cerr << EvmNode::name(GetParam()) << "'s output:\n" << node_->log() << "\n";
        node_.reset();  // stopped by its PID
    }

    /// `dossier --data-dir D --rpc-url U --chain-id C --json <args>`, timed.
    dossier::test::RunResult run(const std::vector<std::string>& args) {
        std::vector<std::string> argv = {DOSSIER_CLI, "--data-dir", dir_.path(), "--rpc-url", node_->url(),
                                         "--chain-id", std::to_string(node_->chain_id()), "--json"};
        argv.insert(argv.end(), args.begin(), args.end());
        const auto start = std::chrono::steady_clock::now();
        auto r = dossier::test::run(argv, {}, std::chrono::seconds(60));
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
        std::cout << "  " << EvmNode::name(GetParam()) << ": dossier " << args[0] << " " << args[1] << ": " << ms
                  << " ms\n";
        return r;
    }
    static std::string joined(const std::vector<std::string>& args) {
        std::string s;
        for (const auto& a : args) s += a + " ";
        return s;
    }
    /// Expects exit 0; returns the JSON document on stdout.
    json ok(const std::vector<std::string>& args) {
        const auto r = run(args);
        if (r.exit_code != 0) throw std::runtime_error("dossier " + joined(args) + "failed: " + r.err);
        return json::parse(r.out);
    }
    /// Expects exit 1 and one line "error: ..." on stderr; returns it.
    std::string refused(const std::vector<std::string>& args) {
        const auto r = run(args);
        EXPECT_EQ(r.exit_code, 1) << joined(args) << "\nstdout: " << r.out << "\nstderr: " << r.err;
        EXPECT_TRUE(r.out.empty()) << joined(args) << " printed " << r.out;
        EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "not one line: " << r.err;
        return r.err;
    }
    std::string write_file(const std::string& name, const std::string& content) {
        const auto path = fs::path(dir_.path()) / "scratch" / name;
        fs::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << content;
        return path.string();
    }
    static std::string read_file(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    /// A --fields file holding `values`: personal data never goes on the command line.
    std::string fields(const json& values) {
        static int n = 0;
        return write_file("fields-" + std::to_string(++n) + ".json", values.dump());
    }
    /// Imports anvil's dev key `index` (funded on the node) as `label`.
    std::string import(int index, const std::string& role, const std::string& label) {
        const auto key = write_file(label + ".key", EvmNode::dev_keys().at(index).substr(2) + "\n");
        return ok({"account", "import", "--key-file", key, "--role", role, "--label", label, "--no-fund"})["address"];
    }

    dossier::test::TempDir dir_;
    std::unique_ptr<EvmNode> node_;
};

TEST_P(SecondNode, Journey) {
    const auto admin = import(0, "admin", "admin");
    const auto doctor = import(1, "doctor", "dr-house");
    (void)import(2, "patient", "alice");
    (void)import(3, "doctor", "dr-grey");

    // Before a deployment every command says there is none; then deploy, once.
    refused({"doctor", "list"});
    const auto m = ok({"deploy", "--as", "admin", "--authority", "admin"});
    EXPECT_EQ(m["chainId"], node_->chain_id());
    EXPECT_EQ(m["deployer"], admin);
    const auto st = ok({"node", "status"});
    EXPECT_FALSE(st["embedded"].get<bool>());
    EXPECT_TRUE(st["deploymentOk"].get<bool>()) << st.dump();
    EXPECT_TRUE(st["healthy"].get<bool>()) << st.dump();
    EXPECT_EQ(st["authority"], admin);

    // Credentialing: register, only the authority verifies.
    EXPECT_EQ(ok({"doctor", "register", "--as", "dr-house", "--fields",
                  fields({{"name", "Gregory House"}, {"specialty", "Diagnostics"}, {"licence", "NJ-1"}})})["status"], "registered");
    EXPECT_EQ(ok({"doctor", "register", "--as", "dr-grey", "--fields",
                  fields({{"name", "Meredith Grey"}, {"specialty", "Surgery"}, {"licence", "WA-2"}})})["status"], "registered");
    const auto not_authority = refused({"doctor", "verify", "dr-grey", "--as", "dr-house"});
    EXPECT_NE(not_authority.find("authority"), std::string::npos) << not_authority;
    EXPECT_EQ(ok({"doctor", "verify", "dr-house", "--as", "admin"})["status"], "verified");
    EXPECT_EQ(ok({"doctor", "show", "dr-house"})["status"], "verified");
    EXPECT_EQ(ok({"doctor", "show", "dr-grey"})["status"], "registered");

    ok({"patient", "register", "--as", "alice", "--fields",
        fields({{"name", "Alice Liddell"}, {"birthDate", "1980-02-01"}, {"gender", "female"}})});
    EXPECT_EQ(ok({"patient", "show", "alice", "--as", "alice"})["profile"]["birthDate"], "1980-02-01");

    // Without a grant a doctor holds no key of the patient, and is told so before anything is sent.
    const auto no_grant = refused({"record", "add", "--as", "dr-house", "--patient", "alice", "--kind", "note",
                                   "--fields", fields({{"text", "too early"}})});
    EXPECT_NE(no_grant.find("holds no key"), std::string::npos) << no_grant;
    const auto unverified = refused({"access", "request", "--as", "dr-grey", "--patient", "alice"});
    EXPECT_NE(unverified.find("verified"), std::string::npos) << unverified;

    ok({"access", "request", "--as", "dr-house", "--patient", "alice"});
    ok({"access", "approve", "--as", "alice", "--doctor", "dr-house", "--days", "30"});
    const auto requests = ok({"access", "list", "--patient", "alice"});
    ASSERT_EQ(requests.size(), 1u) << requests.dump();
    EXPECT_EQ(requests[0]["state"], "approved");

    // A record and a file, read back as written.
    const auto added = ok({"record", "add", "--as", "dr-house", "--patient", "alice", "--kind", "condition",
                           "--fields", fields({{"code", "Type 2 diabetes mellitus"}, {"start", "2019-03-14"}})});
    EXPECT_EQ(added["record"], 1);
    std::string bytes(300 * 1024, '\0');
    std::mt19937 gen(15);
    for (auto& b : bytes) b = static_cast<char>(gen());
    const auto scan = write_file("scan.bin", bytes);
    const auto attached = ok({"file", "attach", "--as", "dr-house", "--patient", "alice", "--record", "1", "--path",
                              scan, "--fields", fields({{"type", "Radiology report"}})});
    EXPECT_EQ(attached["index"], 1);
    EXPECT_EQ(attached["size"], bytes.size());
    const auto shown = ok({"record", "show", "--as", "dr-house", "--patient", "alice", "--record", "1"});
    EXPECT_EQ(shown["kind"], "condition");
    EXPECT_EQ(shown["version"], 1);
    EXPECT_EQ(shown["resource"]["code"]["text"], "Type 2 diabetes mellitus");
    EXPECT_EQ(shown["resource"]["onsetDateTime"], "2019-03-14");
    const auto out = scan + ".out";
    ok({"file", "fetch", "--as", "dr-house", "--patient", "alice", "--record", "1", "--index", "1", "--out", out});
    EXPECT_EQ(read_file(out), bytes);
    EXPECT_EQ(ok({"record", "show", "--as", "alice", "--patient", "alice", "--record", "1"})["resource"]["code"]["text"],
              "Type 2 diabetes mellitus");

    // Revocation: the doctor still holds the old key, so the refusal comes from the chain
    // (logAccess reverts with NoActiveGrant) and must say so, on every node.
    EXPECT_EQ(ok({"access", "revoke", "--as", "alice", "--doctor", "dr-house"})["newEpoch"], 2);
    const auto revoked_read = refused({"record", "show", "--as", "dr-house", "--patient", "alice", "--record", "1"});
    EXPECT_NE(revoked_read.find("no active grant"), std::string::npos) << revoked_read;
    const auto revoked_write = refused({"record", "add", "--as", "dr-house", "--patient", "alice", "--kind", "note",
                                        "--fields", fields({{"text", "still here?"}})});
    EXPECT_NE(revoked_write.find("holds no key"), std::string::npos) << revoked_write;  // the new epoch's

    // The audit trail is complete and holds each step, the doctor's read included.
    const auto audit = ok({"audit", "show", "--patient", "alice", "--verify"});
    EXPECT_TRUE(audit["verification"]["ok"].get<bool>()) << audit["verification"].dump();
    std::map<std::string, int> kinds;
    for (const auto& e : audit["entries"]) ++kinds[e["kind"].get<std::string>()];
    for (const char* k : {"registered", "requested", "approved", "record-added", "file-attached", "accessed", "revoked"})
        EXPECT_GE(kinds[k], 1) << k << " missing from " << audit["entries"].dump();
    EXPECT_TRUE(ok({"store", "check", "--all"})["ok"].get<bool>());
    (void)admin;
    (void)doctor;
}

INSTANTIATE_TEST_SUITE_P(Nodes, SecondNode, ::testing::Values(EvmNode::Kind::ganache, EvmNode::Kind::hardhat,
                                                             EvmNode::Kind::anvil_interval),
                         [](const auto& param_info) { return std::string(EvmNode::name(param_info.param)); });

}  // namespace
