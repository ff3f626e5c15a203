// One RpcClient shared by threads against a real anvil, and the cancellation of its waits: a
// receipt poll for a transaction that is never mined, a log scan, an unreachable node's code.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <optional>
#include <stop_token>
#include <thread>
#include <vector>

#include "base/cancel.hpp"
#include "base/hex.hpp"
#include "eth/rpc_client.hpp"
#include "support/anvil.hpp"

using namespace dossier;
using namespace dossier::eth;
using namespace std::chrono;
using dossier::test::Anvil;

namespace {

Anvil& shared_anvil() {
    static Anvil anvil;
    return anvil;
}

}  // namespace

TEST(RpcConcurrency, EightThreadsShareOneClient) {
    RpcClient rpc(shared_anvil().url());
    (void)rpc.call("anvil_mine", {"0x5"});
    const std::uint64_t expected = rpc.block_number();
    constexpr int kThreads = 8;
    std::barrier start(kThreads);
    std::atomic<int> good{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&] {
            start.arrive_and_wait();  // all threads ask at the same moment
            for (int i = 0; i < 20; ++i)
                if (rpc.block_number() == expected) ++good;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(good.load(), kThreads * 20);
}

TEST(RpcConcurrency, CancelStopsWaitingForAReceiptAndNamesTheTransaction) {
    RpcClient rpc(shared_anvil().url());
    Bytes32 never_sent{};
    for (std::size_t i = 0; i < never_sent.size(); ++i) never_sent[i] = static_cast<std::uint8_t>(0xa0 + i);
    std::stop_source stop;
    std::optional<Error> caught;
    steady_clock::time_point failed_at;
    std::thread waiter([&] {
        const CancelScope scope(stop.get_token());
        try {
            (void)rpc.wait_for_receipt(never_sent, steady_clock::now() + seconds(30));
        } catch (const Error& e) {
            caught = e;
        }
        failed_at = steady_clock::now();
    });
    std::this_thread::sleep_for(milliseconds(700));  // past the first doublings of the poll delay
    const auto cancelled_at = steady_clock::now();
    stop.request_stop();
    waiter.join();
    ASSERT_TRUE(caught) << "wait_for_receipt returned without an error";
    EXPECT_EQ(caught->code(), ErrorCode::cancelled);
    EXPECT_EQ(caught->detail(), to_hex(never_sent));
    EXPECT_LT(failed_at - cancelled_at, milliseconds(200))
        << duration_cast<milliseconds>(failed_at - cancelled_at).count() << " ms";
}

TEST(RpcConcurrency, AWaitStartedAfterTheCancelEndsAtOnce) {
    RpcClient rpc(shared_anvil().url());
    Bytes32 never_sent{};
    never_sent[0] = 0x42;
    std::stop_source stop;
    stop.request_stop();
    const CancelScope scope(stop.get_token());
    const auto start = steady_clock::now();
    try {
        (void)rpc.wait_for_receipt(never_sent, steady_clock::now() + seconds(30));
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::cancelled);
        EXPECT_EQ(e.detail(), to_hex(never_sent));
    }
    EXPECT_LT(steady_clock::now() - start, milliseconds(200));
}

TEST(RpcConcurrency, LogPagingStopsBetweenPages) {
    RpcClient rpc(shared_anvil().url());
    (void)rpc.call("anvil_mine", {"0x10"});
    const std::uint64_t head = rpc.block_number();
    std::stop_source stop;
    stop.request_stop();
    const CancelScope scope(stop.get_token());
    try {
        (void)rpc.get_logs_paged(LogFilter{}, 0, head, 2);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::cancelled);
    }
}

TEST(RpcConcurrency, AnUnreachableNodeIsNodeUnavailable) {
    RpcClient rpc("http://127.0.0.1:" + std::to_string(test::free_port()));
    try {
        (void)rpc.block_number();
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::node_unavailable);
    }
}
