#include "ipfs/fs_block_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <atomic>
#include <deque>
#include <future>
#include <fstream>
#include <sstream>
#include <thread>
#include <unordered_set>
#include <utility>

#include "base/unique_fd.hpp"
#include "ipfs/direct_write_queue.hpp"
#include "ipfs/exporter.hpp"
#include "ipfs/multibase.hpp"

namespace fs = std::filesystem;

namespace dossier::ipfs {
namespace {

constexpr const char* kSharding = "/repo/flatfs/shard/v1/next-to-last/2\n";
constexpr const char* kPinsHeader = "# dossier recursive pins v1";

[[noreturn]] void sys_error(const std::string& what, const fs::path& path) {
    throw IpfsError(ErrorCode::io, what + " " + path.string() + ": " + std::strerror(errno));
}

void write_all(int fd, ByteView data, const fs::path& path) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            sys_error("cannot write", path);
        }
        done += static_cast<std::size_t>(n);
    }
}

void fsync_path(const fs::path& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) sys_error("cannot open", path);
    if (::fsync(fd.get()) != 0) sys_error("cannot fsync", path);
}

/// Writes a new file durably: data written and fsync'd before the function returns.
void write_file_durable(const fs::path& path, ByteView data) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd.get() < 0) sys_error("cannot create", path);
    write_all(fd.get(), data, path);
    if (::fdatasync(fd.get()) != 0) sys_error("cannot fsync", path);
}

bool path_exists(const fs::path& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0;
}

/// Reads a whole file; nullopt if it does not exist.
std::optional<Bytes> read_file(const fs::path& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT) return std::nullopt;
        sys_error("cannot open", path);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) sys_error("cannot stat", path);
    Bytes out(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = ::read(fd.get(), out.data() + done, out.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            sys_error("cannot read", path);
        }
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
    out.resize(done);
    return out;
}

/// True if `path` holds exactly `block`. A block already in the store is skipped only then: a
/// damaged copy (torn, truncated, flipped bits) is replaced by the import that brings the right
/// bytes, so adding a file again repairs what verify() reported.
bool stored_intact(const fs::path& path, ByteView block) {
    const auto bytes = read_file(path);
    return bytes && bytes->size() == block.size() && std::equal(bytes->begin(), bytes->end(), block.begin());
}

/// Parses a flatfs file name "<KEY>.data" into a multihash; nullopt if it is not one.
std::optional<Multihash> parse_block_name(const std::string& name) {
    if (name.size() <= 5 || name.substr(name.size() - 5) != ".data") return std::nullopt;
    try {
        return Multihash::from_bytes(multibase::decode_base32(name.substr(0, name.size() - 5), true));
    } catch (const DecodeError&) {
        return std::nullopt;
    }
}

struct DigestHash {
    std::size_t operator()(const Bytes32& d) const noexcept {
        std::size_t h = 0;
        for (int i = 0; i < 8; ++i) h = (h << 8) | d[static_cast<std::size_t>(i)];
        return h;
    }
};

}  // namespace

