// FileLock: its directory is created, a second holder (another descriptor, as another process
// would have) waits until the first lets go, and a path that cannot be a file is one clear error.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <future>

#include "base/error.hpp"
#include "base/file_lock.hpp"
#include "support/process.hpp"

using namespace dossier;

TEST(FileLock, ASecondHolderWaitsForTheFirst) {
    test::TempDir dir;
    const auto path = std::filesystem::path(dir.path()) / "locks" / "a.lock";
    std::future<void> second;
    {
        const FileLock first(path);
        EXPECT_TRUE(std::filesystem::exists(path));
        second = std::async(std::launch::async, [&] { const FileLock again(path); });
        EXPECT_EQ(second.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
    }
    EXPECT_EQ(second.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    second.get();
    const FileLock other(std::filesystem::path(dir.path()) / "locks" / "b.lock");  // another file: no wait
}

TEST(FileLock, APathUnderAFileIsAnError) {
    test::TempDir dir;
    const auto file = std::filesystem::path(dir.path()) / "plain";
    std::ofstream(file) << "x";
    try {
        const FileLock lock(file / "a.lock");
        FAIL() << "locked a path under a regular file";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::io);
        EXPECT_NE(std::string(e.what()).find("a.lock"), std::string::npos) << e.what();
    }
}
