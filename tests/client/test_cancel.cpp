/// Long calls stop within 200 ms of a cancel, leave nothing half-written visible, and name a
/// transaction that was already sent (which the embedded node's journal holds).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <thread>

#include "client_fixture.hpp"

namespace dossier::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

/// A JSON-RPC call to the node: (method, params as JSON text) -> "result" as JSON text.
using RpcFn = std::function<std::string(const std::string&, const std::string&)>;

/// How a call cancelled while it waited for its transaction's receipt ended.
struct CancelledCall {
    std::optional<Error> error;    ///< what it threw (nothing: it returned)
    Clock::duration after_stop{};  ///< from the stop request to its return
};

/// Runs `call(stop)` on a thread while the node does not mine (the caller turned automine off):
/// once the call's transaction waits in the node's pool, and no sooner than 300 ms after the
/// call began, requests stop and waits for the call to return.
CancelledCall cancel_during_receipt_wait(const RpcFn& rpc, const std::function<void(std::stop_token)>& call) {
    std::stop_source stop;
    CancelledCall out;
    std::atomic<bool> finished{false};
    Clock::time_point returned{};
    const auto started = Clock::now();
    std::thread worker([&] {
        try {
            call(stop.get_token());
        } catch (const Error& e) {
            out.error = e;
        }
        returned = Clock::now();
        finished = true;
    });
    const auto deadline = started + 20s;
    const auto nothing_pending = [&] {
        return rpc("eth_getBlockTransactionCountByNumber", R"(["pending"])") == R"("0x0")";
    };
    while (!finished && Clock::now() < deadline && nothing_pending()) std::this_thread::sleep_for(20ms);
    // The transaction is in the pool: let the call settle into its receipt wait.
    std::this_thread::sleep_until(std::max(started + 300ms, Clock::now() + 100ms));
    const auto stopped_at = Clock::now();
    stop.request_stop();
    // A call that ignores the stop would wait for a block for ever: mine, so that it returns
    // (late, which the caller's check reports) instead of hanging the test.
    for (auto next_mine = stopped_at + 2s; !finished && Clock::now() < stopped_at + 30s;) {
        std::this_thread::sleep_for(10ms);
        if (!finished && Clock::now() >= next_mine) {
            (void)rpc("evm_mine", "[]");
            next_mine += 1s;
        }
    }
    worker.join();
    out.after_stop = returned - stopped_at;
    return out;
}

/// The call stopped within 200 ms with Error(cancelled) naming the transaction it had sent, which
/// the node holds (pending: nothing is mined).
void expect_cancelled_after_sending(const CancelledCall& c, const RpcFn& rpc) {
    ASSERT_TRUE(c.error.has_value()) << "the call was not stopped";
    EXPECT_EQ(c.error->code(), ErrorCode::cancelled) << c.error->what();
    EXPECT_LT(c.after_stop, 200ms);
    ASSERT_EQ(c.error->detail().size(), 66u) << c.error->detail();
    EXPECT_NE(rpc("eth_getTransactionByHash", "[\"" + c.error->detail() + "\"]"), "null");
}

/// The state of `doctor`'s request in `patient`'s list ("none" if it is not there).
std::string_view request_state(client::Client& client, const client::Address& patient, const client::Address& doctor) {
    for (const auto& r : client.access_requests(patient))
        if (r.doctor == doctor) return client::state_name(r.state);
    return client::state_name(client::RequestState::none);
}

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

TEST(ClientCancel, AccessCallsStopDuringTheReceiptWaitAndNameTheSentTransaction) {
    ClientFixture f;
    auto house = f.doctor("house");
    auto alice = f.patient("alice");
    const RpcFn rpc = [&f](const std::string& method, const std::string& params) { return f.rpc(method, params); };
    f.rpc("evm_setAutomine", "[false]");  // transactions stay pending until a block is mined

    const auto asked = cancel_during_receipt_wait(rpc, [&](std::stop_token stop) {
        house->request_access(alice->address(), std::move(stop));
    });
    expect_cancelled_after_sending(asked, rpc);
    EXPECT_EQ(request_state(f.client(), alice->address(), house->address()), "none");
    f.rpc("evm_mine");  // mined later, the request lands
    EXPECT_EQ(request_state(f.client(), alice->address(), house->address()), "pending");

    const auto approved = cancel_during_receipt_wait(rpc, [&](std::stop_token stop) {
        (void)alice->approve(house->address(), 30, std::move(stop));
    });
    expect_cancelled_after_sending(approved, rpc);
    f.rpc("evm_setAutomine", "[true]");
    f.rpc("evm_mine");
    EXPECT_EQ(request_state(f.client(), alice->address(), house->address()), "approved");
    // The account goes on with the next nonce: nothing was lost or left behind by the cancels.
    (void)house->add_record(alice->address(), condition("After the cancels"));
    EXPECT_EQ(f.client().patient(alice->address()).records, 1u);
}