FsBlockStore::FsBlockStore(fs::path dir) : dir_(std::move(dir)), blocks_(dir_ / "blocks"), temp_(blocks_ / ".temp") {
    std::error_code ec;
    fs::create_directories(temp_, ec);
    if (ec) throw IpfsError(ErrorCode::io, "cannot create the blockstore in " + dir_.string() + ": " + ec.message());
    const fs::path lock_path = dir_ / "repo.lock";
    lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd_ < 0) sys_error("cannot open", lock_path);
    if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
        ::close(lock_fd_);
        throw IpfsError(ErrorCode::io, "the blockstore in " + dir_.string() + " is in use by another process");
    }
    try {
        // Leftovers of writes interrupted by a crash: never visible as blocks, safe to delete now that
        // we hold the lock.
        for (const auto& e : fs::directory_iterator(temp_)) fs::remove(e.path(), ec);
        if (!path_exists(blocks_ / "SHARDING")) {
            write_file_durable(blocks_ / "SHARDING", as_bytes(kSharding));
            fsync_path(blocks_);
            fsync_path(dir_);
        }
        if (auto pins = read_file(dir_ / "pins")) {
            std::istringstream in(std::string(as_chars(*pins)));
            std::string line;
            if (!std::getline(in, line) || line != kPinsHeader)
                throw IpfsError(ErrorCode::io, "the pin file in " + dir_.string() + " is not a Dossier pin file");
            while (std::getline(in, line)) {
                if (line.empty()) continue;
                try {
                    pins_.insert(Cid::parse(line));
                } catch (const DecodeError& e) {
                    throw IpfsError(ErrorCode::io, "the pin file in " + dir_.string() + " has a bad line: " + e.what());
                }
            }
        }
        open_pin_log();
    } catch (...) {
        if (log_fd_ >= 0) ::close(log_fd_);
        ::close(lock_fd_);  // releases the lock: this store was never opened
        throw;
    }
}

// The pin set on disk is a snapshot ("pins", replaced atomically) plus a journal ("pins.log") of
// the changes since: one line "+<cid>" or "-<cid>" each, appended and fdatasync'd before pin()
// or unpin() returns. So a pin costs one flush and a few dozen bytes whatever the number of
// pins, where rewriting the whole set each time would cost two flushes and grow with it. The
// journal is folded into a new snapshot once it is at least as long as the set (so the rewrite
// is paid for by as many cheap appends). Replaying a line is idempotent, so a crash between the
// new snapshot and the journal's truncation replays lines the snapshot already holds, harmlessly.
// A crash mid-append leaves at worst a torn last line (or zeros after it): it was never reported
// done, so it is dropped (and cut off) at the next open. (Whole lines of an interrupted
// many-root pin may survive: each names a DAG already durable, so such a pin is harmless.) A bad line followed by good ones is not
// a torn append: the journal is corrupt, and opening the store fails, naming it.
void FsBlockStore::open_pin_log() {
    const fs::path path = dir_ / "pins.log";
    const bool existed = path_exists(path);
    std::size_t good_end = 0;
    if (auto log = read_file(path)) {
        const std::string_view text = as_chars(*log);
        std::size_t pos = 0;
        std::optional<std::string> torn;  // the first bad line, if only bad lines follow it
        while (pos < text.size()) {
            const std::size_t nl = text.find('\n', pos);
            const std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
            std::optional<Cid> cid;
            if (nl != std::string_view::npos && line.size() > 1 && (line[0] == '+' || line[0] == '-')) {
                try {
                    cid = Cid::parse(line.substr(1));
                } catch (const DecodeError&) {
                }
            }
            if (cid && torn)
                throw IpfsError(ErrorCode::io,
                                "the pin journal " + path.string() + " is corrupt: a bad line (\"" + *torn +
                                "\") is followed by good ones");
            if (cid) {
                if (line[0] == '+') pins_.insert(*cid);
                else pins_.erase(*cid);
                ++log_lines_;
                good_end = nl + 1;
            } else if (!torn) {
                torn = std::string(line.substr(0, 80));
            }
            if (nl == std::string_view::npos) break;
            pos = nl + 1;
        }
    }
    log_fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd_ < 0) sys_error("cannot open", path);
    struct stat st {};
    if (::fstat(log_fd_, &st) != 0) sys_error("cannot stat", path);
    if (static_cast<std::size_t>(st.st_size) != good_end) {  // cut off a torn append
        if (::ftruncate(log_fd_, static_cast<off_t>(good_end)) != 0 || ::fdatasync(log_fd_) != 0)
            sys_error("cannot truncate", path);
    }
    log_bytes_ = good_end;
    if (!existed) fsync_path(dir_);
}

