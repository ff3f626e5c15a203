#include <gtest/gtest.h>
#include <sys/stat.h>

#include "base/atomic_file.hpp"
#include "support/error_code.hpp"
#include "support/process.hpp"

using namespace dossier;

TEST(AtomicFile, WritesReplacesAndKeepsMode) {
    test::TempDir dir;
    const auto p = std::filesystem::path(dir.path()) / "f.json";
    write_file_atomic(p, as_bytes("one"), 0600);
    write_file_atomic(p, as_bytes("two"), 0600);
    const Bytes got = read_file(p);
    EXPECT_EQ(std::string(got.begin(), got.end()), "two");
    struct stat st {};
    ASSERT_EQ(stat(p.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    // No temporary files are left behind.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(AtomicFile, ForbidRefusesExistingFile) {
    test::TempDir dir;
    const auto p = std::filesystem::path(dir.path()) / "key";
    write_file_atomic(p, as_bytes("a"), 0600, Overwrite::forbid);
    test::expect_code([&] { write_file_atomic(p, as_bytes("b"), 0600, Overwrite::forbid); }, ErrorCode::already_exists);
    const Bytes got = read_file(p);
    EXPECT_EQ(std::string(got.begin(), got.end()), "a");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(AtomicFile, ReadingAMissingFileNamesIt) {
    try {
        (void)read_file("/nonexistent/dossier/file");
        FAIL();
    } catch (const FileError& e) {
        EXPECT_EQ(e.code(), ErrorCode::io);
        EXPECT_NE(std::string(e.what()).find("/nonexistent/dossier/file"), std::string::npos);
    }
}
