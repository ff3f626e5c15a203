// Crash safety of the embedded store: a child process imports a large file and is killed with
// SIGKILL at a random point; afterwards verify() must find no torn or wrong block, and a
// re-import must complete with the right CID and content. (SIGKILL tests process crashes; the
// durability argument for power loss is in fs_block_store.cpp.)
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "data_gen.hpp"
#include "support/process.hpp"
#include "ipfs/local_content_store.hpp"
#include "ipfs/sha256.hpp"

using namespace dossier;
using namespace dossier::ipfs;

namespace {

constexpr std::uint64_t kSize = 160ull << 20;  // 640 blocks of 256 KiB, 4 parents, a root

Bytes32 hash_stream(ByteSource& s) {
    Sha256 h;
    Bytes buf(1 << 20);
    for (;;) {
        const std::size_t n = s.read(buf);
        if (n == 0) break;
        h.update(ByteView(buf).first(n));
    }
    return h.finish();
}

}  // namespace

TEST(Crash, KillDuringImportLeavesNoTornBlockAndReimportWorks) {
    testdata::Generator ref(77, kSize);
    NullBlockWriter sink;
    const Cid expected = import_file(ref, sink).root;
    testdata::Generator ref2(77, kSize);
    const Bytes32 expected_hash = hash_stream(ref2);

    test::TempDir dir;
    std::mt19937_64 rng(std::random_device{}());
    for (int round = 0; round < 4; ++round) {
        int fds[2];
        ASSERT_EQ(::pipe(fds), 0);
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            ::close(fds[0]);
            try {
                LocalContentStore cs(dir.path());
                testdata::Generator g(77, kSize);
                (void)cs.add(g, AddOptions{ImportProfile::kubo_v1(), [&](std::uint64_t) {
                                               const char c = 'p';
                                               (void)!::write(fds[1], &c, 1);
                                           }, true});
            } catch (...) {
                ::_exit(2);
            }
            ::_exit(0);
        }
        ::close(fds[1]);
        // Kill after a random number of chunks: early, middle, or during the final batches.
        const std::uint64_t kill_after = 1 + rng() % 600;
        std::uint64_t seen = 0;
        char c;
        while (seen < kill_after && ::read(fds[0], &c, 1) == 1) ++seen;
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        ::close(fds[0]);
        ASSERT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0)) << status;

        LocalContentStore cs(dir.path());
        const auto bad = cs.blocks().verify();
        for (const auto& b : bad) ADD_FAILURE() << "round " << round << ": " << b.path << ": " << b.reason;
        EXPECT_TRUE(bad.empty());
        EXPECT_TRUE(std::filesystem::is_empty(std::filesystem::path(dir.path()) / "blocks" / ".temp"));
        // A pin only ever names a complete DAG.
        for (const Cid& p : cs.pins()) EXPECT_TRUE(cs.has(p));
        if (round % 2 == 1) {
            testdata::Generator g(77, kSize);
            const ImportResult r = cs.add(g);
            EXPECT_EQ(r.root, expected);
            auto s = cs.cat(r.root);
            EXPECT_EQ(hash_stream(*s), expected_hash);
            cs.unpin(r.root);
            (void)cs.blocks().gc();  // start the next round from an empty store
        }
    }
}