void FsBlockStore::append_pin_log_locked(char op, std::span<const Cid> cids) {
    std::string lines;
    for (const Cid& c : cids) lines += op + c.to_string() + "\n";
    try {
        write_all(log_fd_, as_bytes(lines), dir_ / "pins.log");
        if (::fdatasync(log_fd_) != 0) sys_error("cannot fsync", dir_ / "pins.log");
    } catch (...) {
        // A partial line left here would make every later line look like corruption.
        (void)::ftruncate(log_fd_, static_cast<off_t>(log_bytes_));
        throw;
    }
    log_bytes_ += lines.size();
    log_lines_ += cids.size();
    if (log_lines_ >= kPinLogFoldLines && log_lines_ >= pins_.size()) {
        write_pins_locked();  // the new snapshot is durable before the journal is emptied
        if (::ftruncate(log_fd_, 0) != 0 || ::fdatasync(log_fd_) != 0) sys_error("cannot truncate", dir_ / "pins.log");
        log_lines_ = 0;
        log_bytes_ = 0;
    }
}

FsBlockStore::~FsBlockStore() {
    remove_abandoned_temps();
    if (log_fd_ >= 0) ::close(log_fd_);
    if (lock_fd_ >= 0) ::close(lock_fd_);
}

void FsBlockStore::abandon_temps(std::vector<std::string> names) {
    const std::lock_guard lock(mutex_);
    abandoned_.insert(abandoned_.end(), std::make_move_iterator(names.begin()), std::make_move_iterator(names.end()));
}

void FsBlockStore::remove_abandoned_temps() {
    std::vector<std::string> names;
    {
        const std::lock_guard lock(mutex_);
        names.swap(abandoned_);
    }
    for (const auto& n : names) (void)::unlink((temp_ / n).c_str());
}

std::string FsBlockStore::key_of(const Multihash& mh) { return multibase::base32_upper(mh.bytes()); }

fs::path FsBlockStore::block_path(const Multihash& mh) const {
    const std::string key = key_of(mh);
    return blocks_ / key.substr(key.size() - 3, 2) / (key + ".data");
}

bool FsBlockStore::has(const Cid& cid) { return path_exists(block_path(cid.hash)); }

std::optional<Bytes> FsBlockStore::get(const Cid& cid) {
    auto b = read_file(block_path(cid.hash));
    if (b && !cid.hash.matches(*b)) throw CorruptBlockError(cid.to_string());
    return b;
}

void FsBlockStore::ensure_shard(const std::string& shard, bool sync_parent) {
    {
        std::lock_guard lock(mutex_);
        if (shards_.contains(shard)) return;
    }
    const fs::path p = blocks_ / shard;
    if (::mkdir(p.c_str(), 0755) != 0 && errno != EEXIST) sys_error("cannot create", p);
    // A shard joins the known set only once its name is durable; a caller that does not sync
    // here (the batching writer) registers it with shard_durable() after its syncfs.
    if (!sync_parent) return;
    fsync_path(blocks_);
    shard_durable(shard);
}

void FsBlockStore::shard_durable(const std::string& shard) {
    std::lock_guard lock(mutex_);
    shards_.insert(shard);
}

void FsBlockStore::put(const Cid& cid, ByteView block) {
    const fs::path final_path = block_path(cid.hash);
    if (stored_intact(final_path, block)) return;
    const std::string key = key_of(cid.hash);
    ensure_shard(key.substr(key.size() - 3, 2), true);
    std::uint64_t n = 0;
    {
        std::lock_guard lock(mutex_);
        n = temp_counter_++;
    }
    const fs::path temp = temp_ / (key + "." + std::to_string(::getpid()) + "." + std::to_string(n));
    write_file_durable(temp, block);
    if (::rename(temp.c_str(), final_path.c_str()) != 0) sys_error("cannot rename into", final_path);
    fsync_path(final_path.parent_path());
}

