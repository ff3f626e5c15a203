/// The `dossier` command end to end: every workflow with --json against the embedded node it
/// starts in a temporary data directory, every refusal and bad input (exit 1, one sentence on
/// stderr), usage errors (exit 2), restarts with nothing lost, and a kill -9 of anvil followed by
/// `node up` recovering every acknowledged write from the journal.
#include <gtest/gtest.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/anvil.hpp"
#include "support/process.hpp"

namespace {

using nlohmann::json;
using dossier::test::RunResult;
namespace fs = std::filesystem;

/// One data directory and one embedded node for the whole suite (node up costs seconds); the
/// tests run in order and build on each other's accounts. The node is stopped at the end whatever
/// happens.
class Cli : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new dossier::test::TempDir();
        setenv("DOSSIER_PASSWORD", "correct horse", 1);
        setenv("DOSSIER_PATIENT_PASSWORD", "patient horse", 1);
        setenv("DOSSIER_KDF", "light", 1);
        unsetenv("DOSSIER_DATA_DIR");
        const auto up = run({"node", "up"}, std::chrono::seconds(60));
        ASSERT_EQ(up.exit_code, 0) << up.err;
        node_up_ = true;
    }
    static void TearDownTestSuite() {
        if (node_up_) (void)run({"node", "down"});
        node_up_ = false;
        delete dir_;
        dir_ = nullptr;
    }

    static std::string data_dir() { return dir_->path(); }

    /// Runs `dossier --data-dir D <args>`.
    static RunResult run(std::vector<std::string> args, std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
        std::vector<std::string> argv = {DOSSIER_CLI, "--data-dir", data_dir()};
        argv.insert(argv.end(), args.begin(), args.end());
        return dossier::test::run(argv, {}, timeout);
    }
    /// Runs with --json; expects exit 0 and one JSON document on stdout.
    static json ok(std::vector<std::string> args) {
        args.insert(args.begin(), "--json");
        const auto r = run(args);
        std::string joined;
        for (const auto& a : args) joined += a + " ";
        EXPECT_EQ(r.exit_code, 0) << joined << "\nstderr: " << r.err;
        if (r.exit_code != 0) throw std::runtime_error("dossier " + joined + "failed: " + r.err);
        return json::parse(r.out);
    }
    /// Expects exit 1, nothing on stdout with --json, and one line "error: <sentence>" on stderr.
    static std::string refused(std::vector<std::string> args) {
        args.insert(args.begin(), "--json");
        const auto r = run(args);
        std::string joined;
        for (const auto& a : args) joined += a + " ";
        EXPECT_EQ(r.exit_code, 1) << joined << "\nstdout: " << r.out << "\nstderr: " << r.err;
        EXPECT_TRUE(r.out.empty()) << joined << " printed " << r.out;
        EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "not one line: " << r.err;
        return r.err;
    }

    static std::string write_file(const std::string& name, const std::string& content) {
        const auto dir = fs::path(data_dir()) / "scratch";
        fs::create_directories(dir);
        std::ofstream(dir / name, std::ios::binary) << content;
        return (dir / name).string();
    }
    /// A --fields file holding `fields`: personal data never goes on the command line.
    static std::string fields(const json& fields) {
        static int n = 0;
        return write_file("fields-" + std::to_string(++n) + ".json", fields.dump());
    }
    static std::string read_file(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    static std::string lower_hex(std::string s) {
        for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
    }
    static json rpc(const std::string& method, const json& params) {
        const auto status = ok({"node", "status"});
        const json body{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
        return json::parse(dossier::test::http_post_json(status["rpcUrl"].get<std::string>(), body.dump()));
    }

    static inline dossier::test::TempDir* dir_ = nullptr;
    static inline bool node_up_ = false;

    /// Stops the node at exit even if the suite was cut short (e.g. exit() from a failed setup).
    struct NodeGuard {
        ~NodeGuard() {
            if (node_up_ && dir_) (void)run({"node", "down"});
        }
    };
    static inline NodeGuard guard_;
};

TEST_F(Cli, NodeIsUpAndHealthy) {
    const auto st = ok({"node", "status"});
    EXPECT_TRUE(st["healthy"].get<bool>()) << st.dump();
    EXPECT_TRUE(st["anvilRunning"].get<bool>());
    EXPECT_GT(st["anvilPid"].get<int>(), 0);
    EXPECT_EQ(st["chainId"].get<int>(), 31337);
    EXPECT_EQ(st["rpcUrl"].get<std::string>().rfind("http://127.0.0.1:", 0), 0u);
    // A second `up` reuses everything.
    const auto again = ok({"node", "up"});
    EXPECT_FALSE(again["startedAnvil"].get<bool>());
    EXPECT_FALSE(again["deployed"].get<bool>());
}

TEST_F(Cli, HelpTeachesAndUsageErrorsExitTwo) {
    const auto top = run({"--help"});
    EXPECT_EQ(top.exit_code, 0);
    EXPECT_NE(top.out.find("node"), std::string::npos);
    for (const std::vector<std::string>& cmd :
         {std::vector<std::string>{"node", "up"}, {"account", "new"}, {"doctor", "register"}, {"doctor", "verify"},
          {"patient", "register"}, {"patient", "add"}, {"access", "request"}, {"access", "approve"},
          {"access", "revoke"}, {"record", "add"}, {"record", "update"}, {"record", "show"}, {"file", "attach"},
          {"file", "fetch"}, {"audit", "show"}, {"demo"}, {"deploy"}, {"import"}, {"export"}}) {
        auto args = cmd;
        args.push_back("--help");
        const auto r = run(args);
        EXPECT_EQ(r.exit_code, 0) << cmd[0];
        EXPECT_NE(r.out.find("Example:"), std::string::npos) << cmd[0] << " " << r.out;
        EXPECT_NE(r.out.find("dossier " + cmd[0]), std::string::npos) << r.out;
    }
    EXPECT_EQ(run({"--no-such-option"}).exit_code, 2);
    EXPECT_EQ(run({"record", "add", "--as", "x"}).exit_code, 2);  // --patient missing
    EXPECT_EQ(run({"account", "new", "--role", "nurse", "--label", "n"}).exit_code, 2);
    EXPECT_EQ(run({}).exit_code, 2);
    // There is no way to give a password on the command line.
    EXPECT_EQ(run({"account", "new", "--role", "doctor", "--label", "x", "--password", "pw"}).exit_code, 2);
}

// A command word that names no command is reported as such (not as a missing subcommand), with
// the commands that exist, exit 2, and no help text, even when --help follows it.
TEST_F(Cli, AnUnknownCommandIsNamedAlongWithTheOnesThatExist) {
    struct Case {
        std::vector<std::string> args;
        std::string unknown;  // as the message quotes it
        std::string listed;   // one of the commands it must offer
    };
    const std::vector<Case> cases = {
        {{"patient", "find"}, "'patient find'", "register"},
        {{"patient", "find", "--help"}, "'patient find'", "register"},
        {{"upload"}, "'upload'", "patient"},
        {{"upload", "--help"}, "'upload'", "record"},
        {{"--json", "--password-file", "/dev/null", "record", "frobnicate", "--as", "x"}, "'record frobnicate'", "add"},
        {{"node", "restart"}, "'node restart'", "status"},
    };
    for (const auto& c : cases) {
        const auto r = run(c.args);
        std::string joined;
        for (const auto& a : c.args) joined += a + " ";
        EXPECT_EQ(r.exit_code, 2) << joined << "\nstderr: " << r.err;
        EXPECT_NE(r.err.find("unknown command " + c.unknown), std::string::npos) << joined << "\nstderr: " << r.err;
        EXPECT_NE(r.err.find(c.listed), std::string::npos) << joined << "\nstderr: " << r.err;
        EXPECT_TRUE(r.out.empty()) << joined << " printed " << r.out;
    }
    // The hidden gateway command is not offered, but still known.
    EXPECT_EQ(run({"upload"}).err.find("ipfs"), std::string::npos);
    EXPECT_EQ(run({"ipfs", "serve", "--help"}).exit_code, 0);
}

TEST_F(Cli, AccountsAndCredentialing) {
    const auto admin = ok({"account", "import", "--embedded-authority", "--role", "admin", "--label", "admin"});
    EXPECT_EQ(admin["address"], "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    for (const char* label : {"dr-house", "dr-grey", "dr-unverified"})
        EXPECT_TRUE(ok({"account", "new", "--role", "doctor", "--label", label})["funded"].get<bool>());
    for (const char* label : {"alice", "stranger"}) (void)ok({"account", "new", "--role", "patient", "--label", label});
    EXPECT_EQ(ok({"account", "list"}).size(), 6u);
    refused({"account", "new", "--role", "patient", "--label", "alice"});  // label taken

    for (const char* label : {"dr-house", "dr-grey", "dr-unverified"}) {
        const auto r = ok({"doctor", "register", "--as", label, "--fields",
                           fields({{"name", std::string("Gregory ") + label}, {"specialty", "Diagnostics"},
                                   {"licence", std::string("NJ-") + label}})});
        EXPECT_EQ(r["status"], "registered");
    }
    // Only the authority verifies.
    refused({"doctor", "verify", "dr-house", "--as", "dr-grey"});
    ok({"doctor", "verify", "dr-house", "--as", "admin"});
    ok({"doctor", "verify", "dr-grey", "--as", "admin"});
    const auto doctors = ok({"doctor", "list"});
    ASSERT_EQ(doctors.size(), 3u);
    std::map<std::string, std::string> status;
    for (const auto& d : doctors) status[d["address"]] = d["status"];
    EXPECT_EQ(std::count_if(status.begin(), status.end(), [](auto& kv) { return kv.second == "verified"; }), 2);
    EXPECT_EQ(doctors[0]["profile"]["resourceType"], "Practitioner");

    ok({"patient", "register", "--as", "alice", "--fields",
        fields({{"name", "Alice Liddell"}, {"birthDate", "1980-02-01"}, {"gender", "female"}})});
    const auto shown = ok({"patient", "show", "alice", "--as", "alice"});
    EXPECT_EQ(shown["epoch"], 1);
    EXPECT_EQ(shown["profile"]["birthDate"], "1980-02-01");
}

TEST_F(Cli, WrongPasswordIsOneSentence) {
    const auto pw = write_file("wrong-password", "not the password\n");
    const auto err = refused({"--password-file", pw, "access", "request", "--as", "dr-house", "--patient", "alice"});
    EXPECT_NE(err.find("password"), std::string::npos) << err;
}

TEST_F(Cli, AccessRecordsFilesAndAudit) {
    // Refusals before any grant.
    refused({"access", "request", "--as", "dr-unverified", "--patient", "alice"});  // not verified
    refused({"record", "add", "--as", "stranger", "--patient", "alice", "--kind", "note", "--fields", fields({{"text", "hi"}})});
    refused({"record", "add", "--as", "dr-house", "--patient", "alice", "--kind", "note", "--fields", fields({{"text", "hi"}})});

    ok({"access", "request", "--as", "dr-house", "--patient", "alice"});
    ok({"access", "request", "--as", "dr-grey", "--patient", "alice"});
    refused({"access", "request", "--as", "dr-house", "--patient", "alice"});  // already pending
    ok({"access", "approve", "--as", "alice", "--doctor", "dr-house", "--days", "30"});
    ok({"access", "deny", "--as", "alice", "--doctor", "dr-grey"});
    const auto requests = ok({"access", "list", "--patient", "alice"});
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0]["state"], "approved");
    EXPECT_EQ(requests[1]["state"], "denied");

    // Records of every kind, by the doctor and by the patient.
    const auto c = ok({"record", "add", "--as", "dr-house", "--patient", "alice", "--kind", "condition", "--fields",
                       fields({{"code", "Type 2 diabetes mellitus"}, {"start", "2019-03-14"}})});
    EXPECT_EQ(c["record"], 1);
    EXPECT_EQ(ok({"record", "add", "--as", "dr-house", "--patient", "alice", "--kind", "medication", "--fields",
                  fields({{"code", "Metformin 500 mg tablet"}, {"dosage", "twice daily"}})})["record"], 2);
    EXPECT_EQ(ok({"record", "add", "--as", "dr-house", "--patient", "alice", "--kind", "allergy", "--fields",
                  fields({{"code", "Penicillin"}, {"criticality", "high"}, {"reaction", "Hives"}})})["record"], 3);
    EXPECT_EQ(ok({"record", "add", "--as", "dr-house", "--patient", "alice", "--kind", "appointment", "--fields",
                  fields({{"start", "2027-01-10T09:00:00Z"}, {"end", "2027-01-10T09:30:00Z"}, {"text", "Follow-up"}})})
                  ["record"], 4);
    // The fields can come on stdin.
    {
        const auto r = dossier::test::run({DOSSIER_CLI, "--data-dir", data_dir(), "--json", "record", "add", "--as",
                                           "alice", "--patient", "alice", "--kind", "note", "--fields", "-"},
                                          json{{"title", "Diary"}, {"text", "Feeling better"}}.dump());
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(json::parse(r.out)["record"], 5);
    }
    // A FHIR resource from a file.
    const auto fhir = write_file("condition.json", json{{"resourceType", "Condition"},
                                                        {"subject", {{"reference", "Patient/x"}}},
                                                        {"code", {{"text", "Seasonal rhinitis"}}}}
                                                       .dump());
    EXPECT_EQ(ok({"record", "add", "--as", "dr-house", "--patient", "alice", "--file", fhir})["kind"], "condition");

    // Update keeps the history.
    const auto u = ok({"record", "update", "--as", "dr-house", "--patient", "alice", "--record", "1", "--kind",
                       "condition", "--fields", fields({{"code", "Type 2 diabetes mellitus"}, {"status", "remission"}})});
    EXPECT_EQ(u["version"], 2);
    const auto history = ok({"record", "history", "--patient", "alice", "--record", "1"});
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[1]["previous"], history[0]["digest"]);
    const auto v1 = ok({"record", "show", "--as", "alice", "--patient", "alice", "--record", "1", "--version", "1"});
    EXPECT_EQ(v1["resource"]["clinicalStatus"]["coding"][0]["code"], "active");
    const auto latest = ok({"record", "show", "--as", "dr-house", "--patient", "alice", "--record", "1"});
    EXPECT_EQ(latest["resource"]["clinicalStatus"]["coding"][0]["code"], "remission");
    const auto list = ok({"record", "list", "--as", "dr-house", "--patient", "alice"});
    ASSERT_EQ(list.size(), 6u);
    std::set<std::string> kinds;
    for (const auto& r : list) kinds.insert(r["kind"].get<std::string>());
    EXPECT_EQ(kinds, (std::set<std::string>{"condition", "medication", "allergy", "appointment", "note"}));

    // A file, round trip (a few chunks, so that the store builds a DAG).
    std::string bytes(700 * 1024, '\0');
    std::mt19937 gen(7);
    for (auto& b : bytes) b = static_cast<char>(gen());
    const auto scan = write_file("scan.bin", bytes);
    const auto a = ok({"file", "attach", "--as", "dr-house", "--patient", "alice", "--record", "1", "--path", scan,
                       "--fields", fields({{"type", "Radiology report"}})});
    EXPECT_EQ(a["index"], 1);
    EXPECT_EQ(a["size"], bytes.size());
    const auto files = ok({"file", "list", "--as", "alice", "--patient", "alice", "--record", "1"});
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0]["name"], fs::path(scan).filename().string());
    const auto out = (fs::path(scan).string() + ".out");
    const auto f = ok({"file", "fetch", "--as", "dr-house", "--patient", "alice", "--record", "1", "--index", "1",
                       "--out", out});
    EXPECT_EQ(read_file(out), bytes);
    refused({"file", "fetch", "--as", "dr-house", "--patient", "alice", "--record", "1", "--index", "1", "--out", out});

    // The denied doctor cannot read.
    refused({"record", "show", "--as", "dr-grey", "--patient", "alice", "--record", "1"});

    // Add Patient: the doctor creates and registers a patient with consent.
    const auto bob = ok({"patient", "add", "--as", "dr-house", "--label", "bob", "--fields",
                         fields({{"name", "Bob Jones"}, {"birthDate", "1975-06-30"}, {"gender", "male"}})});
    EXPECT_EQ(bob["label"], "bob");
    refused({"patient", "add", "--as", "dr-unverified", "--label", "carol", "--fields",
             fields({{"name", "Carol King"}, {"birthDate", "1970-01-01"}})});
    refused({"patient", "add", "--as", "dr-house", "--label", "dave", "--fields",
             fields({{"name", "Dave Brown"}, {"birthDate", "31/12/1970"}})});
    EXPECT_EQ(ok({"account", "list"}).size(), 7u) << "a refused Add Patient left an account behind";
    {
        // The patient's keystore opens with the patient's password only.
        const auto pw = write_file("patient-password", "patient horse");
        EXPECT_EQ(ok({"--password-file", pw, "patient", "show", "bob", "--as", "bob"})["profile"]["name"][0]["family"],
                  "Jones");
    }
    EXPECT_EQ(ok({"record", "add", "--as", "dr-house", "--patient", "bob", "--kind", "allergy", "--fields",
                  fields({{"code", "Peanut"}})})["record"], 1);

    // Revocation with rotation: old records stay readable to what the doctor held, new ones not.
    const auto rv = ok({"access", "revoke", "--as", "alice", "--doctor", "dr-house"});
    EXPECT_EQ(rv["newEpoch"], 2);
    const auto after = ok({"record", "add", "--as", "alice", "--patient", "alice", "--kind", "note", "--fields",
                           fields({{"text", "after the revocation"}})});
    refused({"record", "show", "--as", "dr-house", "--patient", "alice", "--record",
             std::to_string(after["record"].get<int>())});
    refused({"record", "add", "--as", "dr-house", "--patient", "alice", "--kind", "note", "--fields",
             fields({{"text", "still here?"}})});
    EXPECT_EQ(ok({"record", "show", "--as", "alice", "--patient", "alice", "--record",
                  std::to_string(after["record"].get<int>())})["kind"], "note");

    const auto audit = ok({"audit", "show", "--patient", "alice", "--verify"});
    EXPECT_TRUE(audit["verification"]["ok"].get<bool>());
    EXPECT_GE(audit["entries"].size(), 15u);
    bool saw_read = false;
    for (const auto& e : audit["entries"]) saw_read |= e["kind"] == "accessed";
    EXPECT_TRUE(saw_read) << "a doctor's read is not in the audit trail";
}

