#pragma once
/// The embedded blockstore: one file per block in a data directory, laid out like Kubo's flatfs
/// (blocks/<shard>/<KEY>.data, KEY = upper-case unpadded base32 of the multihash, shard = the
/// next-to-last two characters of KEY), plus a pin set and garbage collection.
///
/// Crash safety (process crash or power loss):
/// - A block's bytes are written to blocks/.temp/, made durable, and only then renamed to their
///   final name; the shard directory is fsync'd before the write is reported done. So a block
///   file under its final name is always complete; a crash leaves at worst a temp file, removed
///   on the next open.
/// - The batching writer (writer()) makes many temp files durable with one syncfs(2) instead of
///   one fsync each, then renames them, then fsyncs the touched directories; commit() returns only
///   after that. The argument is the same: no name ever points at bytes that are not durable.
/// - The pin set is a snapshot file replaced atomically (write temp, fsync, rename, fsync
///   directory) plus an append-only journal of later changes, each fdatasync'd before pin() or
///   unpin() returns (see open_pin_log() in the .cpp); a root is pinned only after commit() of
///   its blocks.
/// - get() re-hashes each block it reads, so even media corruption after the fact is reported as
///   CorruptBlockError naming the CID rather than returned.
/// One process at a time: open() takes an exclusive flock on <dir>/repo.lock.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <span>
#include <string>
#include <vector>

#include "ipfs/block_store.hpp"

namespace dossier::ipfs {

class FsBlockStore final : public BlockStore {
public:
    /// Opens (creating if needed) the store in `dir`. Throws IpfsError if another process holds it.
    explicit FsBlockStore(std::filesystem::path dir);
    ~FsBlockStore() override;
    FsBlockStore(const FsBlockStore&) = delete;
    FsBlockStore& operator=(const FsBlockStore&) = delete;

    [[nodiscard]] bool has(const Cid& cid) override;
    [[nodiscard]] std::optional<Bytes> get(const Cid& cid) override;
    /// Durable when it returns (temp file, fsync, rename, directory fsync).
    void put(const Cid& cid, ByteView block) override;
    void remove(const Cid& cid) override;
    void for_each(const std::function<void(const Multihash&)>& fn) override;
    /// Writes on a background thread, in batches made durable as described above.
    [[nodiscard]] std::unique_ptr<BlockWriter> writer() override;

    /// Path of the file that holds (or would hold) a block.
    [[nodiscard]] std::filesystem::path block_path(const Multihash& mh) const;
    /// flatfs key of a multihash ("CIQ...").
    [[nodiscard]] static std::string key_of(const Multihash& mh);

    // Pins (recursive). pin() checks that the whole DAG is present.
    void pin(const Cid& root);
    /// Pins every root with one write of the pin set; checks every DAG first (pins none if one
    /// is incomplete).
    void pin(std::span<const Cid> roots);
    void unpin(const Cid& root);
    [[nodiscard]] std::vector<Cid> pins() const;
    [[nodiscard]] bool is_pinned(const Cid& root) const;

    struct GcResult {
        std::uint64_t removed_blocks = 0;
        std::uint64_t removed_bytes = 0;
        std::uint64_t kept_blocks = 0;
    };
    /// Removes every block not reachable from a pin. Waits for imports in progress in this process
    /// (they hold gc_guard()) so that their unpinned blocks are not collected under them.
    GcResult gc();

    struct BadBlock {
        std::filesystem::path path;
        std::string reason;  ///< "hash mismatch: block bafk... is corrupt", "unparseable file name", ...
    };
    /// Re-hashes every block file and returns every bad one (empty: the store is sound). Also
    /// reports files in blocks/ that are not block files.
    [[nodiscard]] std::vector<BadBlock> verify();

    /// Held (shared) by an import from its first block to its pin; gc() takes it exclusively.
    [[nodiscard]] std::shared_lock<std::shared_mutex> gc_guard() { return std::shared_lock(gc_mutex_); }

    [[nodiscard]] const std::filesystem::path& dir() const noexcept { return dir_; }

private:
    friend class FsBlockWriter;
    void write_pins_locked();
    void open_pin_log();
    void append_pin_log_locked(char op, std::span<const Cid> cids);
    /// The journal is folded into the snapshot once it has this many lines and at least as many as
    /// there are pins.
    static constexpr std::size_t kPinLogFoldLines = 1024;
    void ensure_shard(const std::string& shard, bool sync_parent);
    void shard_durable(const std::string& shard);
    /// The temp files (names in blocks/.temp/) of an import that failed or was cancelled. Removing
    /// them costs milliseconds each on a busy disk, so a failed import does not wait for it: the
    /// next import's writer thread removes them, or the store when it closes (or opens next).
    void abandon_temps(std::vector<std::string> names);
    void remove_abandoned_temps();

    std::filesystem::path dir_;
    std::filesystem::path blocks_;
    std::filesystem::path temp_;
    int lock_fd_ = -1;
    int log_fd_ = -1;               // pins.log, append-only
    std::size_t log_lines_ = 0;     // lines in pins.log
    std::size_t log_bytes_ = 0;     // its size: where a failed append is cut back to
    mutable std::mutex mutex_;  // pins_, shard set, temp counter
    std::set<Cid> pins_;
    std::set<std::string> shards_;
    std::uint64_t temp_counter_ = 0;
    std::vector<std::string> abandoned_;  // guarded by mutex_
    std::shared_mutex gc_mutex_;
};

}  // namespace dossier::ipfs
