#pragma once
/// Shared pieces of the JSON-RPC tests: the Probe test contract (compiled with solcjs at test
/// time), ABI words built by hand, and a loopback HTTP server whose answers a test scripts.
#include <httplib.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "base/hex.hpp"
#include "eth/keccak.hpp"
#include "eth/uint256.hpp"
#include "support/process.hpp"

namespace dossier::test {

/// A contract that emits events and reverts in each of the ways Solidity can.
inline constexpr const char* kProbeSource = R"(// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

contract Probe {
    event Ping(address indexed sender, uint256 indexed n, bytes payload);
    error Denied(address who, uint256 code);

    uint256 public counter;

    function ping(uint256 n) external {
        counter += 1;
        emit Ping(msg.sender, n, abi.encode(n));
    }

    function pingMany(uint256 k) external {
        for (uint256 i = 0; i < k; ++i) emit Ping(msg.sender, i, "");
    }

    function failString() external pure { revert("not allowed"); }
    function failPanic(uint256 d) external pure returns (uint256) { return 1 / d; }
    function failCustom() external view { revert Denied(msg.sender, 7); }
    function failEmpty() external pure { revert(); }
}
)";

/// The Probe contract's creation code, compiled once per test program with the pinned solcjs.
inline const Bytes& probe_init_code() {
    static const Bytes code = [] {
        TempDir dir;
        {
            std::FILE* f = std::fopen((dir.path() + "/Probe.sol").c_str(), "w");
            if (!f) throw std::runtime_error("cannot write Probe.sol");
            std::fputs(kProbeSource, f);
            std::fclose(f);
        }
        (void)run_ok({"sh", "-c", "cd '" + dir.path() + "' && '" + node_tool("solcjs") + "' --bin --optimize -o out Probe.sol"});
        const std::string hex = run_ok({"cat", dir.path() + "/out/Probe_sol_Probe.bin"});
        return from_hex(hex);
    }();
    return code;
}

/// The 4-byte selector of a function or error signature.
inline Bytes selector(const std::string& signature) {
    const Bytes32 h = eth::keccak256(as_bytes(signature));
    return Bytes(h.begin(), h.begin() + 4);
}

/// Calldata: selector followed by 32-byte words.
inline Bytes calldata(const std::string& signature, std::initializer_list<eth::U256> words = {}) {
    Bytes out = selector(signature);
    for (const auto& w : words) {
        const Bytes32 b = eth::to_be32(w);
        append(out, b);
    }
    return out;
}

/// An HTTP server on a free 127.0.0.1 port whose POST handler the test supplies: it gets the
/// request body and returns (status, body). Stopped in the destructor.
class ScriptedServer {
public:
    using Handler = std::function<std::pair<int, std::string>(const std::string& body)>;

    explicit ScriptedServer(Handler handler) : handler_(std::move(handler)) {
        server_.set_tcp_nodelay(true);
        server_.set_keep_alive_max_count(1000);
        server_.Post("/", [this](const httplib::Request& req, httplib::Response& res) {
            ++requests_;
            auto [status, body] = handler_(req.body);
            res.status = status;
            res.set_content(body, "application/json");
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        if (port_ <= 0) throw std::runtime_error("cannot bind a loopback port for the test server");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~ScriptedServer() {
        server_.stop();
        thread_.join();
    }
    ScriptedServer(const ScriptedServer&) = delete;
    ScriptedServer& operator=(const ScriptedServer&) = delete;

    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    [[nodiscard]] int requests() const noexcept { return requests_.load(); }

private:
    Handler handler_;
    httplib::Server server_;
    int port_ = 0;
    std::atomic<int> requests_{0};
    std::thread thread_;
};

}  // namespace dossier::test
