#include "dossier/client/local_index.hpp"

#include <chrono>

namespace dossier::client::detail {

namespace {
/// How long a read waits for a sync before answering with what is indexed (the rest follows at
/// the next read); an explicit `index sync` or `rebuild` runs to the head.
constexpr std::chrono::seconds kReadSyncBudget{20};
}  // namespace

index::IndexDb& LocalIndex::open(core::Context& ctx) {
    if (!db_) db_ = std::make_unique<index::IndexDb>(ctx.config().index_file(), ctx.manifest());
    return *db_;
}

std::uint32_t LocalIndex::depth(const core::Context& ctx) const {
    if (settings_.confirmations) return *settings_.confirmations;
    return ctx.config().embedded_chain() ? 0 : 2;
}

IndexSync LocalIndex::sync_locked(core::Context& ctx, index::IndexDb& db, const ProgressFn& progress, bool unbounded) {
    index::SyncOptions options;
    if (!unbounded) options.budget = kReadSyncBudget;
    if (settings_.page_blocks) {
        options.max_window = *settings_.page_blocks;
        options.window = std::min(options.window, options.max_window);
    }
    if (progress)
        options.progress = [&](std::uint64_t done, std::uint64_t total) {
            progress(Progress{"indexing the chain", done, total, "blocks"});
        };
    const auto r = index::sync(ctx.rpc(), db, options);
    head_ = r.head;
    return IndexSync{r.from, r.to, r.head, r.events, r.pages, r.complete, r.reorg};
}

IndexSync LocalIndex::sync(core::Context& ctx, const ProgressFn& progress, bool rebuild) {
    const std::lock_guard lock(mutex_);
    index::IndexDb& db = open(ctx);
    if (rebuild) db.clear();
    return sync_locked(ctx, db, progress, true);
}

IndexStatus LocalIndex::status(core::Context& ctx) {
    const std::lock_guard lock(mutex_);
    index::IndexDb& db = open(ctx);
    const auto s = db.stats();
    IndexStatus out;
    out.file = ctx.config().index_file();
    if (s.tip) out.tip = s.tip->block;
    out.head = s.head_at_sync;
    if (!settings_.offline) {
        out.head = ctx.rpc().block_number();
    }
    out.lag = out.tip ? (out.head > *out.tip ? out.head - *out.tip : 0) : out.head;
    out.events = s.events;
    out.audit_entries = s.audit_entries;
    out.bytes = s.file_bytes;
    out.last_reorg = s.last_reorg;
    out.confirmations = depth(ctx);
    return out;
}

bool LocalIndex::confirmed(core::Context& ctx, std::uint64_t block) {
    const std::uint32_t d = depth(ctx);
    return d == 0 || block + d <= head_;
}

}  // namespace dossier::client::detail
