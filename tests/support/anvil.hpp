#pragma once
/// A real anvil (from the pinned npm package) on a free 127.0.0.1 port for integration tests.
/// Started in the constructor (waits until it answers eth_chainId, at most 20 s) and stopped by
/// its PID in the destructor.
#include <memory>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace dossier::test {

class Anvil {
public:
    /// `extra_args` are appended to anvil's command line (e.g. {"--block-time", "1"}).
    explicit Anvil(std::vector<std::string> extra_args = {});
    ~Anvil();
    Anvil(const Anvil&) = delete;
    Anvil& operator=(const Anvil&) = delete;

    [[nodiscard]] const std::string& url() const noexcept { return url_; }
    [[nodiscard]] int port() const noexcept { return port_; }
    [[nodiscard]] Child& process() noexcept { return *child_; }
    /// Chain id of the default anvil chain.
    static constexpr unsigned long long kChainId = 31337;
    /// The first default dev account (funded with 10,000 ETH) and its private key, hex.
    static constexpr const char* kDevAddress = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    static constexpr const char* kDevKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    /// A second funded dev account.
    static constexpr const char* kDevAddress1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    static constexpr const char* kDevKey1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    /// Sends a raw JSON-RPC request body and returns the response body (no parsing).
    [[nodiscard]] std::string raw_call(const std::string& body) const;

private:
    int port_ = 0;
    std::string url_;
    TempDir dir_;
    std::unique_ptr<Child> child_;
};

/// POSTs `body` as JSON to `url` with libcurl; returns the response body. Throws on transport error.
[[nodiscard]] std::string http_post_json(const std::string& url, const std::string& body, long timeout_ms = 5000);

}  // namespace dossier::test
