#include "eth/answer_check.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "base/hex.hpp"
#include "eth/rpc_error.hpp"

namespace dossier::eth {

namespace {

std::string where(const Log& log) {
    return "the log " + std::to_string(log.log_index) + " of block " + std::to_string(log.block_number) +
           " (transaction " + to_hex(log.transaction_hash) + ")";
}

}  // namespace

std::optional<std::string> log_mismatch(const Log& log, const LogFilter& filter, std::optional<std::uint64_t> from,
                                        std::optional<std::uint64_t> to) {
    if (log.removed) return "it is marked removed (its block was reorganised away)";
    if (!filter.addresses.empty() &&
        std::find(filter.addresses.begin(), filter.addresses.end(), log.address) == filter.addresses.end())
        return "its address " + log.address.to_checksum() + " is not one the filter names";
    for (std::size_t i = 0; i < filter.topics.size(); ++i) {
        const auto& wanted = filter.topics[i];
        if (!wanted || wanted->empty()) continue;  // any topic, or none, at this position
        if (log.topics.size() <= i)
            return "it has " + std::to_string(log.topics.size()) + " topics but the filter constrains topic " +
                   std::to_string(i);
        if (std::find(wanted->begin(), wanted->end(), log.topics[i]) == wanted->end())
            return "its topic " + std::to_string(i) + " " + to_hex(log.topics[i]) + " is not one the filter allows there";
    }
    if (from && log.block_number < *from)
        return "its block " + std::to_string(log.block_number) + " is before the range's first block " +
               std::to_string(*from);
    if (to && log.block_number > *to)
        return "its block " + std::to_string(log.block_number) + " is after the range's last block " +
               std::to_string(*to);
    return std::nullopt;
}

void check_logs_answer(std::span<const Log> logs, const LogFilter& filter, const BlockRef& from, const BlockRef& to,
                       const std::string& url) {
    std::set<std::pair<Bytes32, std::uint64_t>> seen;
    for (const Log& log : logs) {
        if (auto why = log_mismatch(log, filter, from.as_number(), to.as_number()))
            throw UntrustedAnswerError(url, "a log that does not match the filter: " + where(log) + ": " + *why);
        if (!seen.emplace(log.block_hash, log.log_index).second)
            throw UntrustedAnswerError(url, "a log that does not match the filter: " + where(log) +
                                                " appears twice in the answer");
    }
}

void check_receipt_answer(const Receipt& receipt, const Bytes32& asked, const std::string& url) {
    if (receipt.transaction_hash != asked)
        throw UntrustedAnswerError(url, "a receipt for another transaction: asked for " + to_hex(asked) + ", got " +
                                            to_hex(receipt.transaction_hash));
    std::set<std::uint64_t> seen;
    for (const Log& log : receipt.logs) {
        if (log.transaction_hash != receipt.transaction_hash || log.block_hash != receipt.block_hash ||
            log.block_number != receipt.block_number)
            throw UntrustedAnswerError(url, "a receipt for " + to_hex(asked) + " holding " + where(log) +
                                                ", which belongs to another transaction or block");
        if (log.removed)
            throw UntrustedAnswerError(url, "a receipt for " + to_hex(asked) + " holding " + where(log) +
                                                ", marked removed");
        if (!seen.insert(log.log_index).second)
            throw UntrustedAnswerError(url, "a receipt for " + to_hex(asked) + " holding " + where(log) + " twice");
    }
}

}  // namespace dossier::eth