/// The client's embedded node (anvil and the IPFS gateway) in a temporary data directory, brought
/// down at the end whatever happens.
class EmbeddedNode {
public:
    EmbeddedNode() {
        ::setenv("DOSSIER_KDF", "light", 1);
        client::Config config;
        config.data_dir = dir_.path();
        client_ = client::make_client(config);
        url_ = client_->node_up().rpc_url;
    }
    ~EmbeddedNode() {
        try {
            (void)client_->node_down();
        } catch (const std::exception& e) {
            ADD_FAILURE() << "node down: " << e.what();
        }
    }
    EmbeddedNode(const EmbeddedNode&) = delete;
    EmbeddedNode& operator=(const EmbeddedNode&) = delete;

    [[nodiscard]] client::Client& client() noexcept { return *client_; }
    [[nodiscard]] fs::path journal_file() const { return fs::path(dir_.path()) / "journal" / "transactions.jsonl"; }
    std::string rpc(const std::string& method, const std::string& params = "[]") {
        const auto j = nlohmann::json::parse(http_post_json(
            url_, R"({"jsonrpc":"2.0","id":1,"method":")" + method + R"(","params":)" + params + "}"));
        if (j.contains("error")) throw std::runtime_error(method + " failed: " + j["error"].dump());
        return j["result"].dump();
    }

private:
    TempDir dir_;
    std::unique_ptr<client::Client> client_;
    std::string url_;
};

TEST(ClientCancel, OnTheEmbeddedNodeACancelledCallsTransactionIsJournaled) {
    EmbeddedNode node;
    auto& client = node.client();
    const auto pw = ClientFixture::kPassword;
    // The embedded chain's authority is anvil's first dev account, which deployed the contracts.
    (void)client.import_account({client::ImportSource::Kind::private_key_hex, Anvil::kDevKey}, pw,
                                client::Role::admin, "admin", {false});
    auto admin = client.unlock("admin", pw);
    (void)client.create_account(client::Role::doctor, "house", pw);  // funded from the dev account
    auto house = client.unlock("house", pw);
    (void)house->register_doctor({"Gregory House", "Diagnostics", "NJ-1", "", ""});
    admin->verify_doctor(house->address());
    (void)client.create_account(client::Role::patient, "alice", pw);
    auto alice = client.unlock("alice", pw);
    (void)alice->register_patient({"Alice Smith", "1980-02-01", "female", "", ""});

    const RpcFn rpc = [&node](const std::string& method, const std::string& params) {
        return node.rpc(method, params);
    };
    node.rpc("evm_setAutomine", "[false]");
    const auto asked = cancel_during_receipt_wait(rpc, [&](std::stop_token stop) {
        house->request_access(alice->address(), std::move(stop));
    });
    expect_cancelled_after_sending(asked, rpc);
    ASSERT_TRUE(asked.error.has_value());

    // The journal holds the sent transaction, so that a node restarted from an older state
    // re-sends it.
    std::ifstream journal(node.journal_file());
    ASSERT_TRUE(journal) << node.journal_file();
    bool journaled = false;
    for (std::string line; std::getline(journal, line);) {
        const auto entry = nlohmann::json::parse(line);
        if (entry.at("hash") == asked.error->detail()) {
            journaled = true;
            EXPECT_EQ(client::Address::from_hex(entry.at("from").get<std::string>()), house->address());
        }
    }
    EXPECT_TRUE(journaled) << asked.error->detail() << " is not in " << node.journal_file();

    node.rpc("evm_setAutomine", "[true]");
    node.rpc("evm_mine");
    EXPECT_EQ(request_state(client, alice->address(), house->address()), "pending");
}

}  // namespace
}  // namespace dossier::test
