#include "ipfs/exporter.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <utility>
#include <limits>
#include <unordered_set>
#include <vector>

#include "ipfs/dagpb.hpp"
#include "ipfs/unixfs.hpp"

namespace dossier::ipfs {
namespace {

/// Deeper trees than this are refused: a balanced tree of 2-link nodes this deep would hold more
/// chunks than any disk.
constexpr std::size_t kMaxDepth = 64;

std::uint64_t checked_add(std::uint64_t a, std::uint64_t b, const Cid& cid) {
    if (b > std::numeric_limits<std::uint64_t>::max() - a)
        throw UnixFsError("file node " + cid.to_string() + " has sizes that overflow 64 bits");
    return a + b;
}

/// A decoded UnixFS file node: inline data, then children with their content sizes.
struct FileNode {
    Cid cid;
    std::vector<Cid> children;
    std::vector<std::uint64_t> sizes;
    Bytes data;
    std::uint64_t total = 0;  ///< data + sum(sizes)
};

FileNode decode_file_node(const Cid& cid, ByteView block) {
    dagpb::Node node = dagpb::decode(block);
    if (!node.data) throw NotAFileError("node " + cid.to_string() + " has no UnixFS data: not a file");
    unixfs::Data fs = unixfs::decode(*node.data);
    if (fs.type == unixfs::Type::Directory || fs.type == unixfs::Type::HamtShard)
        throw NotAFileError(cid.to_string() + " is a directory, not a file");
    if (fs.type != unixfs::Type::File && fs.type != unixfs::Type::Raw)
        throw NotAFileError(cid.to_string() + " is a UnixFS symlink or metadata node, not a file");
    if (fs.blocksizes.size() != node.links.size())
        throw UnixFsError("file node " + cid.to_string() + " has " + std::to_string(node.links.size()) + " links but " +
                          std::to_string(fs.blocksizes.size()) + " blocksizes");
    FileNode f;
    f.cid = cid;
    f.data = fs.data ? std::move(*fs.data) : Bytes{};
    f.total = f.data.size();
    for (std::size_t i = 0; i < node.links.size(); ++i) {
        f.children.push_back(node.links[i].hash);
        f.total = checked_add(f.total, fs.blocksizes[i], cid);
    }
    f.sizes = std::move(fs.blocksizes);
    if (fs.filesize && *fs.filesize != f.total)
        throw UnixFsError("file node " + cid.to_string() + " declares filesize " + std::to_string(*fs.filesize) +
                          " but its parts add up to " + std::to_string(f.total));
    return f;
}

class FileReader final : public ByteSource {
public:
    FileReader(BlockStore& store, const Cid& root, std::uint64_t offset, std::optional<std::uint64_t> length)
        : store_(store), pos_(offset) {
        Bytes block = store_.get_required(root);
        std::uint64_t size = 0;
        if (root.codec == kCodecRaw) {
            size = block.size();
            seg_ = std::move(block);
            seg_start_ = 0;
        } else {
            FileNode n = decode_file_node(root, block);
            size = n.total;
            stack_.push_back(Frame{std::move(n), 0, 0, 0, false});
        }
        end_ = size;
        if (length && *length < size - std::min(size, offset)) end_ = offset + *length;
        if (pos_ > end_) pos_ = end_;
    }

    std::size_t read(std::span<std::uint8_t> buf) override {
        if (pending_error_) std::rethrow_exception(std::exchange(pending_error_, nullptr));
        std::size_t done = 0;
        try {
            fill(buf, done);
        } catch (...) {
            // Hand out the good bytes before the failure first; the error comes with the next call.
            if (done == 0) throw;
            pending_error_ = std::current_exception();
        }
        return done;
    }

private:
    void fill(std::span<std::uint8_t> buf, std::size_t& done) {
        while (done < buf.size() && pos_ < end_) {
            if (pos_ >= seg_start_ && pos_ < seg_start_ + seg_.size()) {
                const std::uint64_t avail = std::min<std::uint64_t>(seg_start_ + seg_.size(), end_) - pos_;
                const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(avail, buf.size() - done));
                std::memcpy(buf.data() + done, seg_.data() + (pos_ - seg_start_), n);
                done += n;
                pos_ += n;
                continue;
            }
            if (!next_segment()) throw UnixFsError("file DAG ends before its declared size");
        }
    }

