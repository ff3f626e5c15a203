/// The backup container (backup_archive.hpp): what is written reads back entry by entry with the
/// same digests, and any single flipped byte or any truncation is refused, naming the entry when
/// the damage is in one.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "dossier/backup_archive.hpp"
#include "support/process.hpp"

namespace {

using namespace dossier;
using namespace dossier::core;
namespace fs = std::filesystem;

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_all(const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

class BackupArchive : public ::testing::Test {
protected:
    /// Writes entries "a" (small), "b" (empty), "c" (several chunks, from a file) and returns the
    /// final digest.
    Bytes32 write_archive(const fs::path& file, std::size_t big) {
        const fs::path source = fs::path(dir_.path()) / "big.bin";
        std::string content(big, '\0');
        for (std::size_t i = 0; i < big; ++i) content[i] = static_cast<char>((i * 7919) % 251);
        write_all(source, content);
        const UniqueFd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
        BackupWriter w(fd.get());
        w.begin_entry("a");
        w.content(as_bytes(std::string_view("hello, archive")));
        w.end_entry();
        w.begin_entry("b");
        w.end_entry();
        EXPECT_TRUE(w.add_file("dir/c", source));
        EXPECT_FALSE(w.add_file("gone", fs::path(dir_.path()) / "no-such-file"));
        return w.finish(R"({"chain_state":"none"})");
    }

    dossier::test::TempDir dir_;
};

TEST_F(BackupArchive, ReadsBackWhatWasWritten) {
    const fs::path file = fs::path(dir_.path()) / "a.dsbk";
    const std::size_t big = 600 * 1024;  // three chunks
    const Bytes32 digest = write_archive(file, big);
    std::map<std::string, std::string> got;
    std::string current;
    const auto contents = read_backup(file, BackupSink{[&](const std::string& name) {
                                                           current = name;
                                                           return true;
                                                       },
                                                       [&](ByteView bytes) {
                                                           got[current].append(reinterpret_cast<const char*>(bytes.data()),
                                                                               bytes.size());
                                                       },
                                                       [&](const BackupEntryInfo& info) { got[info.name]; }});
    EXPECT_EQ(contents.digest, digest);
    ASSERT_EQ(contents.entries.size(), 3u);
    EXPECT_EQ(contents.entries[0].name, "a");
    EXPECT_EQ(contents.entries[1].name, "b");
    EXPECT_EQ(contents.entries[2].name, "dir/c");
    EXPECT_EQ(contents.entries[2].size, big);
    EXPECT_EQ(got["a"], "hello, archive");
    EXPECT_EQ(got["b"], "");
    EXPECT_EQ(got["dir/c"], read_all(fs::path(dir_.path()) / "big.bin"));
    EXPECT_EQ(contents.archive_bytes, fs::file_size(file));
    const auto manifest = nlohmann::json::parse(contents.manifest_json);
    EXPECT_EQ(manifest["chain_state"], "none");
    EXPECT_EQ(manifest["entries"].size(), 3u);
}

TEST_F(BackupArchive, EveryFlippedByteAndEveryTruncationIsRefused) {
    const fs::path file = fs::path(dir_.path()) / "small.dsbk";
    (void)write_archive(file, 1000);
    const std::string good = read_all(file);
    const fs::path bad_file = fs::path(dir_.path()) / "bad.dsbk";
    std::size_t named = 0;
    for (std::size_t i = 0; i < good.size(); ++i) {
        std::string bad = good;
        bad[i] = static_cast<char>(bad[i] ^ 0x10);
        write_all(bad_file, bad);
        try {
            (void)read_backup(bad_file);
            ADD_FAILURE() << "a flipped byte at " << i << " of " << good.size() << " was not noticed";
        } catch (const Error& e) {
            EXPECT_TRUE(e.code() == ErrorCode::tampered || e.code() == ErrorCode::invalid_input) << e.what();
            if (std::string(e.what()).find("entry 'dir/c' does not match its digest") != std::string::npos) ++named;
        }
    }
    EXPECT_GE(named, 1000u) << "a byte of dir/c's content flipped names dir/c";
    for (std::size_t n = 0; n < good.size(); n += 7) {
        write_all(bad_file, good.substr(0, n));
        EXPECT_THROW((void)read_backup(bad_file), Error) << "truncated to " << n;
    }
    write_all(bad_file, good + "x");
    EXPECT_THROW((void)read_backup(bad_file), Error);
}

TEST_F(BackupArchive, AnImpossibleChunkLengthIsRefusedBeforeAnyAllocation) {
    const fs::path file = fs::path(dir_.path()) / "a.dsbk";
    (void)write_archive(file, 10);
    std::string bad = read_all(file);
    // The first entry's first chunk length follows the magic, 'E', the u16 name length and "a".
    const std::size_t at = kBackupMagic.size() + 1 + 2 + 1;
    bad[at] = '\x7f';
    write_all(file, bad);
    try {
        (void)read_backup(file);
        FAIL() << "accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::tampered);
        EXPECT_NE(std::string(e.what()).find("chunk length is impossible in entry 'a'"), std::string::npos) << e.what();
    }
}

}  // namespace
