/// Long calls stop within 200 ms of a cancel, leave nothing half-written visible, and name a
/// transaction that was already sent.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "client_fixture.hpp"

namespace dossier::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

TEST(ClientCancel, LargeAttachStopsWithin200Ms) {
    ClientFixture f;
    auto alice = f.patient("alice");
    (void)alice->add_record(alice->address(), condition("Fracture"));
    const fs::path big = fs::path(f.data_dir()) / "scan.bin";
    {
        std::ofstream out(big, std::ios::binary);
        out.seekp((std::int64_t{1} << 30) - 1);  // 1 GiB, sparse: fast to make, slow to encrypt
        out.put('\0');
    }
    std::stop_source stop;
    Clock::time_point cancelled_at{};
    (void)expect_code([&] {
        (void)alice->attach_file(alice->address(), {1, big, "", "", "X-ray"},
                                 [&](const client::Progress& p) {
                                     if (p.done >= (32u << 20) && !stop.stop_requested()) {
                                         cancelled_at = Clock::now();
                                         stop.request_stop();
                                     }
                                 },
                                 stop.get_token());
    }, ErrorCode::cancelled);
    const auto returned = Clock::now();
    ASSERT_NE(cancelled_at, Clock::time_point{});
    EXPECT_LT(returned - cancelled_at, std::chrono::milliseconds(200));
    // Nothing half-written is visible: no file, no new record.
    EXPECT_TRUE(alice->list_files(alice->address()).empty());
    EXPECT_EQ(f.client().patient(alice->address()).records, 1u);
}

TEST(ClientCancel, ReceiptWaitStopsWithin200MsAndNamesTheSentTransaction) {
    ClientFixture f;
    auto alice = f.patient("alice");
    f.rpc("evm_setAutomine", "[false]");  // transactions stay pending until a block is mined
    std::stop_source stop;
    std::optional<Error> error;
    Clock::time_point returned{};
    std::thread writer([&] {
        try {
            (void)alice->add_record(alice->address(), condition("Pending"), stop.get_token());
        } catch (const Error& e) {
            error = e;
        }
        returned = Clock::now();
    });
    // Wait until the transaction reached the node's pool.
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    while (Clock::now() < deadline && f.rpc("eth_getBlockTransactionCountByNumber", R"(["pending"])") == R"("0x0")")
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto cancelled_at = Clock::now();
    stop.request_stop();
    writer.join();
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), ErrorCode::cancelled);
    EXPECT_LT(returned - cancelled_at, std::chrono::milliseconds(200));
    // The error names the transaction: it was sent, and the node still holds it.
    ASSERT_EQ(error->detail().size(), 66u) << error->detail();
    EXPECT_NE(f.rpc("eth_getTransactionByHash", "[\"" + error->detail() + "\"]"), "null");
    // Mined later, it lands: a cancel does not drop what was sent.
    f.rpc("evm_setAutomine", "[true]");
    f.rpc("evm_mine");
    EXPECT_EQ(f.client().patient(alice->address()).records, 1u);
}

}  // namespace
}  // namespace dossier::test
