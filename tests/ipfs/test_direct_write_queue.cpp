// The blockstore's direct-I/O write queue: every submitted file ends up with exactly its bytes
// (more files than buffers, so buffers are reused while others are in flight), drain() waits for
// all of them, and a failed write surfaces as an error naming the file, from drain() and from
// every later call.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "data_gen.hpp"
#include "ipfs/direct_write_queue.hpp"
#include "ipfs/errors.hpp"
#include "support/process.hpp"

using namespace dossier;
using namespace dossier::ipfs;
namespace fs = std::filesystem;

namespace {

int create(const fs::path& p, bool direct) {
    int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | (direct ? O_DIRECT : 0), 0644);
    if (fd < 0 && direct) fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    return fd;
}

}  // namespace

TEST(DirectWriteQueue, EligibilityFollowsAlignmentAndSize) {
    DirectWriteQueue q(1, 1, 1 << 20);
    EXPECT_TRUE(q.eligible(4096));
    EXPECT_TRUE(q.eligible(256 << 10));
    EXPECT_TRUE(q.eligible(1 << 20));
    EXPECT_FALSE(q.eligible(0));
    EXPECT_FALSE(q.eligible(4095));
    EXPECT_FALSE(q.eligible((256 << 10) + 1));
    EXPECT_FALSE(q.eligible((1 << 20) + 4096));
    q.refuse();  // a file system that refused direct I/O: nothing is eligible any more
    EXPECT_FALSE(q.eligible(4096));
}

TEST(DirectWriteQueue, EveryFileGetsExactlyItsBytes) {
    test::TempDir dir;
    DirectWriteQueue q(2, 3, 256 << 10);
    constexpr int kFiles = 40;
    for (int i = 0; i < kFiles; ++i) {
        const Bytes b = testdata::bytes(static_cast<std::uint64_t>(i), (i % 4 == 0) ? 4096 : (256u << 10));
        const fs::path p = fs::path(dir.path()) / std::to_string(i);
        const int fd = create(p, true);
        ASSERT_GE(fd, 0);
        q.submit(fd, b, p);
    }
    q.drain();
    for (int i = 0; i < kFiles; ++i)
        EXPECT_EQ(testdata::slurp(fs::path(dir.path()) / std::to_string(i)),
                  as_chars(testdata::bytes(static_cast<std::uint64_t>(i), (i % 4 == 0) ? 4096 : (256u << 10))))
            << "file " << i;
}

TEST(DirectWriteQueue, AFailedWriteNamesItsFileAndStaysFailed) {
    test::TempDir dir;
    DirectWriteQueue q(2, 2, 64 << 10);
    const fs::path p = fs::path(dir.path()) / "read-only";
    { std::ofstream(p) << ""; }
    const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);  // pwrite fails with EBADF
    ASSERT_GE(fd, 0);
    q.submit(fd, testdata::bytes(1, 8192), p);
    try {
        q.drain();
        FAIL() << "drain() did not report the failed write";
    } catch (const IpfsError& e) {
        EXPECT_EQ(e.code(), ErrorCode::io);
        EXPECT_NE(std::string(e.what()).find("read-only"), std::string::npos) << e.what();
    }
    // Later calls keep failing: the import that owns the queue has failed.
    EXPECT_THROW(q.drain(), IpfsError);
    const fs::path p2 = fs::path(dir.path()) / "next";
    const int fd2 = create(p2, false);
    ASSERT_GE(fd2, 0);
    EXPECT_THROW(
        {
            q.submit(fd2, testdata::bytes(2, 4096), p2);
            q.drain();
        },
        IpfsError);
}