TEST_F(Cli, ExpiredGrantIsRefused) {
    ok({"access", "request", "--as", "dr-grey", "--patient", "bob"});
    const auto bob_pw = write_file("bob-password", "patient horse\n");
    ok({"--password-file", bob_pw, "access", "approve", "--as", "bob", "--doctor", "dr-grey", "--days", "1"});
    EXPECT_EQ(ok({"record", "show", "--as", "dr-grey", "--patient", "bob", "--record", "1"})["kind"], "allergy");
    (void)rpc("evm_increaseTime", json::array({2 * 86400}));
    (void)rpc("evm_mine", json::array());
    const auto list = ok({"access", "list", "--patient", "bob"});
    bool expired = false;
    for (const auto& r : list) expired |= r["state"] == "expired";
    EXPECT_TRUE(expired) << list.dump();
    refused({"record", "show", "--as", "dr-grey", "--patient", "bob", "--record", "1"});
    refused({"record", "add", "--as", "dr-grey", "--patient", "bob", "--kind", "note", "--fields", fields({{"text", "late"}})});
}

TEST_F(Cli, SuspendedDoctorIsRefused) {
    refused({"doctor", "suspend", "dr-grey", "--as", "dr-house"});  // only the authority
    EXPECT_EQ(ok({"doctor", "suspend", "dr-grey", "--as", "admin"})["status"], "suspended");
    EXPECT_EQ(ok({"doctor", "show", "dr-grey"})["status"], "suspended");
    refused({"access", "request", "--as", "dr-grey", "--patient", "alice"});
    EXPECT_EQ(ok({"doctor", "verify", "dr-grey", "--as", "admin"})["status"], "verified");
}

