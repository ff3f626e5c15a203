#pragma once
/// EVM nodes for the CLI journey as a remote chain, from pinned npm packages, on a free 127.0.0.1
/// port: ganache 7.9.2 (at its shanghai hardfork, the oldest EVM version Dossier supports),
/// Hardhat 3's node (EDR, under the pinned Node 22), and anvil mining a block every 2 s (as a real
/// chain does, instead of one block per transaction). Each funds the same development accounts
/// (the "test test ... junk" mnemonic), so anvil's dev keys pay for gas on every one of them. Started in the
/// constructor (waits until it answers eth_chainId, at most 60 s) and stopped by its PID in the
/// destructor.
#include <memory>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace dossier::test {

class EvmNode {
public:
    enum class Kind { ganache, hardhat, anvil_interval };
    explicit EvmNode(Kind kind);
    ~EvmNode();
    EvmNode(const EvmNode&) = delete;
    EvmNode& operator=(const EvmNode&) = delete;

    [[nodiscard]] const std::string& url() const noexcept { return url_; }
    [[nodiscard]] unsigned long long chain_id() const noexcept { return chain_id_; }
    /// "ganache", "hardhat" or "anvil_interval".
    [[nodiscard]] static const char* name(Kind kind) noexcept;
    /// The node's own output, for a failure message.
    [[nodiscard]] std::string log() const;

    /// anvil's development keys 0-9 (hex, 0x-prefixed), funded on these nodes too.
    static const std::vector<std::string>& dev_keys();

private:
    std::string url_;
    unsigned long long chain_id_ = 0;
    TempDir dir_;
    std::unique_ptr<Child> child_;
};

}  // namespace dossier::test
