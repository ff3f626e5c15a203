#pragma once
/// Internal to the client implementation: the data directory's local index, opened on first use
/// and shared by a Client's threads and Accounts. Every read through it first syncs the index
/// with the chain (unless offline), under one lock: SQLite's connection is not shared between
/// threads, and two syncs at once would only do the same work twice. The Connection makes a new
/// one whenever it drops its Context (the node restarted, maybe with another deployment).
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "dossier/client/progress.hpp"
#include "dossier/client/types.hpp"
#include "dossier/context.hpp"
#include "dossier/index/index_db.hpp"
#include "dossier/index/index_sync.hpp"

namespace dossier::client::detail {

class LocalIndex {
public:
    struct Settings {
        bool offline = false;
        std::optional<std::uint32_t> confirmations;
        std::optional<std::uint64_t> page_blocks;
    };
    explicit LocalIndex(Settings settings) : settings_(std::move(settings)) {}

    /// Runs `f(IndexDb&)` on the index of `ctx`'s deployment after syncing it (bounded in time:
    /// a first sync of a long chain goes on at the next read).
    template <class F>
    auto read(core::Context& ctx, const ProgressFn& progress, F&& f) {
        const std::lock_guard lock(mutex_);
        index::IndexDb& db = open(ctx);
        if (!settings_.offline) (void)sync_locked(ctx, db, progress, false);
        return f(db);
    }

    IndexSync sync(core::Context& ctx, const ProgressFn& progress, bool rebuild);
    IndexStatus status(core::Context& ctx);

    /// Whether an entry of `block` has the configured confirmations (head: at the last sync).
    [[nodiscard]] bool confirmed(core::Context& ctx, std::uint64_t block);

private:
    index::IndexDb& open(core::Context& ctx);
    IndexSync sync_locked(core::Context& ctx, index::IndexDb& db, const ProgressFn& progress, bool unbounded);
    [[nodiscard]] std::uint32_t depth(const core::Context& ctx) const;

    const Settings settings_;
    std::mutex mutex_;
    std::unique_ptr<index::IndexDb> db_;
    std::uint64_t head_ = 0;
};

}  // namespace dossier::client::detail
