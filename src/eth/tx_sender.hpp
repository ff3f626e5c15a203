#pragma once
/// Sends transactions from one account: fills nonce, chain id, gas and EIP-1559 fees, signs
/// locally with the account's private key (the node never holds keys; eth_sendTransaction is not
/// used), and submits with eth_sendRawTransaction.
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>

#include "eth/keys.hpp"
#include "eth/rpc_client.hpp"
#include "eth/transaction.hpp"

namespace dossier::eth {

/// What to send; unset fields are filled by the sender.
struct TxRequest {
    std::optional<Address> to;  ///< nullopt: contract creation with `data` as init code
    U256 value = 0;
    Bytes data;
    /// Set to skip estimation (needed to send a transaction that is expected to revert).
    std::optional<std::uint64_t> gas_limit;
    std::optional<U256> max_fee_per_gas;
    std::optional<U256> max_priority_fee_per_gas;
};

/// A transaction the node accepted.
struct SentTransaction {
    Bytes32 hash{};
    std::uint64_t nonce = 0;
    Transaction tx;
};

struct TxSenderOptions {
    /// Gas limit = estimate × gas_margin_percent / 100.
    std::uint64_t gas_margin_percent = 120;
    /// max_fee_per_gas = base fee of the latest block × base_fee_multiplier + priority fee; a
    /// multiplier of 2 survives six consecutive full blocks (each raises the base fee by 12.5%).
    std::uint64_t base_fee_multiplier = 2;
    /// Used when the node does not answer eth_maxPriorityFeePerGas (1 gwei).
    U256 fallback_priority_fee = 1'000'000'000;
    /// How many times a send is re-signed with a fresh nonce after "nonce too low".
    int nonce_retries = 3;
    /// Called with every signed transaction before it is sent (a journal persists it here so that
    /// a transaction a crashed node lost can be re-sent). An exception from the hook aborts the
    /// send; the transaction is then not submitted.
    std::function<void(const Transaction&, const SignedTransaction&)> on_signed;
    /// The chain the caller means to write to (the deployment manifest's). When set, the node's
    /// eth_chainId must be this one before anything is signed: a transaction signed for the chain
    /// id a wrong or lying node names would be valid on that other chain.
    std::optional<std::uint64_t> expected_chain_id;
};

/// Thread-safe: several threads may send through one TxSender; nonces are handed out under a
/// mutex from a local counter, so many transactions can be in flight at once (pipelined) without
/// waiting for receipts. The counter is seeded from the account's `pending` transaction count and
/// re-seeded after a send fails (the node may or may not have taken it) or the node answers
/// "nonce too low" (another client used the account). The RpcClient must outlive the sender.
class TxSender {
public:
    TxSender(RpcClient& rpc, PrivateKey key, TxSenderOptions options = {});

    [[nodiscard]] const Address& address() const noexcept { return address_; }
    /// The chain id, asked once and cached; Error(deployment) if it is not
    /// options.expected_chain_id.
    [[nodiscard]] std::uint64_t chain_id();

    /// Fills, signs, calls the hook, and sends. Throws RevertedError if gas estimation reverts,
    /// RpcError if the node refuses the transaction, NodeUnreachableError if it cannot be reached.
    SentTransaction send(const TxRequest& request);

    /// Polls for the receipt with backoff; throws Error (node_unavailable) after `deadline`.
    [[nodiscard]] Receipt wait_for_receipt(const Bytes32& tx_hash, std::chrono::steady_clock::time_point deadline);

    /// send(), then wait_for_receipt(); throws RevertedError (with the decoded reason, obtained by
    /// replaying the call) if the transaction reverted.
    Receipt send_and_wait(const TxRequest& request, std::chrono::steady_clock::duration timeout = std::chrono::seconds(60));

    /// Forgets the local nonce counter; the next send asks the node for the pending count.
    void resync_nonce();

private:
    struct Fees {
        U256 max_fee;
        U256 priority;
        std::optional<U256> legacy_gas_price;  ///< set on a chain without EIP-1559
    };
    Transaction prepare(const TxRequest& request);
    std::uint64_t take_nonce();

    RpcClient& rpc_;
    PrivateKey key_;
    Address address_;
    TxSenderOptions options_;
    std::mutex mutex_;
    std::optional<std::uint64_t> chain_id_;
    std::optional<std::uint64_t> next_nonce_;
};

/// Whether a send error means the nonce is already used (the local counter is behind).
[[nodiscard]] bool is_nonce_too_low(const RpcError& e);

}  // namespace dossier::eth
