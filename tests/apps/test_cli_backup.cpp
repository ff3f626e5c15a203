/// `dossier backup` end to end on the embedded node: the demo's data directory is archived while
/// its node runs, the directory is destroyed, the archive is restored on a fresh path and its node
/// started, and every record, file and audit trail reads the same as before; a write afterwards
/// works (nonces and journal continue). Archives taken while records are being written restore
/// with every store and audit check passing, each later one holding at least as much. A flipped
/// byte is found by `backup verify` and named; a restore into a non-empty directory is refused;
/// `node status` exits 1 on another chain.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <algorithm>
#include <atomic>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/process.hpp"

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string hex_of(const std::string& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::size_t line_count(const fs::path& path) {
    const auto text = read_all(path);
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

class CliBackup : public ::testing::Test {
protected:
    void SetUp() override {
        setenv("DOSSIER_PASSWORD", "dossier-demo", 1);
        setenv("DOSSIER_KDF", "light", 1);
        unsetenv("DOSSIER_DATA_DIR");
        source_ = fs::path(scratch_.path()) / "source";
        restored_ = fs::path(scratch_.path()) / "restored";
    }
    void TearDown() override {
        for (const auto& dir : {source_, restored_})
            if (fs::exists(dir / "node")) (void)run(dir, {"node", "down"});
    }

    static dossier::test::RunResult run(const fs::path& dir, const std::vector<std::string>& args) {
        std::vector<std::string> argv = {DOSSIER_CLI, "--data-dir", dir.string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return dossier::test::run(argv, {}, std::chrono::seconds(180));
    }
    static json ok(const fs::path& dir, std::vector<std::string> args) {
        args.insert(args.begin(), "--json");
        const auto r = run(dir, args);
        std::string joined;
        for (const auto& a : args) joined += a + " ";
        if (r.exit_code != 0) throw std::runtime_error("dossier " + joined + "failed: " + r.err);
        return json::parse(r.out);
    }

    /// Every patient account's records, attached files (their plaintext's sha-256 from a fresh
    /// decryption) and the store check, as the patient reads them.
    json reads(const fs::path& dir) {
        json out = json::object();
        const fs::path fetched = fs::path(scratch_.path()) / "fetched";
        for (const auto& a : ok(dir, {"account", "list"})) {
            if (a["role"] != "patient") continue;
            const std::string p = a["label"];
            json records = ok(dir, {"record", "list", "--as", p, "--patient", p});
            json files = ok(dir, {"file", "list", "--as", p, "--patient", p});
            json plaintexts = json::array();
            for (const auto& f : files) {
                fs::remove_all(fetched);
                fs::create_directories(fetched);
                const auto got = ok(dir, {"file", "fetch", "--as", p, "--patient", p, "--record",
                                          std::to_string(f["record"].get<int>()), "--index",
                                          std::to_string(f["index"].get<int>()), "--out", (fetched / "f").string()});
                const std::string bytes = read_all(fetched / "f");
                plaintexts.push_back({{"digest", got["digest"]}, {"size", got["size"]}, {"hex", hex_of(bytes)}});
                raw_plaintexts_.push_back(bytes);
            }
            out[p] = {{"records", records}, {"files", files}, {"plaintexts", plaintexts}};
        }
        return out;
    }
    json audits(const fs::path& dir) {
        json out = json::object();
        for (const auto& a : ok(dir, {"account", "list"})) {
            if (a["role"] != "patient") continue;
            const std::string p = a["label"];
            const auto trail = ok(dir, {"audit", "show", "--patient", p, "--verify"});
            EXPECT_TRUE(trail["verification"]["ok"].get<bool>()) << p;
            out[p] = trail["entries"];
        }
        return out;
    }

    dossier::test::TempDir scratch_;
    fs::path source_, restored_;
    std::vector<std::string> raw_plaintexts_;  ///< the attached files as fetched
};

TEST_F(CliBackup, RestoredDirectoryReadsTheSameAndTakesWrites) {
    const auto demo = ok(source_, {"demo"});
    ASSERT_TRUE(demo["auditVerified"].get<bool>());
    const json before = reads(source_);
    ASSERT_GE(before.size(), 3u);
    std::size_t files = 0;
    for (const auto& [p, r] : before.items()) files += r["files"].size();
    ASSERT_GE(files, 1u) << "the demo attaches a file";
    const json audit_before = audits(source_);

    // Taken while the node runs.
    const fs::path archive = fs::path(scratch_.path()) / "dossier.dsbk";
    const auto made = ok(source_, {"backup", "create", archive.string()});
    EXPECT_EQ(made["chainState"], "anvil-dump");
    EXPECT_GT(made["blocks"].get<int>(), 0);
    EXPECT_GT(made["keystores"].get<int>(), 3);
    EXPECT_EQ(made["digest"].get<std::string>().size(), 64u);
    EXPECT_FALSE(fs::exists(archive.string() + ".partial"));
    // A second create does not overwrite the first.
    EXPECT_EQ(run(source_, {"backup", "create", archive.string()}).exit_code, 1);

    const auto checked = ok(source_, {"backup", "verify", archive.string()});
    EXPECT_TRUE(checked["ok"].get<bool>());
    EXPECT_EQ(checked["digest"], made["digest"]);
    EXPECT_EQ(checked["entries"], made["entries"]);

    // No plaintext in the archive: no record's summary, no attached file's content.
    {
        const std::string bytes = read_all(archive);
        std::size_t looked = 0;
        for (const auto& [p, r] : before.items()) {
            for (const auto& rec : r["records"]) {
                const std::string summary = rec["summary"];
                if (summary.size() < 12) continue;
                ++looked;
                EXPECT_EQ(bytes.find(summary), std::string::npos) << summary;
            }
        }
        ASSERT_FALSE(raw_plaintexts_.empty());
        for (const auto& plain : raw_plaintexts_) EXPECT_EQ(bytes.find(plain), std::string::npos);
        EXPECT_GT(looked, 3u);
    }

    // The source is gone: node stopped, directory destroyed.
    ASSERT_EQ(run(source_, {"node", "down"}).exit_code, 0);
    fs::remove_all(source_);

    // A non-empty target is refused and left as it was.
    fs::create_directories(restored_);
    std::ofstream(restored_ / "keep.txt") << "mine";
    const auto refused = run(source_, {"backup", "restore", archive.string(), "--data-dir", restored_.string()});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("not empty"), std::string::npos) << refused.err;
    EXPECT_EQ(read_all(restored_ / "keep.txt"), "mine");
    fs::remove_all(restored_);

    const auto restored = ok(source_, {"backup", "restore", archive.string(), "--data-dir", restored_.string()});
    EXPECT_TRUE(restored["ok"].get<bool>()) << restored.dump();
    EXPECT_TRUE(restored["node"]["healthy"].get<bool>()) << restored.dump();
    EXPECT_EQ(restored["checks"].size(), before.size());
    for (const auto& c : restored["checks"]) {
        EXPECT_TRUE(c["auditOk"].get<bool>()) << c.dump();
        EXPECT_EQ(c["storeProblems"], 0) << c.dump();
        EXPECT_GT(c["objects"].get<int>(), 0) << c.dump();
    }
    EXPECT_TRUE(ok(restored_, {"node", "status"})["healthy"].get<bool>());

    // Every audit trail, record, file and plaintext reads the same.
    EXPECT_EQ(audits(restored_), audit_before);
    EXPECT_EQ(reads(restored_), before);
    EXPECT_EQ(ok(restored_, {"store", "check", "--all"})["problems"], 0);

    // A write after the restore: the account's nonce continues on the restored chain, and the
    // transaction is journaled in the restored journal.
    const std::string patient = before.begin().key();
    const fs::path journal = restored_ / "journal" / "transactions.jsonl";
    const std::size_t journaled = fs::exists(journal) ? line_count(journal) : 0;
    const fs::path note = fs::path(scratch_.path()) / "note.json";
    std::ofstream(note) << R"({"text": "written after the restore"})";
    const auto written = ok(restored_, {"record", "add", "--as", patient, "--patient", patient, "--kind", "note",
                                        "--fields", note.string()});
    EXPECT_GT(line_count(journal), journaled);
    const auto shown = ok(restored_, {"record", "show", "--as", patient, "--patient", patient, "--record",
                                      std::to_string(written["record"].get<int>())});
    EXPECT_NE(shown["resource"].dump().find("d3JpdHRlbiBhZnRlciB0aGUgcmVzdG9yZQ"), std::string::npos) << shown.dump();
    EXPECT_EQ(ok(restored_, {"record", "list", "--as", patient, "--patient", patient}).size(),
              before[patient]["records"].size() + 1);
    EXPECT_TRUE(ok(restored_, {"audit", "show", "--patient", patient, "--verify"})["verification"]["ok"].get<bool>());
    // And it survives a restart of the restored node (its state file holds the restored chain).
    ASSERT_EQ(run(restored_, {"node", "down"}).exit_code, 0);
    ASSERT_EQ(run(restored_, {"node", "up"}).exit_code, 0);
    EXPECT_EQ(ok(restored_, {"record", "list", "--as", patient, "--patient", patient}).size(),
              before[patient]["records"].size() + 1);
}

TEST_F(CliBackup, ABackupTakenDuringWritesRestoresConsistent) {
    ASSERT_EQ(run(source_, {"node", "up"}).exit_code, 0);
    ASSERT_EQ(run(source_, {"account", "new", "--role", "patient", "--label", "alice"}).exit_code, 0);
    const fs::path profile = fs::path(scratch_.path()) / "profile.json";
    std::ofstream(profile) << R"({"name": "Alice Smith", "birthDate": "1980-02-01"})";
    const auto registered = run(source_, {"patient", "register", "--as", "alice", "--fields", profile.string()});
    ASSERT_EQ(registered.exit_code, 0) << registered.err;
    const fs::path note = fs::path(scratch_.path()) / "note.json";
    std::ofstream(note) << R"({"text": "written while the backup runs"})";
    const std::vector<std::string> add = {"record", "add", "--as", "alice", "--patient", "alice", "--kind", "note",
                                          "--fields", note.string()};
    const auto first = run(source_, add);
    ASSERT_EQ(first.exit_code, 0) << first.err;

    // Writes keep landing while three archives are taken.
    std::atomic<bool> stop{false};
    std::atomic<int> written{1};
    std::thread writer([&] {
        while (!stop) {
            if (run(source_, add).exit_code != 0) break;
            ++written;
        }
    });
    std::vector<fs::path> archives;
    for (int i = 0; i < 3; ++i) {
        archives.push_back(fs::path(scratch_.path()) / ("during-" + std::to_string(i) + ".dsbk"));
        const auto r = run(source_, {"backup", "create", archives.back().string()});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    stop = true;
    writer.join();
    ASSERT_GE(written.load(), 3) << "the writes did not run alongside the backups";

    int previous = 0;
    for (std::size_t i = 0; i < archives.size(); ++i) {
        const fs::path target = fs::path(scratch_.path()) / ("restored-" + std::to_string(i));
        const auto r = run(source_, {"--json", "backup", "restore", archives[i].string(), "--data-dir", target.string()});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        const auto restored = json::parse(r.out);
        EXPECT_TRUE(restored["ok"].get<bool>()) << r.out;
        const int records = static_cast<int>(ok(target, {"record", "list", "--as", "alice", "--patient", "alice"}).size());
        EXPECT_GE(records, previous) << "a later archive holds fewer records";
        EXPECT_LE(records, written.load());
        std::cout << "archive " << i << " restored " << records << " of the " << written.load() << " records written"
                  << std::endl;
        previous = records;
        EXPECT_EQ(run(target, {"node", "down"}).exit_code, 0);
    }
    EXPECT_GE(previous, 1);
}

TEST_F(CliBackup, VerifyNamesTheDamagedEntry) {
    ASSERT_EQ(run(source_, {"node", "up"}).exit_code, 0);
    ASSERT_EQ(run(source_, {"account", "new", "--role", "patient", "--label", "alice"}).exit_code, 0);
    const fs::path archive = fs::path(scratch_.path()) / "small.dsbk";
    (void)ok(source_, {"backup", "create", archive.string()});
    ASSERT_EQ(run(source_, {"backup", "verify", archive.string()}).exit_code, 0);
    const std::string good = read_all(archive);

    // One byte of accounts.json's content (after its name and its first chunk's 4-byte length).
    const std::string name = "accounts.json";
    const auto at = good.find(name);
    ASSERT_NE(at, std::string::npos);
    std::string bad = good;
    bad[at + name.size() + 4 + 10] = static_cast<char>(bad[at + name.size() + 4 + 10] ^ 0x01);
    const fs::path damaged = fs::path(scratch_.path()) / "damaged.dsbk";
    std::ofstream(damaged, std::ios::binary) << bad;
    const auto r = run(source_, {"backup", "verify", damaged.string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("entry 'accounts.json'"), std::string::npos) << r.err;

    // The last byte: the final digest.
    bad = good;
    bad.back() = static_cast<char>(bad.back() ^ 0x40);
    std::ofstream(damaged, std::ios::binary | std::ios::trunc) << bad;
    const auto last = run(source_, {"backup", "verify", damaged.string()});
    EXPECT_EQ(last.exit_code, 1);
    EXPECT_NE(last.err.find("final digest"), std::string::npos) << last.err;

    // Truncated: the framing breaks and the message says where.
    std::ofstream(damaged, std::ios::binary | std::ios::trunc) << good.substr(0, good.size() / 2);
    const auto cut = run(source_, {"backup", "verify", damaged.string()});
    EXPECT_EQ(cut.exit_code, 1);
    EXPECT_NE(cut.err.find("damaged"), std::string::npos) << cut.err;

    // A damaged archive is not restored: nothing is written.
    const auto no = run(source_, {"backup", "restore", damaged.string(), "--data-dir", restored_.string()});
    EXPECT_EQ(no.exit_code, 1);
    EXPECT_TRUE(!fs::exists(restored_) || fs::is_empty(restored_));

    // A restore that fails half-way (here: no anvil to load the chain into) leaves the directory
    // empty, and the same restore succeeds once the cause is gone.
    setenv("DOSSIER_ANVIL", "/nonexistent/anvil", 1);
    const auto failed = run(source_, {"backup", "restore", archive.string(), "--data-dir", restored_.string()});
    unsetenv("DOSSIER_ANVIL");
    EXPECT_EQ(failed.exit_code, 1);
    EXPECT_NE(failed.err.find("anvil not found"), std::string::npos) << failed.err;
    EXPECT_TRUE(fs::exists(restored_) && fs::is_empty(restored_));
    const auto again = run(source_, {"--json", "backup", "restore", archive.string(), "--data-dir", restored_.string()});
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_TRUE(json::parse(again.out)["ok"].get<bool>()) << again.out;

    // Not a backup at all.
    const fs::path other = fs::path(scratch_.path()) / "other.txt";
    std::ofstream(other) << "hello, this is not an archive of anything";
    const auto foreign = run(source_, {"backup", "verify", other.string()});
    EXPECT_EQ(foreign.exit_code, 1);
    EXPECT_NE(foreign.err.find("not a Dossier backup"), std::string::npos) << foreign.err;
}

TEST_F(CliBackup, NodeStatusExitsOneOnAnotherChain) {
    ASSERT_EQ(run(source_, {"node", "up"}).exit_code, 0);
    EXPECT_EQ(run(source_, {"node", "status"}).exit_code, 0);
    const auto wrong = run(source_, {"--json", "--chain-id", "999", "node", "status"});
    EXPECT_EQ(wrong.exit_code, 1) << wrong.out;
    EXPECT_FALSE(json::parse(wrong.out)["healthy"].get<bool>());
    EXPECT_NE(wrong.err.find("not the expected chain 999"), std::string::npos) << wrong.err;
}

}  // namespace
