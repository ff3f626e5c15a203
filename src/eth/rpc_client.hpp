#pragma once
/// A JSON-RPC 2.0 client for Ethereum nodes: raw calls, batches, and typed helpers for the eth_
/// methods Dossier uses. Every failure is one of the typed errors of eth/rpc_error.hpp.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "eth/http_transport.hpp"
#include "eth/rpc_error.hpp"
#include "eth/rpc_types.hpp"

namespace dossier::eth {

/// One call of a batch.
struct RpcRequest {
    std::string method;
    json params = json::array();
};

/// One answer of a batch: either a result or an error.
struct RpcResponse {
    json result;
    std::optional<RpcError> error;
    /// The result; throws the error if the call failed.
    [[nodiscard]] const json& value() const {
        if (error) throw *error;
        return result;
    }
};

/// Parses the body of a single-call answer and returns its "result". Throws RpcError for an
/// error object, MalformedResponseError for anything that is not a JSON-RPC 2.0 response with
/// id `expected_id` (not JSON, nesting deeper than 64 levels, missing result and error, wrong id).
[[nodiscard]] json parse_response(std::string_view body, std::uint64_t expected_id);

/// Parses a batch answer: an array of responses in any order, matched to `ids` by id. Returns the
/// responses in the order of `ids`. Throws MalformedResponseError if an id is missing, unknown or
/// repeated, or the answer is not an array. A single error object instead of an array (some nodes
/// reject a whole batch that way) is thrown as RpcError.
[[nodiscard]] std::vector<RpcResponse> parse_batch_response(std::string_view body, std::span<const std::uint64_t> ids);

/// Whether an error of eth_call / eth_estimateGas / eth_sendRawTransaction is an EVM revert
/// (code 3, or a message saying "revert"); if so, the revert data it carries (possibly empty).
[[nodiscard]] std::optional<Bytes> revert_data_of(const RpcError& e);

/// One sentence describing revert data (abi::decode_revert(...).message()): Error(string),
/// Panic(uint256), one of `custom_error_signatures` ("Denied(address,uint256)") with its
/// arguments, or unknown data. Throws AbiError only if a signature is malformed.
[[nodiscard]] std::string describe_revert(ByteView data, std::span<const std::string> custom_error_signatures = {});

/// Whether an eth_getLogs error means "the answer would be too large; ask for a smaller range"
/// (the wording differs between node implementations and providers).
[[nodiscard]] bool is_log_limit_error(const RpcError& e);

class RpcClient {
public:
    explicit RpcClient(std::unique_ptr<Transport> transport);
    /// Convenience: an HttpTransport to `url`.
    explicit RpcClient(std::string url, HttpOptions options = {});

    /// Calls `method` and returns its result. call() and every helper are thread-safe as far as the
    /// transport is (HttpTransport runs concurrent requests in parallel); set_custom_errors() must
    /// happen before sharing.
    [[nodiscard]] json call(std::string_view method, json params = json::array());
    /// Sends all requests as one JSON-RPC batch (one HTTP request); answers in request order.
    /// An empty batch sends nothing.
    [[nodiscard]] std::vector<RpcResponse> batch(std::span<const RpcRequest> requests);

    /// Custom error signatures ("Denied(address,uint256)") used to describe reverts.
    void set_custom_errors(std::vector<std::string> signatures) { custom_errors_ = std::move(signatures); }
    [[nodiscard]] const std::vector<std::string>& custom_errors() const noexcept { return custom_errors_; }
    /// The RevertedError for revert data, described with the custom errors above.
    [[nodiscard]] RevertedError make_revert(Bytes data, std::optional<Bytes32> tx_hash = std::nullopt) const;

    [[nodiscard]] const std::string& url() const noexcept { return transport_->url(); }

