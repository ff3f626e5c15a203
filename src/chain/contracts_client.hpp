#pragma once
/// Dossier's three contracts as seen from C++: view calls, transactions and event queries on a
/// deployment named by a Manifest, with every argument and result encoded through the ABI codec
/// and the signatures generated from the forge build (chain/contract_bindings.hpp).
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "chain/contract_bindings.hpp"
#include "chain/manifest.hpp"
#include "eth/abi.hpp"
#include "eth/rpc_client.hpp"
#include "eth/tx_sender.hpp"

namespace dossier::chain {

using eth::abi::Value;

/// The custom errors of all three contracts (so that a revert anywhere decodes to its name).
[[nodiscard]] std::vector<std::string> custom_error_signatures();

/// A decoded event: the log and one value per event parameter, in declaration order.
struct DecodedEvent {
    eth::Log log;
    std::vector<Value> values;
};

/// Decodes `log`, an answer of the node at `node_url`, as the event `signature` with parameters
/// indexed where `indexed` says. The log came from a contract of the manifest (whose code is
/// checked), so one that does not decode (topic count, topic0, data) was not emitted by it: that
/// is eth::UntrustedAnswerError, never a silently skipped log.
[[nodiscard]] std::vector<Value> decode_event(std::string_view signature, const std::vector<bool>& indexed,
                                              const eth::Log& log, const std::string& node_url);
template <std::size_t N>
[[nodiscard]] std::vector<Value> decode_event(const gen::Event<N>& event, const eth::Log& log,
                                              const std::string& node_url) {
    return decode_event(event.signature, std::vector<bool>(event.indexed.begin(), event.indexed.end()), log, node_url);
}

class ContractsClient {
public:
    /// Registers the contracts' custom errors with `rpc`; `rpc` must outlive this object.
    ContractsClient(eth::RpcClient& rpc, Manifest manifest);

    [[nodiscard]] const Manifest& manifest() const noexcept { return manifest_; }
    [[nodiscard]] eth::RpcClient& rpc() noexcept { return rpc_; }

    /// eth_call of `signature` on `to`; decodes the result as the tuple type `returns`.
    [[nodiscard]] std::vector<Value> view(const eth::Address& to, std::string_view signature,
                                          std::string_view returns, std::span<const Value> args);
    /// Sends `signature(args)` to `to` from `sender` and waits for the receipt. Throws
    /// eth::RevertedError whose message names the contract's custom error if it reverts.
    eth::Receipt transact(eth::TxSender& sender, const eth::Address& to, std::string_view signature,
                          std::span<const Value> args,
                          std::chrono::steady_clock::duration timeout = std::chrono::seconds(60));
    /// Like transact() but returns once the node accepted the transaction (pipelining).
    eth::SentTransaction send(eth::TxSender& sender, const eth::Address& to, std::string_view signature,
                              std::span<const Value> args);

    /// Every log of `event` emitted by `contract` from the deployment block to the latest block,
    /// in chain order, filtered by indexed parameters: topics[i] (i-th indexed parameter) of
    /// nullopt matches anything. The node's answer is checked against this filter (RpcClient::
    /// get_logs) and each log against the event's ABI (decode_event): a log that fails either is
    /// eth::UntrustedAnswerError.
    template <std::size_t N>
    [[nodiscard]] std::vector<DecodedEvent> events(const eth::Address& contract, const gen::Event<N>& event,
                                                   std::vector<std::optional<Bytes32>> topics = {}) {
        return events_impl(contract, event.signature, std::vector<bool>(event.indexed.begin(), event.indexed.end()),
                           std::move(topics), std::nullopt, std::nullopt);
    }
    /// events() of blocks `from` to `to` only (a watcher's new blocks).
    template <std::size_t N>
    [[nodiscard]] std::vector<DecodedEvent> events_between(const eth::Address& contract, const gen::Event<N>& event,
                                                           std::vector<std::optional<Bytes32>> topics,
                                                           std::uint64_t from, std::uint64_t to) {
        return events_impl(contract, event.signature, std::vector<bool>(event.indexed.begin(), event.indexed.end()),
                           std::move(topics), from, to);
    }

    /// Checks that the node's chain id and the runtime code at each address match the manifest;
    /// throws ManifestError with one sentence if not (wrong node, chain reset, wrong manifest).
    void verify_deployment();

private:
    std::vector<DecodedEvent> events_impl(const eth::Address& contract, std::string_view signature,
                                          const std::vector<bool>& indexed, std::vector<std::optional<Bytes32>> topics,
                                          std::optional<std::uint64_t> from, std::optional<std::uint64_t> to);

    eth::RpcClient& rpc_;
    Manifest manifest_;
};

/// Deploys the three contracts in one transaction (DossierDeployment), with `authority` as the
/// doctors' credentialing authority, and returns the manifest describing them.
[[nodiscard]] Manifest deploy_contracts(eth::RpcClient& rpc, eth::TxSender& deployer, const eth::Address& authority);

/// Topic form of an address (left-padded), for event filters.
[[nodiscard]] Bytes32 address_topic(const eth::Address& a);

}  // namespace dossier::chain