TEST_F(Cli, StoreCheckReadsBackWhatTheChainNames) {
    const auto all = ok({"store", "check", "--all"});
    EXPECT_TRUE(all["ok"].get<bool>()) << all.dump();
    EXPECT_GE(all["patients"].size(), 2u);  // alice and bob at least
    const auto alice = ok({"store", "check", "--patient", "alice"});
    ASSERT_EQ(alice["patients"].size(), 1u);
    const auto objects = alice["objects"].get<std::uint64_t>();
    EXPECT_GT(objects, 3u);
    // A block goes missing (through the running gateway): the report names it, the exit is 1.
    std::vector<fs::path> blocks;
    for (const auto& e : fs::recursive_directory_iterator(fs::path(data_dir()) / "ipfs" / "blocks"))
        if (e.is_regular_file() && e.path().extension() == ".data") blocks.push_back(e.path());
    ASSERT_FALSE(blocks.empty());
    // Every block of the store belongs to some object the chain names for alice or bob; take
    // them away one at a time until alice's check notices (the first one usually does).
    bool noticed = false;
    for (const auto& b : blocks) {
        const auto aside = fs::path(data_dir()) / "scratch" / "aside.data";
        fs::create_directories(aside.parent_path());
        fs::rename(b, aside);
        const auto r = run({"--json", "store", "check", "--patient", "alice"});
        fs::rename(aside, b);
        if (r.exit_code == 0) continue;
        EXPECT_EQ(r.exit_code, 1) << r.err;
        const auto report = json::parse(r.out);
        EXPECT_FALSE(report["ok"].get<bool>());
        EXPECT_EQ(report["problems"], 1);
        EXPECT_EQ(report["objects"], objects);
        EXPECT_EQ(r.err.rfind("error: 1 of ", 0), 0u) << r.err;
        noticed = true;
        break;
    }
    EXPECT_TRUE(noticed);
    EXPECT_TRUE(ok({"store", "check", "--patient", "alice"})["ok"].get<bool>());  // put back: intact
    const auto usage = run({"store", "check"});
    EXPECT_EQ(usage.exit_code, 1);
    EXPECT_NE(usage.err.find("--patient"), std::string::npos) << usage.err;
}

