#pragma once
/// Bringing the index up to the chain's head: check that its tip is still on the chain (else roll
/// back to the last block both agree on), then page eth_getLogs of the three contracts from the
/// block after the tip to the head, one SQLite transaction per page.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "dossier/index/index_db.hpp"
#include "eth/rpc_client.hpp"

namespace dossier::index {

struct SyncOptions {
    /// First page size in blocks; it halves when the node refuses a range or a page is heavy,
    /// and doubles while pages are light.
    std::uint64_t window = 2'000;
    /// The window never grows past this.
    std::uint64_t max_window = 100'000;
    /// Stop after this long (the index stays consistent at the end of a page; the next sync goes
    /// on from there). Unset: until the head.
    std::optional<std::chrono::milliseconds> budget;
    /// (blocks done, blocks to do) of this sync.
    std::function<void(std::uint64_t, std::uint64_t)> progress;
};

struct SyncReport {
    std::uint64_t head = 0;       ///< the chain's head when the sync started
    std::uint64_t from = 0;       ///< first block read (0: nothing to read)
    std::uint64_t to = 0;         ///< the index's tip afterwards
    std::uint64_t events = 0;     ///< rows added
    std::uint64_t pages = 0;
    bool complete = false;        ///< the tip reached the head
    std::optional<std::string> reorg;  ///< what a rollback did, if one happened
};

/// Syncs `db` with the chain `rpc` talks to. Throws what the node throws (node_unavailable...),
/// eth::UntrustedAnswerError (tampered) for an answer that is not one to the query (a log of
/// another contract or block, twice, removed, or not the event its topic names), and
/// Error(cancelled) between pages when the calling thread's stop token is triggered; either way
/// the index holds whole pages only, and nothing of a refused answer.
SyncReport sync(eth::RpcClient& rpc, IndexDb& db, const SyncOptions& options = {});

}  // namespace dossier::index
