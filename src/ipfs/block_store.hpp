#pragma once
/// The block layer: content-addressed storage of verified blocks. Implementations: MemoryBlockStore
/// (tests, hashing without storage), FsBlockStore (the embedded, crash-safe store in the data
/// directory); a remote implementation may wrap a node's block API.
///
/// Contract shared by every implementation:
/// - get() never returns bytes that do not hash to the CID's multihash: it verifies (or knows the
///   bytes were verified on the way in and cannot have changed) and throws CorruptBlockError
///   naming the CID otherwise. Callers (the exporter, CAR export) therefore trust get().
/// - Blocks are keyed by multihash, as in Kubo: the same bytes under a raw and a dag-pb CID are one
///   block; has()/get() answer for either.
/// - put() takes bytes the caller has already hashed to `cid` (the importer and CAR import do);
///   put_verified() is the safe form for bytes of unknown origin.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "base/bytes.hpp"
#include "ipfs/cid.hpp"
#include "ipfs/errors.hpp"

namespace dossier::ipfs {

/// Receives the blocks of an import or a CAR import, possibly asynchronously. Blocks are visible
/// through the store at the latest when commit() returns; after commit() they are also durable
/// (for stores that persist). Errors of asynchronous writes are thrown by put() or commit().
/// Destroying a writer without commit() abandons blocks that were not yet written (they may or
/// may not be in the store; any that are, are complete).
class BlockWriter {
public:
    virtual ~BlockWriter() = default;
    /// Takes ownership of `block` (so that an asynchronous writer needs no copy).
    virtual void put(const Cid& cid, Bytes&& block) = 0;
    virtual void commit() = 0;
    /// A buffer whose block has been written and that the caller may reuse (contents and size
    /// unspecified), or an empty one. Lets an importer recycle chunk buffers instead of
    /// allocating and zeroing a new one per block.
    [[nodiscard]] virtual Bytes recycle() { return {}; }
};

class BlockStore {
public:
    virtual ~BlockStore() = default;

    [[nodiscard]] virtual bool has(const Cid& cid) = 0;
    /// The block's bytes, verified; nullopt if absent. Throws CorruptBlockError if present but wrong.
    [[nodiscard]] virtual std::optional<Bytes> get(const Cid& cid) = 0;
    /// Like get() but a missing block is a BlockNotFoundError.
    [[nodiscard]] Bytes get_required(const Cid& cid);
    /// Stores a block whose bytes the caller has hashed to `cid`; a block already present is kept.
    virtual void put(const Cid& cid, ByteView block) = 0;
    /// Hashes `block` first; throws CorruptBlockError if it does not match `cid`.
    void put_verified(const Cid& cid, ByteView block);
    /// Removes a block if present (no error if absent).
    virtual void remove(const Cid& cid) = 0;
    /// Calls `fn` with the multihash of every stored block (order unspecified).
    virtual void for_each(const std::function<void(const Multihash&)>& fn) = 0;

    /// A writer for a batch of blocks. The default writes synchronously through put().
    [[nodiscard]] virtual std::unique_ptr<BlockWriter> writer();
};

/// Blocks in a hash map; get() still verifies, so tests can corrupt blocks with corrupt().
class MemoryBlockStore final : public BlockStore {
public:
    [[nodiscard]] bool has(const Cid& cid) override;
    [[nodiscard]] std::optional<Bytes> get(const Cid& cid) override;
    void put(const Cid& cid, ByteView block) override;
    void remove(const Cid& cid) override;
    void for_each(const std::function<void(const Multihash&)>& fn) override;

    [[nodiscard]] std::size_t size() const noexcept;
    [[nodiscard]] std::uint64_t total_bytes() const noexcept;
    /// Test hook: replaces a stored block's bytes without changing its key.
    void corrupt(const Cid& cid, Bytes bytes);

private:
    struct Impl;
    std::shared_ptr<Impl> impl_ = make_impl();
    static std::shared_ptr<Impl> make_impl();
};

/// A BlockWriter that discards everything: importing into it computes CIDs only.
class NullBlockWriter final : public BlockWriter {
public:
    void put(const Cid&, Bytes&& block) override { spare_ = std::move(block); }
    void commit() override {}
    [[nodiscard]] Bytes recycle() override { return std::move(spare_); }

private:
    Bytes spare_;
};

}  // namespace dossier::ipfs