TEST_F(Cli, HumanOutputSpeaksPlainly) {
    const auto r = run({"record", "list", "--as", "alice", "--patient", "alice"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("Condition: Type 2 diabetes mellitus (remission"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Medication: Metformin 500 mg tablet"), std::string::npos) << r.out;
    const auto a = run({"audit", "show", "--patient", "alice", "--verify"});
    ASSERT_EQ(a.exit_code, 0) << a.err;
    EXPECT_NE(a.out.find("verified: complete"), std::string::npos) << a.out;
    const auto e = run({"record", "show", "--as", "dr-grey", "--patient", "alice", "--record", "1"});
    EXPECT_EQ(e.exit_code, 1);
    EXPECT_TRUE(e.out.empty()) << e.out;
    EXPECT_EQ(e.err.rfind("error: ", 0), 0u) << e.err;
}

TEST_F(Cli, BadInputIsOneSentence) {
    refused({"record", "show", "--as", "alice", "--patient", "0x000000000000000000000000000000000000dEaD", "--record", "1"});
    refused({"record", "show", "--as", "nobody-by-that-name", "--patient", "alice", "--record", "1"});
    refused({"record", "show", "--as", "alice", "--patient", "alice", "--record", "999"});
    const auto bad = write_file("bad.json", "{\"resourceType\": \"Condition\", \"code\": ");
    refused({"record", "add", "--as", "alice", "--patient", "alice", "--file", bad});
    const auto invalid = write_file("invalid.json", json{{"resourceType", "Condition"}, {"onsetDateTime", "yesterday"}}.dump());
    refused({"record", "add", "--as", "alice", "--patient", "alice", "--file", invalid});
    refused({"record", "add", "--as", "alice", "--patient", "alice", "--kind", "appointment", "--fields",
             fields({{"start", "soon"}})});
    // Fields files: an unknown field is named (its value never), bad JSON is one sentence.
    const auto unknown = refused({"record", "add", "--as", "alice", "--patient", "alice", "--kind", "note", "--fields",
                                  fields({{"diagnosis", "Secret Diagnosis"}})});
    EXPECT_NE(unknown.find("'diagnosis'"), std::string::npos) << unknown;
    EXPECT_EQ(unknown.find("Secret Diagnosis"), std::string::npos) << unknown;
    const auto broken = refused({"patient", "register", "--as", "stranger", "--fields",
                                 write_file("broken-fields.json", "{\"name\": \"Secret Name")});
    EXPECT_EQ(broken.find("Secret Name"), std::string::npos) << broken;
    refused({"patient", "register", "--as", "stranger", "--fields", fields({{"name", "No Birth Date"}})});
    // Without --fields and without a terminal, the command says how to give them.
    const auto how = refused({"record", "add", "--as", "alice", "--patient", "alice", "--kind", "note"});
    EXPECT_NE(how.find("--fields"), std::string::npos) << how;
    refused({"file", "attach", "--as", "alice", "--patient", "alice", "--path", data_dir() + "/no-such-file.pdf"});
    refused({"audit", "show", "--patient", "not-an-account"});
    // An unreachable chain: one sentence, no hang.
    const auto manifest = ok({"node", "status"})["manifestPath"].get<std::string>();
    const int port = dossier::test::free_port();
    const auto err = refused({"--rpc-url", "http://127.0.0.1:" + std::to_string(port), "--manifest", manifest, "doctor",
                              "list"});
    EXPECT_NE(err.find("127.0.0.1"), std::string::npos) << err;
    refused({"--chain-id", "5", "doctor", "list"});
}

// Secrets stay secret: a malformed key never comes back in an error, wherever it came from.
TEST_F(Cli, AMalformedKeyIsNeverEchoed) {
    const std::string key = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    const auto echoes = [&](const std::string& err) {
        for (std::size_t i = 0; i + 8 <= key.size(); ++i)
            if (err.find(key.substr(i, 8)) != std::string::npos) return true;
        return false;
    };
    const auto before = ok({"account", "list"}).size();
    int n = 0;
    for (const std::string& text : {key.substr(0, 63), "0x" + key.substr(0, 63), key.substr(0, 62) + "zz\n",
                                    "0x" + key + "00"}) {
        const auto file = write_file("bad-key-" + std::to_string(++n), text);
        const auto err = refused({"account", "import", "--key-file", file, "--role", "doctor", "--label", "bad-key"});
        EXPECT_FALSE(echoes(err)) << "the error echoes the key: " << err;
        const auto piped = dossier::test::run({DOSSIER_CLI, "--data-dir", data_dir(), "account", "import", "--key-file",
                                               "-", "--role", "doctor", "--label", "bad-key"},
                                              text);
        EXPECT_EQ(piped.exit_code, 1) << piped.err;
        EXPECT_FALSE(echoes(piped.err + piped.out)) << "the error echoes the key: " << piped.err;
    }
    EXPECT_EQ(ok({"account", "list"}).size(), before);
    // A well-formed key on stdin is imported.
    const auto good = dossier::test::run({DOSSIER_CLI, "--data-dir", data_dir(), "--json", "account", "import",
                                          "--key-file", "-", "--role", "doctor", "--label", "from-stdin", "--no-fund"},
                                         "0x" + key + "\n");
    ASSERT_EQ(good.exit_code, 0) << good.err;
    EXPECT_EQ(lower_hex(json::parse(good.out)["address"].get<std::string>()),
              "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23");
}

// A key file is read as a key, never as the path of a keystore to import.
TEST_F(Cli, AKeyFileHoldingAPathIsRefused) {
    dossier::test::TempDir cast_dir;
    (void)dossier::test::run_ok({dossier::test::foundry_tool("cast"), "wallet", "import", "k", "--private-key",
                                 "0x8da4ef21b864d2cc526dbdb2a120bd2874c36c9d0a1fb7f8c63d7f7a8b41de8f", "--keystore-dir",
                                 cast_dir.path(), "--unsafe-password", "correct horse"});
    const std::string keystore = cast_dir.path() + "/k";
    const auto before = ok({"account", "list"}).size();
    const auto file = write_file("key-file-with-a-path", keystore + "\n");
    refused({"account", "import", "--key-file", file, "--role", "doctor", "--label", "by-path", "--no-fund"});
    EXPECT_EQ(ok({"account", "list"}).size(), before);

    // Imported as what it is, cast's keystore (scrypt N = 8192, below the floor) is kept
    // re-encrypted at no less than N = 2^14; cast's file is not changed.
    const auto imported = ok({"account", "import", "--keystore", keystore, "--role", "doctor", "--label", "from-cast",
                              "--no-fund"});
    const auto stored = json::parse(read_file(imported["keystore"].get<std::string>()));
    EXPECT_GE(stored["crypto"]["kdfparams"]["n"].get<std::uint64_t>(), 16384u) << stored.dump();
    EXPECT_EQ(json::parse(read_file(keystore))["crypto"]["kdfparams"]["n"], 8192);
}

// No personal data on the command line: no command has an option that takes it.
TEST_F(Cli, NoOptionTakesPersonalData) {
    const std::vector<std::string> personal = {"--name",     "--birth-date", "--gender", "--phone",  "--email",
                                               "--specialty", "--licence",   "--code",   "--text",   "--title",
                                               "--status",   "--start",      "--end",    "--dosage", "--criticality",
                                               "--reaction", "--type"};
    for (const std::vector<std::string>& cmd :
         {std::vector<std::string>{"patient", "register"}, {"patient", "add"}, {"doctor", "register"},
          {"record", "add"}, {"record", "update"}, {"file", "attach"}}) {
        auto args = cmd;
        args.push_back("--help");
        const auto help = run(args);
        ASSERT_EQ(help.exit_code, 0);
        EXPECT_NE(help.out.find("--fields"), std::string::npos) << help.out;
        for (const auto& option : personal) {
            EXPECT_EQ(help.out.find(option + " "), std::string::npos) << cmd[0] << " " << cmd[1] << " has " << option;
            auto given = cmd;
            given.insert(given.end(), {"--as", "alice", option, "Alice Liddell"});
            EXPECT_EQ(run(given).exit_code, 2) << cmd[0] << " " << cmd[1] << " accepts " << option;
        }
    }
}

// The process cannot dump core: a dossier command waiting for its input is inspected from outside.
TEST_F(Cli, TheProcessDumpsNoCore) {
    const auto fifo = fs::path(data_dir()) / "scratch" / "stdin.fifo";
    fs::create_directories(fifo.parent_path());
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    // The child inherits a core limit as high as this process may set: a shell's default of 0
    // would prove nothing.
    rlimit saved{};
    ASSERT_EQ(::getrlimit(RLIMIT_CORE, &saved), 0);
    const rlimit raised{saved.rlim_max, saved.rlim_max};
    ASSERT_EQ(::setrlimit(RLIMIT_CORE, &raised), 0);
    ASSERT_GT(raised.rlim_cur, 0u) << "the hard core limit is 0 here: nothing to prove";
    dossier::test::Child child({"/bin/sh", "-c",
                                std::string("exec ") + DOSSIER_CLI + " --data-dir " + data_dir() +
                                    " account import --key-file - --role doctor --label waiting --no-fund < " +
                                    fifo.string()});
    // Opening the writing end unblocks the shell, which then runs dossier (non-blocking: a shell
    // that never started cannot hang the test).
    int writer = -1;
    for (int i = 0; i < 250 && writer < 0; ++i) {
        writer = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
        if (writer < 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_GE(writer, 0);
    std::string limits;
    for (int i = 0; i < 200; ++i) {
        std::error_code ec;
        const auto exe = fs::read_symlink("/proc/" + std::to_string(child.pid()) + "/exe", ec);
        if (!ec && exe.filename() == fs::path(DOSSIER_CLI).filename()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));  // past main's first lines
            limits = read_file("/proc/" + std::to_string(child.pid()) + "/limits");
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::close(writer);
    ASSERT_EQ(::setrlimit(RLIMIT_CORE, &saved), 0);
    ASSERT_FALSE(limits.empty()) << "dossier did not start";
    const auto line = limits.substr(limits.find("Max core file size"));
    std::istringstream fields(line.substr(0, line.find('\n')));
    std::string a, b, c, d, soft, hard;
    fields >> a >> b >> c >> d >> soft >> hard;
    EXPECT_EQ(soft, "0") << line;
    EXPECT_EQ(hard, "0") << line;
}

TEST_F(Cli, DeployOnARemoteChain) {
    dossier::test::Anvil remote;
    const auto key = write_file("deployer.key", std::string(dossier::test::Anvil::kDevKey1).substr(2) + "\n");
    ok({"account", "import", "--key-file", key, "--role", "admin", "--label", "deployer", "--no-fund"});
    // Without a manifest, a remote chain is refused with one sentence.
    refused({"--rpc-url", remote.url(), "doctor", "list"});
    const auto m = ok({"--rpc-url", remote.url(), "deploy", "--as", "deployer", "--authority", "admin"});
    EXPECT_EQ(m["chainId"], 31337);
    EXPECT_EQ(m["deployer"], dossier::test::Anvil::kDevAddress1);
    refused({"--rpc-url", remote.url(), "deploy", "--as", "deployer"});  // a manifest exists already
    const auto st = ok({"--rpc-url", remote.url(), "node", "status"});
    EXPECT_FALSE(st["embedded"].get<bool>());
    EXPECT_TRUE(st["deploymentOk"].get<bool>()) << st.dump();
    EXPECT_EQ(st["authority"], dossier::test::Anvil::kDevAddress);
    EXPECT_TRUE(ok({"--rpc-url", remote.url(), "doctor", "list"}).empty());
    // The embedded chain's doctors are not the remote chain's.
    refused({"--rpc-url", remote.url(), "doctor", "verify", "dr-house", "--as", "admin"});
    EXPECT_EQ(ok({"doctor", "list"}).size(), 3u);

    // Export: the encrypted keystore file, or the raw key after the password.
    const auto out = fs::path(data_dir()) / "scratch" / "exported";
    fs::create_directories(out);
    const auto file = ok({"account", "export", "deployer", "--out", out.string()})["keystore"].get<std::string>();
    EXPECT_EQ(json::parse(read_file(file))["version"], 3);
    EXPECT_EQ(fs::status(file).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_EQ(lower_hex(ok({"account", "export", "deployer", "--private-key"})["privateKey"].get<std::string>()),
              dossier::test::Anvil::kDevKey1);
}

TEST_F(Cli, NodeDownAndUpLosesNothing) {
    const auto before = ok({"record", "list", "--as", "alice", "--patient", "alice"});
    const auto audit_before = ok({"audit", "show", "--patient", "alice"});
    EXPECT_TRUE(ok({"node", "down"})["anvilWasRunning"].get<bool>());
    // A node that is down is a failure a monitoring script sees in the exit status; the report
    // still says what is down.
    const auto down = run({"--json", "node", "status"});
    EXPECT_EQ(down.exit_code, 1) << down.err;
    EXPECT_FALSE(json::parse(down.out)["anvilRunning"].get<bool>()) << down.out;
    EXPECT_FALSE(json::parse(down.out)["healthy"].get<bool>()) << down.out;
    EXPECT_EQ(down.err.rfind("error: the node is not healthy", 0), 0u) << down.err;
    const auto err = refused({"record", "list", "--as", "alice", "--patient", "alice"});
    EXPECT_NE(err.find("node up"), std::string::npos) << err;
    // An account made while the chain is down exists, unfunded, and the error says how to finish.
    const auto late = refused({"account", "new", "--role", "patient", "--label", "late"});
    EXPECT_NE(late.find("was created but not funded"), std::string::npos) << late;
    EXPECT_NE(late.find("dossier account fund late"), std::string::npos) << late;
    EXPECT_TRUE(ok({"node", "up"})["healthy"].get<bool>());
    const auto funded = ok({"account", "fund", "late", "--eth", "3"});
    EXPECT_EQ(rpc("eth_getBalance", {funded["address"], "latest"})["result"], "0x29a2241af62c0000");  // 3 ETH
    refused({"account", "fund", "nobody"});
    EXPECT_EQ(ok({"record", "list", "--as", "alice", "--patient", "alice"}), before);
    EXPECT_EQ(ok({"audit", "show", "--patient", "alice"}), audit_before);
    // And it still takes writes.
    (void)ok({"record", "add", "--as", "alice", "--patient", "alice", "--kind", "note", "--fields",
                 fields({{"text", "after restart"}})});
    // Restarted with --block-time, the chain makes blocks on a clock as a real chain does, and
    // a write waits for the next one; restarted without, it is back to a block per transaction.
    EXPECT_TRUE(ok({"node", "down"})["anvilWasRunning"].get<bool>());
    EXPECT_TRUE(ok({"node", "up", "--block-time", "1"})["healthy"].get<bool>());
    EXPECT_EQ(rpc("anvil_getAutomine", json::array())["result"], false);
    (void)ok({"record", "add", "--as", "alice", "--patient", "alice", "--kind", "note", "--fields",
                 fields({{"text", "on a clock"}})});
    EXPECT_EQ(run({"node", "up", "--block-time", "-1"}).exit_code, 2);  // a usage error
    EXPECT_TRUE(ok({"node", "down"})["anvilWasRunning"].get<bool>());
    EXPECT_TRUE(ok({"node", "up"})["healthy"].get<bool>());
    EXPECT_EQ(rpc("anvil_getAutomine", json::array())["result"], true);
}

TEST_F(Cli, KillNineOfAnvilLosesNothingAcknowledged) {
    const auto st = ok({"node", "status"});
    const auto pid = st["anvilPid"].get<pid_t>();
    ASSERT_GT(pid, 0);
    // Writes acknowledged (exit 0) just before the crash: anvil saves its state once a second, so
    // some of these are only in the journal when it dies.
    std::vector<int> ids;
    for (int i = 0; i < 3; ++i)
        ids.push_back(ok({"record", "add", "--as", "alice", "--patient", "alice", "--kind", "note", "--fields",
                          fields({{"text", "before the crash " + std::to_string(i)}})})["record"].get<int>());
    EXPECT_EQ(ok({"record", "update", "--as", "alice", "--patient", "alice", "--record", "2", "--kind", "medication",
                  "--fields", fields({{"code", "Metformin 1000 mg tablet"}})})["version"], 2);
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    for (int i = 0; i < 50 && kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const auto up = ok({"node", "up"});
    EXPECT_TRUE(up["startedAnvil"].get<bool>());
    EXPECT_TRUE(up["healthy"].get<bool>()) << up.dump();
    // How many writes only the journal still held (anvil had not saved them) depends on timing.
    std::cout << "recovery after kill -9: " << up["recovery"].dump() << std::endl;
    RecordProperty("resent", up["recovery"]["resent"].get<int>());
    EXPECT_EQ(up["recovery"]["unrecoverable"], 0);
    EXPECT_EQ(up["recovery"]["rejected"], 0);
    for (std::size_t i = 0; i < ids.size(); ++i)
        EXPECT_EQ(ok({"record", "show", "--as", "alice", "--patient", "alice", "--record", std::to_string(ids[i])})
                      ["resource"]["content"][0]["attachment"]["data"].is_string(),
                  true);
    const auto med = ok({"record", "show", "--as", "alice", "--patient", "alice", "--record", "2"});
    EXPECT_EQ(med["version"], 2);
    EXPECT_NE(med["resource"].dump().find("1000 mg"), std::string::npos);
    EXPECT_TRUE(ok({"audit", "show", "--patient", "alice", "--verify"})["verification"]["ok"].get<bool>());
}

TEST_F(Cli, DemoRunsTwiceWithJson) {
    for (int run = 1; run <= 2; ++run) {
        const auto d = ok({"demo"});
        EXPECT_EQ(d["run"], run);
        EXPECT_TRUE(d["auditVerified"].get<bool>());
        EXPECT_EQ(d["expectedRefusals"], 3);
        std::set<std::string> names;
        for (const auto& s : d["steps"]) names.insert(s["name"].get<std::string>());
        for (const char* n : {"doctor-verified", "patient-registered", "patient-added", "access-approved",
                              "access-denied", "record-added", "record-updated", "file-attached", "file-fetched",
                              "access-revoked", "read-refused", "audit-verified", "done"})
            EXPECT_TRUE(names.count(n)) << n;
    }
}

}  // namespace