    struct Frame {
        FileNode node;
        std::uint64_t start;        ///< file offset of this node's first byte
        std::size_t next_child;
        std::uint64_t child_start;  ///< file offset of child next_child
        bool data_done;
    };

    bool overlaps(std::uint64_t start, std::uint64_t size) const { return start < end_ && start + size > pos_; }

    /// Moves to the next piece of content that overlaps [pos_, end_), fetching only the blocks on
    /// the way to it. Returns false when the DAG has no more content.
    bool next_segment() {
        while (!stack_.empty()) {
            Frame& f = stack_.back();
            if (!f.data_done) {
                f.data_done = true;
                f.child_start = f.start + f.node.data.size();
                if (!f.node.data.empty() && overlaps(f.start, f.node.data.size())) {
                    seg_ = std::move(f.node.data);
                    seg_start_ = f.start;
                    return true;
                }
                continue;
            }
            if (f.next_child == f.node.children.size()) {
                stack_.pop_back();
                continue;
            }
            const std::size_t i = f.next_child++;
            const std::uint64_t start = f.child_start;
            const std::uint64_t size = f.node.sizes[i];
            f.child_start += size;
            if (!overlaps(start, size)) continue;
            const Cid child = f.node.children[i];
            const Cid parent = f.node.cid;
            Bytes block = store_.get_required(child);
            if (child.codec == kCodecRaw) {
                if (block.size() != size)
                    throw UnixFsError("raw leaf " + child.to_string() + " has " + std::to_string(block.size()) +
                                      " bytes but its parent " + parent.to_string() + " says " + std::to_string(size));
                seg_ = std::move(block);
                seg_start_ = start;
                return true;
            }
            FileNode n = decode_file_node(child, block);
            if (n.total != size)
                throw UnixFsError("node " + child.to_string() + " holds " + std::to_string(n.total) +
                                  " bytes but its parent " + parent.to_string() + " says " + std::to_string(size));
            if (stack_.size() >= kMaxDepth) throw UnixFsError("file DAG deeper than " + std::to_string(kMaxDepth) + " levels");
            stack_.push_back(Frame{std::move(n), start, 0, 0, false});
        }
        return false;
    }

    BlockStore& store_;
    std::vector<Frame> stack_;
    Bytes seg_;
    std::uint64_t seg_start_ = 0;
    std::uint64_t pos_;
    std::uint64_t end_ = 0;
    std::exception_ptr pending_error_;
};

}  // namespace

std::uint64_t file_size(BlockStore& store, const Cid& root) {
    Bytes block = store.get_required(root);
    if (root.codec == kCodecRaw) return block.size();
    return decode_file_node(root, block).total;
}

std::unique_ptr<ByteSource> open_file(BlockStore& store, const Cid& root, std::uint64_t offset,
                                      std::optional<std::uint64_t> length) {
    return std::make_unique<FileReader>(store, root, offset, length);
}

namespace {

void walk(BlockStore& store, const Cid& root, bool fetch_raw, const std::function<void(const Cid&, const Bytes*)>& fn) {
    std::unordered_set<Cid> seen;
    std::vector<Cid> stack{root};
    while (!stack.empty()) {
        const Cid cid = stack.back();
        stack.pop_back();
        // Blocks are keyed by multihash; a CID seen under both codecs is still walked as each.
        if (!seen.insert(cid).second) continue;
        if (cid.codec == kCodecRaw && !fetch_raw) {
            if (!store.has(cid)) throw BlockNotFoundError(cid.to_string());
            fn(cid, nullptr);
            continue;
        }
        const Bytes block = store.get_required(cid);
        fn(cid, &block);
        if (cid.codec != kCodecDagPb) continue;
        const dagpb::Node node = dagpb::decode(block);
        for (auto it = node.links.rbegin(); it != node.links.rend(); ++it) stack.push_back(it->hash);
    }
}

}  // namespace

void walk_dag(BlockStore& store, const Cid& root, const std::function<void(const Cid&)>& fn) {
    walk(store, root, false, [&](const Cid& c, const Bytes*) { fn(c); });
}

void walk_dag_blocks(BlockStore& store, const Cid& root, const std::function<void(const Cid&, const Bytes&)>& fn) {
    walk(store, root, true, [&](const Cid& c, const Bytes* b) { fn(c, *b); });
}

}  // namespace dossier::ipfs
