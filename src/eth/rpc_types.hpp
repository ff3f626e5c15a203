#pragma once
/// The typed values of Ethereum JSON-RPC (blocks, receipts, logs, filters, call requests) and
/// their strict decoders from JSON. Decoders accept exactly the shapes the execution-API
/// specification defines (hex QUANTITY/DATA strings) and throw MalformedResponseError, naming the
/// field, on anything else; they never crash on any input.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/bytes.hpp"
#include "eth/address.hpp"
#include "eth/uint256.hpp"

namespace dossier::eth {

using json = nlohmann::json;

/// A block parameter: a number or a tag ("latest", "pending", "safe", "finalized", "earliest").
class BlockRef {
public:
    [[nodiscard]] static BlockRef number(std::uint64_t n) { return BlockRef(to_quantity(n), n); }
    [[nodiscard]] static BlockRef latest() { return BlockRef("latest"); }
    [[nodiscard]] static BlockRef pending() { return BlockRef("pending"); }
    [[nodiscard]] static BlockRef earliest() { return BlockRef("earliest"); }
    [[nodiscard]] static BlockRef safe() { return BlockRef("safe"); }
    [[nodiscard]] static BlockRef finalized() { return BlockRef("finalized"); }
    /// The JSON-RPC parameter text.
    [[nodiscard]] const std::string& param() const noexcept { return text_; }
    /// The block number of a BlockRef::number(); std::nullopt for a tag, whose number only the
    /// node knows (so answers about a tag cannot be checked against a range).
    [[nodiscard]] const std::optional<std::uint64_t>& as_number() const noexcept { return number_; }

private:
    explicit BlockRef(std::string text, std::optional<std::uint64_t> n = std::nullopt)
        : text_(std::move(text)), number_(n) {}
    std::string text_;
    std::optional<std::uint64_t> number_;
};

/// One event log as eth_getLogs and receipts report it (always a mined log here).
struct Log {
    Address address;
    std::vector<Bytes32> topics;
    Bytes data;
    std::uint64_t block_number = 0;
    Bytes32 block_hash{};
    Bytes32 transaction_hash{};
    std::uint64_t transaction_index = 0;
    std::uint64_t log_index = 0;
    /// True when a reorganisation removed the log (only seen through filters).
    bool removed = false;
};

struct Receipt {
    Bytes32 transaction_hash{};
    std::uint64_t transaction_index = 0;
    Bytes32 block_hash{};
    std::uint64_t block_number = 0;
    Address from;
    std::optional<Address> to;  ///< absent for contract creation
    /// True for status 1 (success), false for status 0 (reverted).
    bool success = false;
    std::uint64_t gas_used = 0;
    std::uint64_t cumulative_gas_used = 0;
    U256 effective_gas_price = 0;
    std::optional<Address> contract_address;
    std::vector<Log> logs;
    std::uint8_t type = 0;
};

struct Block {
    std::uint64_t number = 0;
    Bytes32 hash{};
    Bytes32 parent_hash{};
    std::uint64_t timestamp = 0;
    std::uint64_t gas_limit = 0;
    std::uint64_t gas_used = 0;
    std::optional<U256> base_fee_per_gas;  ///< absent before London
    /// Transaction hashes (blocks are fetched without full transactions).
    std::vector<Bytes32> transactions;
};

/// A mined or pending transaction as eth_getTransactionByHash reports it (the fields needed to
/// replay it with eth_call).
struct TransactionInfo {
    Bytes32 hash{};
    Address from;
    std::optional<Address> to;
    U256 value = 0;
    Bytes input;
    std::uint64_t gas = 0;
    std::uint64_t nonce = 0;
    std::optional<std::uint64_t> block_number;  ///< absent while pending
};

struct FeeHistory {
    std::uint64_t oldest_block = 0;
    /// One more entry than blocks: the last is the next block's base fee.
    std::vector<U256> base_fee_per_gas;
    std::vector<double> gas_used_ratio;
    /// Per block, one reward per requested percentile.
    std::vector<std::vector<U256>> reward;
};

/// eth_getLogs filter without its block range (the client sets the range).
struct LogFilter {
    /// Empty: any address.
    std::vector<Address> addresses;
    /// Position i: std::nullopt matches any topic, otherwise any of the listed values.
    std::vector<std::optional<std::vector<Bytes32>>> topics;
};

/// The argument of eth_call and eth_estimateGas.
struct CallRequest {
    std::optional<Address> from;
    std::optional<Address> to;  ///< absent: contract creation
    Bytes data;
    std::optional<U256> value;
    std::optional<std::uint64_t> gas;
    std::optional<U256> max_fee_per_gas;
    std::optional<U256> max_priority_fee_per_gas;
};

[[nodiscard]] json to_json(const CallRequest& call);
/// The filter object with fromBlock/toBlock set.
[[nodiscard]] json to_json(const LogFilter& filter, const BlockRef& from, const BlockRef& to);

/// Decoders: throw MalformedResponseError on anything but the specified shape.
[[nodiscard]] Log decode_log(const json& j);
[[nodiscard]] std::vector<Log> decode_logs(const json& j);
[[nodiscard]] Receipt decode_receipt(const json& j);
[[nodiscard]] Block decode_block(const json& j);
[[nodiscard]] TransactionInfo decode_transaction(const json& j);
[[nodiscard]] FeeHistory decode_fee_history(const json& j);

/// Field helpers shared with the client: a QUANTITY, a DATA string, fixed-size DATA.
[[nodiscard]] U256 decode_quantity(const json& j, const char* what);
[[nodiscard]] std::uint64_t decode_u64(const json& j, const char* what);
[[nodiscard]] Bytes decode_data(const json& j, const char* what);
[[nodiscard]] Bytes32 decode_bytes32(const json& j, const char* what);
[[nodiscard]] Address decode_address(const json& j, const char* what);

}  // namespace dossier::eth