    // Typed helpers ------------------------------------------------------------------------------
    [[nodiscard]] std::uint64_t chain_id();
    [[nodiscard]] std::uint64_t block_number();
    [[nodiscard]] U256 get_balance(const Address& account, const BlockRef& block = BlockRef::latest());
    /// The account's nonce: BlockRef::pending() counts transactions in the node's pool as well.
    [[nodiscard]] std::uint64_t get_transaction_count(const Address& account, const BlockRef& block = BlockRef::latest());
    [[nodiscard]] U256 gas_price();
    [[nodiscard]] U256 max_priority_fee_per_gas();
    [[nodiscard]] FeeHistory fee_history(std::uint64_t block_count, const BlockRef& newest,
                                         std::span<const double> reward_percentiles = {});
    /// The base fee of the latest block (0 on a chain without EIP-1559).
    [[nodiscard]] U256 base_fee();
    /// eth_call; throws RevertedError if the call reverts.
    [[nodiscard]] Bytes eth_call(const CallRequest& call, const BlockRef& block = BlockRef::latest());
    /// eth_estimateGas; throws RevertedError if the call reverts.
    [[nodiscard]] std::uint64_t estimate_gas(const CallRequest& call);
    /// Sends a signed transaction; returns its hash as the node reports it.
    Bytes32 send_raw_transaction(ByteView raw);
    /// std::nullopt while the transaction is not mined (or unknown). A receipt of another
    /// transaction, or holding logs of another transaction or block, is UntrustedAnswerError.
    [[nodiscard]] std::optional<Receipt> get_transaction_receipt(const Bytes32& tx_hash);
    [[nodiscard]] std::optional<TransactionInfo> get_transaction(const Bytes32& tx_hash);
    /// std::nullopt if the block does not exist (yet).
    [[nodiscard]] std::optional<Block> get_block(const BlockRef& block);
    [[nodiscard]] std::optional<Block> get_block_by_hash(const Bytes32& hash);
    [[nodiscard]] Bytes get_code(const Address& account, const BlockRef& block = BlockRef::latest());
    [[nodiscard]] Bytes32 get_storage_at(const Address& account, const U256& slot, const BlockRef& block = BlockRef::latest());
    /// eth_getLogs; the answer is checked against the question (check_logs_answer: each log's
    /// address, topics and block within the filter and range, no log twice, none removed) and
    /// refused whole with UntrustedAnswerError otherwise. The node can still leave logs out.
    [[nodiscard]] std::vector<Log> get_logs(const LogFilter& filter, const BlockRef& from, const BlockRef& to);

    /// eth_getLogs (checked as get_logs() does) over [from, to] in windows of at most `max_range` blocks. When the node says a
    /// window's answer is too large (is_log_limit_error), the window is halved and retried; the
    /// smaller window is kept for the rest of the range. Logs come back in chain order. Throws the
    /// node's RpcError if even a one-block window is refused. A cancel of the calling thread's stop
    /// token is noticed between pages (and during a page's request): Error(ErrorCode::cancelled).
    [[nodiscard]] std::vector<Log> get_logs_paged(const LogFilter& filter, std::uint64_t from, std::uint64_t to,
                                                  std::uint64_t max_range);

    /// Polls for the receipt until `deadline`, with a delay doubling from 2 ms (a local automining node
    /// answers within milliseconds) to 200 ms.
    /// Throws Error with code node_unavailable (naming the hash) if it is not mined in time; errors
    /// of the polls themselves (NodeUnreachableError...) propagate at once. When the calling
    /// thread's stop token (base/cancel.hpp) is triggered, during a poll or between polls, it throws
    /// Error(ErrorCode::cancelled) at once, with the transaction hash (0x hex) as detail: the
    /// transaction was sent and may still be mined.
    [[nodiscard]] Receipt wait_for_receipt(const Bytes32& tx_hash, std::chrono::steady_clock::time_point deadline);

    /// For a receipt with status 0: replays the transaction with eth_call on the state before its
    /// block and returns the RevertedError carrying the revert data and reason (with the tx hash).
    /// If the replay does not revert (the state differed), the error says so with empty data.
    [[nodiscard]] RevertedError explain_failure(const Receipt& receipt);
    /// Returns the receipt if it succeeded; throws explain_failure(receipt) otherwise.
    const Receipt& require_success(const Receipt& receipt);

private:
    /// Calls a method whose errors may be reverts; converts those into RevertedError.
    json call_revertible(std::string_view method, json params);

    std::unique_ptr<Transport> transport_;
    std::atomic<std::uint64_t> next_id_{1};
    std::vector<std::string> custom_errors_;
};

}  // namespace dossier::eth