void FsBlockStore::remove(const Cid& cid) {
    const fs::path p = block_path(cid.hash);
    if (::unlink(p.c_str()) != 0 && errno != ENOENT) sys_error("cannot remove", p);
}

void FsBlockStore::for_each(const std::function<void(const Multihash&)>& fn) {
    for (const auto& shard : fs::directory_iterator(blocks_)) {
        if (!shard.is_directory() || shard.path() == temp_) continue;
        for (const auto& f : fs::directory_iterator(shard.path()))
            if (auto mh = parse_block_name(f.path().filename().string())) fn(*mh);
    }
}

// ---------------------------------------------------------------------------------------------
// The batching writer.
//
// Why this is as crash-safe as put(): the invariant is "a name under blocks/<shard>/ only ever
// refers to a complete, durable file". The writer thread writes each block to blocks/.temp/ (no
// fsync: full leaves with direct I/O through a DirectWriteQueue, the rest through the page cache
// with sync_file_range to start writeback early). Every kBatchBytes the queue is drained and the
// batch goes to a helper thread, which calls syncfs(2) on the filesystem: it returns only once the
// data and inodes of all those files (and any shard directory created for them) are on stable
// storage, the device's cache flushed;
// only then does the helper rename them into their shards. Meanwhile the writer writes the next
// batch; one batch at most is in flight. A crash before a rename leaves a temp file (deleted at
// the next open); a crash after it leaves a complete block, named or not (ext4 journals a rename
// atomically). commit() waits for the last batch and calls syncfs once more, which commits the
// journal holding every rename (what an fsync of each shard directory would do, for one flush
// instead of hundreds), so every name is durable before commit() returns and before a caller pins
// the root. One syncfs per 64 MiB costs far less than an fsync per 256 KiB block, each of which
// forces its own journal commit and device cache flush.
// ---------------------------------------------------------------------------------------------
class FsBlockWriter final : public BlockWriter {
public:
    explicit FsBlockWriter(FsBlockStore& store) : store_(store) {
        {
            const std::lock_guard lock(store_.mutex_);
            writer_ = "w" + std::to_string(store_.temp_counter_++);
        }
        temp_fd_ = UniqueFd(::open(store_.temp_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (temp_fd_.get() < 0) sys_error("cannot open", store_.temp_);
        blocks_fd_ = UniqueFd(::open(store_.blocks_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (blocks_fd_.get() < 0) sys_error("cannot open", store_.blocks_);
        thread_ = std::thread([this] { run(); });
    }

    ~FsBlockWriter() override {
        if (thread_.joinable()) {
            {
                std::lock_guard lock(m_);
                abort_ = true;
            }
            cv_work_.notify_all();
            thread_.join();
        }
        try {
            if (direct_) direct_->drain();  // no write may still target a file about to be removed
        } catch (...) {       // NOLINT(bugprone-empty-catch): the import already failed
        }
        if (in_flight_.valid()) in_flight_.wait();
        if (batch_.empty()) return;
        std::vector<std::string> names;
        names.reserve(batch_.size());
        for (auto& s : batch_) names.push_back(std::move(s.temp));
        try {
            store_.abandon_temps(std::move(names));
        } catch (...) {  // NOLINT(bugprone-empty-catch): out of memory: the next open removes them
        }
    }

    void put(const Cid& cid, Bytes&& block) override {
        std::unique_lock lock(m_);
        cv_space_.wait(lock, [&] { return error_ || queued_bytes_ < kQueueBytes || queue_.size() < 2; });
        if (error_) std::rethrow_exception(error_);
        queued_bytes_ += block.size();
        queue_.emplace_back(cid, std::move(block));
        lock.unlock();
        cv_work_.notify_one();
    }

    void commit() override {
        {
            std::lock_guard lock(m_);
            closing_ = true;
        }
        cv_work_.notify_all();
        if (thread_.joinable()) thread_.join();
        if (error_) std::rethrow_exception(error_);
    }

    Bytes recycle() override {
        std::lock_guard lock(m_);
        if (free_.empty()) return {};
        Bytes b = std::move(free_.back());
        free_.pop_back();
        return b;
    }

private:
    static constexpr std::size_t kQueueBytes = 8u << 20;
    static constexpr std::size_t kBatchBytes = 64u << 20;
    static constexpr std::size_t kBatchBlocks = 2048;
    /// Full leaves up to this size go through the direct-I/O queue: 2 threads, 4 buffers.
    static constexpr std::size_t kDirectMax = 1u << 20;

    /// Both names are relative: `temp` to blocks/.temp/, `final_name` ("<shard>/<KEY>.data") to
    /// blocks/, so that each syscall resolves one or two components instead of a whole path.
    struct Staged {
        std::string temp;
        std::string final_name;
    };

    void run() {
        try {
            store_.remove_abandoned_temps();  // an earlier failed import's, off the caller's path
            for (;;) {
                std::unique_lock lock(m_);
                cv_work_.wait(lock, [&] { return abort_ || closing_ || !queue_.empty(); });
                if (abort_) return;
                if (queue_.empty()) break;  // closing and drained
                auto [cid, block] = std::move(queue_.front());
                queue_.pop_front();
                lock.unlock();
                stage(cid, block);
                lock.lock();
                queued_bytes_ -= block.size();
                if (free_.size() < 4) free_.push_back(std::move(block));
                lock.unlock();
                cv_space_.notify_one();
                if (batch_bytes_ >= kBatchBytes || batch_.size() >= kBatchBlocks) flush_batch();
            }
            flush_batch();
            if (in_flight_.valid()) in_flight_.get();
            // One more syncfs commits the journal holding every rename: the same guarantee as an
            // fsync of each shard directory touched, for one flush instead of hundreds.
            if (renamed_any_ && ::syncfs(temp_fd_.get()) != 0) sys_error("cannot sync the filesystem of", store_.temp_);
        } catch (...) {
            std::lock_guard lock(m_);
            error_ = std::current_exception();
        }
        cv_space_.notify_all();
    }

    void stage(const Cid& cid, const Bytes& block) {
        if (!in_batch_.insert(cid.hash.digest).second) return;  // duplicate block in this batch
        const std::string key = FsBlockStore::key_of(cid.hash);
        const std::string shard = key.substr(key.size() - 3, 2);
        std::string final_name = shard + "/" + key + ".data";
        struct stat st {};
        if (::fstatat(blocks_fd_.get(), final_name.c_str(), &st, 0) == 0 && static_cast<std::size_t>(st.st_size) == block.size() &&
            stored_intact(store_.blocks_ / final_name, block))
            return;  // already stored, intact (a damaged copy is replaced by this batch's rename)
        // A new shard directory made here becomes durable with the batch's syncfs, which runs
        // before any block is renamed into it. Once per shard and batch: the set is the batch's.
        if (new_shards_.insert(shard).second) store_.ensure_shard(shard, false);
        std::string name = key + "." + pid_ + "." + writer_ + "." + std::to_string(counter_++) + ".w";
        DirectWriteQueue* const direct = direct_queue(block.size());
        const int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
        UniqueFd fd(::openat(temp_fd_.get(), name.c_str(), flags | (direct ? O_DIRECT : 0), 0644));
        const bool refused = fd.get() < 0 && direct && errno == EINVAL;  // a file system without direct I/O
        if (refused) {
            direct->refuse();
            fd = UniqueFd(::openat(temp_fd_.get(), name.c_str(), flags, 0644));
        }
        if (fd.get() < 0) sys_error("cannot create", store_.temp_ / name);
        batch_.push_back(Staged{std::move(name), std::move(final_name)});
        batch_bytes_ += block.size();
        const fs::path path = store_.temp_ / batch_.back().temp;
        if (direct && !refused) {
            // Full leaves: written with direct I/O by the queue's threads (see its header).
            direct->submit(fd.release(), block, path);
            return;
        }
        write_all(fd.get(), block, path);
        // Start writeback now, so that the disk works while we hash and the batch's syncfs finds
        // little left to do. Durability still comes from syncfs (this call promises nothing).
        (void)::sync_file_range(fd.get(), 0, 0, SYNC_FILE_RANGE_WRITE);
    }

    /// The direct-I/O queue if a block of `size` bytes should go through it (made on first use).
    DirectWriteQueue* direct_queue(std::size_t size) {
        if (size == 0 || size % DirectWriteQueue::kAlign != 0 || size > kDirectMax) return nullptr;
        if (!direct_) direct_ = std::make_unique<DirectWriteQueue>(2, 4, kDirectMax);
        return direct_->eligible(size) ? direct_.get() : nullptr;
    }

    /// Hands the current batch to a helper thread that syncs and renames it, so the writer keeps
    /// writing the next batch meanwhile. At most one batch is in flight: its durability is
    /// awaited (and its errors raised) before the next one is handed over.
    void flush_batch() {
        if (direct_) direct_->drain();  // the batch's syncfs must find every one of its writes completed
        if (in_flight_.valid()) in_flight_.get();
        if (batch_.empty()) return;
        in_flight_ = std::async(std::launch::async, [this, batch = std::move(batch_), shards = std::move(new_shards_)] {
            if (::syncfs(temp_fd_.get()) != 0) sys_error("cannot sync the filesystem of", store_.temp_);
            for (const auto& shard : shards) store_.shard_durable(shard);
            for (const auto& st : batch)
                if (::renameat(temp_fd_.get(), st.temp.c_str(), blocks_fd_.get(), st.final_name.c_str()) != 0)
                    sys_error("cannot rename into", store_.blocks_ / st.final_name);
            renamed_any_ = true;
        });
        batch_.clear();
        new_shards_.clear();
        in_batch_.clear();
        batch_bytes_ = 0;
    }

    FsBlockStore& store_;
    UniqueFd temp_fd_;
    UniqueFd blocks_fd_;
    const std::string pid_ = std::to_string(::getpid());
    std::thread thread_;
    std::mutex m_;
    std::condition_variable cv_work_;
    std::condition_variable cv_space_;
    std::deque<std::pair<Cid, Bytes>> queue_;
    std::size_t queued_bytes_ = 0;
    std::vector<Bytes> free_;
    bool closing_ = false;
    bool abort_ = false;
    std::exception_ptr error_;
    // Writer-thread state.
    std::vector<Staged> batch_;
    std::unordered_set<Bytes32, DigestHash> in_batch_;
    std::size_t batch_bytes_ = 0;
    std::set<std::string> new_shards_;
    std::future<void> in_flight_;
    std::atomic<bool> renamed_any_{false};
    std::uint64_t counter_ = 0;
    /// Unique among the store's writers, so that two imports in one process (or an abandoned
    /// temp file awaiting removal) never share a temp name.
    std::string writer_;
    std::unique_ptr<DirectWriteQueue> direct_;  ///< made for the first full leaf: small adds need no threads
};

std::unique_ptr<BlockWriter> FsBlockStore::writer() { return std::make_unique<FsBlockWriter>(*this); }

// --- pins and GC --------------------------------------------------------------------------------

void FsBlockStore::write_pins_locked() {
    std::string text = std::string(kPinsHeader) + "\n";
    for (const Cid& c : pins_) text += c.to_string() + "\n";
    const fs::path tmp = dir_ / "pins.tmp";
    write_file_durable(tmp, as_bytes(text));
    if (::rename(tmp.c_str(), (dir_ / "pins").c_str()) != 0) sys_error("cannot replace", dir_ / "pins");
    fsync_path(dir_);
}

void FsBlockStore::pin(const Cid& root) { pin(std::span<const Cid>(&root, 1)); }

void FsBlockStore::pin(std::span<const Cid> roots) {
    for (const Cid& root : roots) walk_dag(*this, root, [](const Cid&) {});  // BlockNotFoundError if incomplete
    std::lock_guard lock(mutex_);
    std::vector<Cid> added;
    for (const Cid& root : roots)
        if (pins_.insert(root).second) added.push_back(root);
    if (added.empty()) return;
    try {
        append_pin_log_locked('+', added);
    } catch (...) {
        for (const Cid& c : added) pins_.erase(c);  // not durable: not pinned
        throw;
    }
}

void FsBlockStore::unpin(const Cid& root) {
    std::lock_guard lock(mutex_);
    if (pins_.erase(root) == 0) throw IpfsError(ErrorCode::not_found, root.to_string() + " is not pinned");
    try {
        append_pin_log_locked('-', std::span<const Cid>(&root, 1));
    } catch (...) {
        pins_.insert(root);  // not durable: still pinned
        throw;
    }
}

std::vector<Cid> FsBlockStore::pins() const {
    std::lock_guard lock(mutex_);
    return {pins_.begin(), pins_.end()};
}

bool FsBlockStore::is_pinned(const Cid& root) const {
    std::lock_guard lock(mutex_);
    return pins_.contains(root);
}

FsBlockStore::GcResult FsBlockStore::gc() {
    std::unique_lock guard(gc_mutex_);
    std::unordered_set<Bytes32, DigestHash> live;
    for (const Cid& root : pins()) walk_dag(*this, root, [&](const Cid& c) { live.insert(c.hash.digest); });
    GcResult r;
    std::set<fs::path> dirty;
    for (const auto& shard : fs::directory_iterator(blocks_)) {
        if (!shard.is_directory() || shard.path() == temp_) continue;
        for (const auto& f : fs::directory_iterator(shard.path())) {
            const auto mh = parse_block_name(f.path().filename().string());
            if (!mh) continue;
            if (live.contains(mh->digest)) {
                ++r.kept_blocks;
                continue;
            }
            struct stat st {};
            if (::stat(f.path().c_str(), &st) == 0) r.removed_bytes += static_cast<std::uint64_t>(st.st_size);
            if (::unlink(f.path().c_str()) != 0 && errno != ENOENT) sys_error("cannot remove", f.path());
            ++r.removed_blocks;
            dirty.insert(shard.path());
        }
    }
    for (const auto& d : dirty) fsync_path(d);
    return r;
}

std::vector<FsBlockStore::BadBlock> FsBlockStore::verify() {
    std::vector<BadBlock> bad;
    for (const auto& shard : fs::directory_iterator(blocks_)) {
        if (shard.path() == temp_) continue;
        if (!shard.is_directory()) {
            if (shard.path().filename() != "SHARDING") bad.push_back({shard.path(), "unexpected file in blocks/"});
            continue;
        }
        const std::string shard_name = shard.path().filename().string();
        for (const auto& f : fs::directory_iterator(shard.path())) {
            const std::string name = f.path().filename().string();
            const auto mh = parse_block_name(name);
            if (!mh) {
                bad.push_back({f.path(), "not a block file name"});
                continue;
            }
            const std::string key = key_of(*mh);
            if (key.substr(key.size() - 3, 2) != shard_name) {
                bad.push_back({f.path(), "block file in the wrong shard directory"});
                continue;
            }
            const auto bytes = read_file(f.path());
            if (bytes && !mh->matches(*bytes))
                bad.push_back({f.path(), "hash mismatch: block " + Cid::v1(kCodecRaw, *mh).to_string() +
                                             " (raw) / " + Cid::v1(kCodecDagPb, *mh).to_string() + " (dag-pb) is corrupt"});
        }
    }
    return bad;
}

}  // namespace dossier::ipfs
