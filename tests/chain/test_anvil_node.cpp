#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "base/daemon.hpp"
#include "chain/anvil_node.hpp"
#include "support/anvil.hpp"
#include "support/error_code.hpp"

using namespace dossier;
using nlohmann::json;

namespace {
json rpc(const std::string& url, const std::string& method, json params = json::array()) {
    const json req = {{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
    return json::parse(test::http_post_json(url, req.dump())).at("result");
}
std::string send_value(const std::string& url) {
    // anvil's dev accounts are unlocked; good enough to make state in this test of the supervisor.
    const std::string hash =
        rpc(url, "eth_sendTransaction",
            json::array({{{"from", test::Anvil::kDevAddress}, {"to", test::Anvil::kDevAddress1}, {"value", "0x1"}}}))
            .get<std::string>();
    // anvil mines asynchronously: on a loaded machine the hash can come back before the block.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (rpc(url, "eth_getTransactionReceipt", json::array({hash})).is_null()) {
        if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("transaction not mined in 10 s");
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return hash;
}
}  // namespace

TEST(AnvilNode, StartsFindsStopsAndKeepsStateAcrossRestarts) {
    test::TempDir dir;
    chain::AnvilOptions opts;
    opts.data_dir = dir.path();
    const auto first = chain::start_anvil(opts);
    EXPECT_EQ(rpc(first.url, "eth_chainId").get<std::string>(), "0x7a69");
    // A second start finds the running node instead of starting another.
    EXPECT_EQ(chain::start_anvil(opts).pid, first.pid);
    ASSERT_TRUE(chain::find_anvil(dir.path()).has_value());

    const std::string tx = send_value(first.url);
    EXPECT_EQ(rpc(first.url, "eth_blockNumber").get<std::string>(), "0x1");
    EXPECT_TRUE(chain::stop_anvil(dir.path()));
    EXPECT_FALSE(chain::find_anvil(dir.path()).has_value());
    EXPECT_FALSE(chain::stop_anvil(dir.path()));

    // The port is reused when it is still free (tests running in parallel may have taken it).
    const bool port_free = !loopback_port_open(first.port);
    const auto second = chain::start_anvil(opts);
    if (port_free) {
        EXPECT_EQ(second.port, first.port);
    }
    EXPECT_EQ(rpc(second.url, "eth_blockNumber").get<std::string>(), "0x1");
    EXPECT_FALSE(rpc(second.url, "eth_getTransactionReceipt", json::array({tx})).is_null());
    EXPECT_TRUE(chain::stop_anvil(dir.path()));
}

TEST(AnvilNode, KillNineLosesAtMostTheLastSecond) {
    test::TempDir dir;
    chain::AnvilOptions opts;
    opts.data_dir = dir.path();
    const auto node = chain::start_anvil(opts);
    (void)send_value(node.url);
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // > state interval
    const std::string late = send_value(node.url);                  // may be lost
    EXPECT_TRUE(chain::kill_anvil(dir.path()));
    const auto again = chain::start_anvil(opts);
    const auto height = std::stoul(rpc(again.url, "eth_blockNumber").get<std::string>(), nullptr, 16);
    EXPECT_GE(height, 1u);
    EXPECT_LE(height, 2u);
    EXPECT_TRUE(chain::stop_anvil(dir.path()));
}

TEST(AnvilNode, MissingBinaryIsAClearError) {
    test::TempDir dir;
    chain::AnvilOptions opts;
    opts.data_dir = dir.path();
    opts.anvil_binary = "/nonexistent/anvil";
    test::expect_code([&] { (void)chain::start_anvil(opts); }, ErrorCode::node_unavailable);
}
