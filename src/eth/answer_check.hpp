#pragma once
/// What a JSON-RPC answer must satisfy to be an answer to the question asked. A node can leave
/// things out (Dossier cannot tell), but it cannot slip in a log the filter excludes, repeat one,
/// or hand over another transaction's receipt: these checks refuse such an answer whole, with
/// UntrustedAnswerError (eth/rpc_error.hpp). RpcClient runs them on every eth_getLogs and
/// eth_getTransactionReceipt answer; they are separate so they can be tested on crafted answers.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "eth/rpc_types.hpp"

namespace dossier::eth {

/// Why `log` is not a log the filter (with its block range) can return, or std::nullopt if it
/// can. Checks: the address is one of filter.addresses (any when empty); for each topic position
/// i the filter constrains (a non-null, non-empty list), the log has a topic i and it is one of
/// the list (an OR-list; null or an empty list matches anything, as nodes do); the block number is
/// within [from, to] where those are numbers (a tag's number only the node knows); the log is not
/// marked removed (eth_getLogs returns the canonical chain's logs only; a removed log belongs to a
/// reorganised-away block and must not be used).
[[nodiscard]] std::optional<std::string> log_mismatch(const Log& log, const LogFilter& filter,
                                                      std::optional<std::uint64_t> from,
                                                      std::optional<std::uint64_t> to);

/// Checks a whole eth_getLogs answer: every log as log_mismatch() does, and no log twice (the same
/// block hash and log index, which identify a log on the chain). Throws UntrustedAnswerError
/// naming the node `url` and the first offending log.
void check_logs_answer(std::span<const Log> logs, const LogFilter& filter, const BlockRef& from, const BlockRef& to,
                       const std::string& url);

/// Checks an eth_getTransactionReceipt answer for `asked`: the receipt is that transaction's, and
/// each of its logs belongs to that transaction and block, once. Throws UntrustedAnswerError.
void check_receipt_answer(const Receipt& receipt, const Bytes32& asked, const std::string& url);

}  // namespace dossier::eth
