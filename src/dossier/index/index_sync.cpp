#include "dossier/index/index_sync.hpp"

#include <algorithm>

#include "base/cancel.hpp"
#include "eth/abi_type.hpp"

namespace dossier::index {

namespace {

/// Pages past this many logs halve the window (RSS stays bounded), under a quarter of it double it.
constexpr std::size_t kHeavyPage = 20'000;
/// A chain that keeps reorganising while we read it is retried this often, then reported.
constexpr int kMaxRestarts = 5;

std::optional<Bytes32> chain_hash(eth::RpcClient& rpc, std::uint64_t block) {
    const auto b = rpc.get_block(eth::BlockRef::number(block));
    if (!b) return std::nullopt;
    return b->hash;
}

/// If the index's tip is no longer on the chain, rolls back to the highest stored block the chain
/// still has (blocks are hash-linked, so everything below it agrees too) and says what happened.
std::optional<std::string> repair_reorg(eth::RpcClient& rpc, IndexDb& db) {
    const auto tip = db.tip();
    if (!tip) return std::nullopt;
    if (chain_hash(rpc, tip->block) == tip->hash) return std::nullopt;
    // Stored hashes agree with the chain up to the fork and disagree after it: bisect.
    const auto stored = db.stored_blocks(db.manifest().deployment_block, tip->block);
    std::ptrdiff_t lo = -1, hi = static_cast<std::ptrdiff_t>(stored.size()) - 1;  // stored[hi] disagrees
    while (hi - lo > 1) {
        const std::ptrdiff_t mid = lo + (hi - lo) / 2;
        const auto block = stored[static_cast<std::size_t>(mid)];
        if (chain_hash(rpc, block) == db.block_hash(block)) lo = mid;
        else hi = mid;
    }
    std::optional<Tip> ancestor;
    if (lo >= 0) ancestor = Tip{stored[static_cast<std::size_t>(lo)], *db.block_hash(stored[static_cast<std::size_t>(lo)])};
    const std::string why = "blocks " + std::to_string(ancestor ? ancestor->block + 1 : db.manifest().deployment_block) +
                      " to " + std::to_string(tip->block) + " were replaced by the chain";
    (void)db.rollback_to(ancestor, why);
    return db.meta("last_reorg");
}

}  // namespace

SyncReport sync(eth::RpcClient& rpc, IndexDb& db, const SyncOptions& options) {
    using clock = std::chrono::steady_clock;
    const auto started = clock::now();
    const chain::Manifest& m = db.manifest();
    eth::LogFilter filter;
    filter.addresses = {m.audit, m.doctor, m.patient};  // RpcClient::get_logs refuses any other log

    SyncReport report;
    const std::uint64_t max_window = std::max<std::uint64_t>(1, options.max_window);
    std::uint64_t window = std::clamp<std::uint64_t>(options.window, 1, max_window);
    for (int restart = 0;; ++restart) {
        if (auto why = repair_reorg(rpc, db)) report.reorg = std::move(why);
        report.head = rpc.block_number();
        const auto tip = db.tip();
        std::uint64_t from = tip ? tip->block + 1 : m.deployment_block;
        if (report.from == 0) report.from = from;
        const std::uint64_t first = from;
        bool conflict = false;
        while (from <= report.head) {
            throw_if_cancelled("the index sync");
            if (options.budget && clock::now() - started > *options.budget) {
                report.to = from - 1;
                return report;
            }
            const std::uint64_t end = std::min(report.head, from + window - 1);
            std::vector<eth::Log> logs;
            try {
                logs = rpc.get_logs(filter, eth::BlockRef::number(from), eth::BlockRef::number(end));
            } catch (const eth::RpcError& e) {
                if (!eth::is_log_limit_error(e) || end == from) throw;
                window = std::max<std::uint64_t>(1, (end - from + 1) / 2);
                continue;
            }
            const auto end_hash = chain_hash(rpc, end);
            if (!end_hash) {  // the chain got shorter while we read it
                conflict = true;
                break;
            }
            IndexDb::PageResult page;
            try {
                page = db.apply_page(logs, Tip{end, *end_hash}, report.head);
            } catch (const eth::abi::AbiError& e) {
                // get_logs checked the answer against the filter; a log of one of the contracts
                // that does not decode as the event its topic names was not emitted by them.
                throw eth::UntrustedAnswerError(rpc.url(), std::string("a log that does not decode as the event its topic "
                                                                       "names: ") + e.what());
            }
            if (page.conflict_block) {
                conflict = true;
                break;
            }
            report.events += page.events;
            ++report.pages;
            if (logs.size() > kHeavyPage) window = std::max<std::uint64_t>(1, window / 2);
            else if (logs.size() < kHeavyPage / 4) window = std::min(max_window, window * 2);
            from = end + 1;
            if (options.progress) options.progress(from - first, report.head + 1 - first);
        }
        if (!conflict) {
            report.to = from - 1;
            report.complete = true;
            return report;
        }
        if (restart == kMaxRestarts)
            throw Error(ErrorCode::node_unavailable,
                        "the chain kept reorganising while the index read it; try again in a moment");
    }
}

}  // namespace dossier::index
