#include "ipfs/importer.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "ipfs/dagpb.hpp"
#include "ipfs/unixfs.hpp"

namespace dossier::ipfs {
namespace {

/// A finished subtree as its parent sees it.
struct Child {
    Cid cid;
    std::uint64_t tsize = 0;     ///< bytes of every block in the subtree (the link's Tsize)
    std::uint64_t filesize = 0;  ///< bytes of content (the parent's blocksizes entry)
};

/// The balanced layout of the JS importer, made streaming: level k holds at most max_links
/// children waiting for their parent. A full level is reduced to one node at once (the JS
/// layout batches in groups of max_links too); partial levels are reduced at the end, bottom up,
/// until one level holds a single child overall: that child is the root.
class DagBuilder {
public:
    DagBuilder(const ImportProfile& p, BlockWriter& out) : profile_(p), out_(out) {}

    void add_leaf(Child leaf) { add(0, std::move(leaf)); }

    Child finish() {
        if (levels_.empty()) throw IpfsError("importer produced no chunk");
        // A file of one chunk is that chunk's block (reduceSingleLeafToSelf).
        if (levels_.size() == 1 && levels_[0].total == 1) return levels_[0].pending.front();
        for (std::size_t k = 0;; ++k) {
            Level& level = levels_[k];
            if (k > 0 && level.total == 1) return level.pending.front();
            if (!level.pending.empty()) {
                Child node = reduce(level.pending);
                level.pending.clear();
                add(k + 1, std::move(node));
            }
        }
    }

    std::uint64_t blocks = 0;

private:
    struct Level {
        std::vector<Child> pending;
        std::uint64_t total = 0;  ///< children ever added at this level
    };

    void add(std::size_t k, Child c) {
        if (levels_.size() <= k) levels_.resize(k + 1);
        levels_[k].pending.push_back(std::move(c));
        ++levels_[k].total;
        if (levels_[k].pending.size() == profile_.max_links) {
            Child node = reduce(levels_[k].pending);
            levels_[k].pending.clear();
            add(k + 1, std::move(node));
        }
    }

    Child reduce(const std::vector<Child>& children) {
        unixfs::Data fs;
        fs.type = unixfs::Type::File;
        dagpb::Node node;
        node.links.reserve(children.size());
        fs.blocksizes.reserve(children.size());
        std::uint64_t filesize = 0;
        std::uint64_t tsize = 0;
        for (const Child& c : children) {
            fs.blocksizes.push_back(c.filesize);
            filesize += c.filesize;
            tsize += c.tsize;
            node.links.push_back(dagpb::Link{c.cid, std::string(), c.tsize});
        }
        fs.filesize = filesize;
        node.data = unixfs::encode(fs);
        Bytes block = dagpb::encode(node);
        const Multihash mh = Multihash::of(block);
        const Cid cid = profile_.cid_version == 0 ? Cid::v0(mh) : Cid::v1(kCodecDagPb, mh);
        Child out{cid, tsize + block.size(), filesize};
        ++blocks;
        out_.put(cid, std::move(block));
        return out;
    }

    const ImportProfile& profile_;
    BlockWriter& out_;
    std::vector<Level> levels_;
};

/// Reads the input one chunk ahead on a helper thread, so that reading (a copy from the page cache
/// or a pipe) overlaps hashing. At most kDepth filled chunks wait; buffers are handed back for reuse.
class ChunkReader {
public:
    ChunkReader(ByteSource& in, std::size_t chunk_size) : in_(in), chunk_size_(chunk_size) {
        thread_ = std::thread([this] { run(); });
    }
    ~ChunkReader() {
        {
            std::lock_guard lock(m_);
            stop_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }
    ChunkReader(const ChunkReader&) = delete;
    ChunkReader& operator=(const ChunkReader&) = delete;

    /// The next chunk: chunk_size bytes, or fewer for the last one (possibly 0). Rethrows input errors.
    Bytes next() {
        std::unique_lock lock(m_);
        cv_.wait(lock, [&] { return !filled_.empty() || error_ || done_; });
        if (!filled_.empty()) {
            Bytes b = std::move(filled_.front());
            filled_.pop_front();
            cv_.notify_all();
            return b;
        }
        if (error_) std::rethrow_exception(error_);
        return {};  // not reached: the reader always delivers its last (short) chunk before done_
    }
    /// A buffer the reader may reuse (ignored if empty).
    void give(Bytes b) {
        if (b.capacity() < chunk_size_) return;
        std::lock_guard lock(m_);
        if (free_.size() < kDepth) free_.push_back(std::move(b));
    }

private:
    static constexpr std::size_t kDepth = 2;

    void run() {
        try {
            for (;;) {
                Bytes buf;
                {
                    std::unique_lock lock(m_);
                    cv_.wait(lock, [&] { return stop_ || filled_.size() < kDepth; });
                    if (stop_) return;
                    if (!free_.empty()) {
                        buf = std::move(free_.back());
                        free_.pop_back();
                    }
                }
                buf.resize(chunk_size_);
                const std::size_t n = read_full(in_, buf);
                buf.resize(n);
                {
                    std::lock_guard lock(m_);
                    filled_.push_back(std::move(buf));
                }
                cv_.notify_all();
                if (n < chunk_size_) break;
            }
            std::lock_guard lock(m_);
            done_ = true;
        } catch (...) {
            std::lock_guard lock(m_);
            error_ = std::current_exception();
        }
        cv_.notify_all();
    }

    ByteSource& in_;
    std::size_t chunk_size_;
    std::thread thread_;
    std::mutex m_;
    std::condition_variable cv_;
    std::deque<Bytes> filled_;
    std::vector<Bytes> free_;
    bool stop_ = false;
    bool done_ = false;
    std::exception_ptr error_;
};

}  // namespace

ImportResult import_file(ByteSource& input, BlockWriter& out, const ImportProfile& profile, const ProgressFn& progress) {
    profile.validate();
    DagBuilder builder(profile, out);
    ChunkReader reader(input, profile.chunk_size);
    std::uint64_t done = 0;
    bool emitted = false;
    for (;;) {
        reader.give(out.recycle());
        Bytes chunk = reader.next();
        const std::size_t n = chunk.size();
        // Like the JS fixed-size chunker: full chunks, then the remainder if any; an empty input
        // is one empty chunk.
        if (n == 0 && emitted) break;
        emitted = true;
        done += n;
        Child leaf;
        if (profile.raw_leaves) {
            leaf = Child{Cid::v1(kCodecRaw, Multihash::of(chunk)), n, n};
            out.put(leaf.cid, std::move(chunk));
        } else {
            unixfs::Data fs;
            fs.type = unixfs::Type::File;
            if (n > 0) fs.data = std::move(chunk);
            fs.filesize = n;
            dagpb::Node node;
            node.data = unixfs::encode(fs);
            Bytes block = dagpb::encode(node);
            const Multihash mh = Multihash::of(block);
            leaf = Child{profile.cid_version == 0 ? Cid::v0(mh) : Cid::v1(kCodecDagPb, mh), block.size(), n};
            out.put(leaf.cid, std::move(block));
        }
        ++builder.blocks;
        builder.add_leaf(std::move(leaf));
        if (progress) progress(done);
        if (n < profile.chunk_size) break;
    }
    const Child root = builder.finish();
    out.commit();
    return ImportResult{root.cid, done, root.tsize, builder.blocks};
}

ImportResult import_file(ByteSource& input, BlockStore& store, const ImportProfile& profile, const ProgressFn& progress) {
    auto w = store.writer();
    return import_file(input, *w, profile, progress);
}

}  // namespace dossier::ipfs
