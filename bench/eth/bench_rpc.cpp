// JSON-RPC client throughput against a local anvil it starts itself (on a free loopback port,
// stopped by PID at exit): eth_blockNumber over the kept-alive connection vs a fresh connection
// per request, and 100 value transfers sent pipelined (all in flight, then all receipts) vs
// sequentially (send, wait for the receipt, next).
#include <benchmark/benchmark.h>

#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "eth/tx_sender.hpp"

extern char** environ;

using namespace dossier;
using namespace dossier::eth;

namespace {

int free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("cannot bind a loopback port");
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
}

/// anvil from the pinned npm package, automining, on 127.0.0.1.
class LocalAnvil {
public:
    LocalAnvil() {
        const std::string anvil = std::string(DOSSIER_SOURCE_DIR) + "/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";
        const std::string port = std::to_string(free_port());
        url_ = "http://127.0.0.1:" + port;
        const char* argv[] = {anvil.c_str(), "--host", "127.0.0.1", "--port", port.c_str(), "--silent", nullptr};
        if (posix_spawn(&pid_, anvil.c_str(), nullptr, nullptr, const_cast<char* const*>(argv), environ) != 0)
            throw std::runtime_error("cannot start anvil");
        RpcClient rpc(url_);
        for (int i = 0; i < 400; ++i) {
            try {
                (void)rpc.chain_id();
                return;
            } catch (const NodeUnreachableError&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        }
        throw std::runtime_error("anvil did not start");
    }
    ~LocalAnvil() {
        kill(pid_, SIGTERM);
        int status;
        waitpid(pid_, &status, 0);
    }
    [[nodiscard]] const std::string& url() const noexcept { return url_; }

private:
    pid_t pid_ = -1;
    std::string url_;
};

LocalAnvil& anvil() {
    static LocalAnvil instance;
    return instance;
}

/// anvil slows down as its chain grows (measured: sending 100 transfers takes 47 ms on a fresh
/// chain and about 140 ms after 1,000 more), so each transfer benchmark gets its own fresh node
/// and a fixed number of rounds: both start from the same state.
constexpr int kRounds = 5;

/// A fresh account funded through anvil, so that runs do not share nonces.
PrivateKey funded(RpcClient& rpc) {
    PrivateKey key = PrivateKey::generate();
    (void)rpc.call("anvil_setBalance", json::array({key.address().to_hex(), "0x3635c9adc5dea00000"}));
    return key;
}

void BM_BlockNumberKeptAlive(benchmark::State& state) {
    RpcClient rpc(anvil().url());
    for (auto _ : state) benchmark::DoNotOptimize(rpc.block_number());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BlockNumberKeptAlive)->UseRealTime()->MinTime(2.0);

void BM_BlockNumberFreshConnection(benchmark::State& state) {
    for (auto _ : state) {
        RpcClient rpc(anvil().url());
        benchmark::DoNotOptimize(rpc.block_number());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BlockNumberFreshConnection)->UseRealTime()->MinTime(2.0);

constexpr int kTransfers = 100;

void BM_TransfersPipelined(benchmark::State& state) {
    LocalAnvil node;
    RpcClient rpc(node.url());
    TxSender sender(rpc, funded(rpc));
    TxRequest t;
    t.to = Address::from_hex("0x00000000000000000000000000000000000000b0");
    t.value = 1;
    for (auto _ : state) {
        std::vector<Bytes32> hashes;
        for (int i = 0; i < kTransfers; ++i) hashes.push_back(sender.send(t).hash);
        for (const auto& h : hashes)
            if (!sender.wait_for_receipt(h, std::chrono::steady_clock::now() + std::chrono::seconds(30)).success)
                state.SkipWithError("a transfer failed");
    }
    state.SetItemsProcessed(state.iterations() * kTransfers);
}
BENCHMARK(BM_TransfersPipelined)->UseRealTime()->Unit(benchmark::kMillisecond)->Iterations(kRounds);

void BM_TransfersSequential(benchmark::State& state) {
    LocalAnvil node;
    RpcClient rpc(node.url());
    TxSender sender(rpc, funded(rpc));
    TxRequest t;
    t.to = Address::from_hex("0x00000000000000000000000000000000000000b1");
    t.value = 1;
    for (auto _ : state)
        for (int i = 0; i < kTransfers; ++i) (void)sender.send_and_wait(t);
    state.SetItemsProcessed(state.iterations() * kTransfers);
}
BENCHMARK(BM_TransfersSequential)->UseRealTime()->Unit(benchmark::kMillisecond)->Iterations(kRounds);

}  // namespace
