#pragma once
/// The UnixFS file exporter: reads a file by CID as a stream. Every block comes from
/// BlockStore::get(), which verifies it against its CID before a single byte of it is returned;
/// a ranged read fetches only the blocks that overlap the range (sizes in each node's blocksizes
/// let it skip whole subtrees).
#include <cstdint>
#include <memory>
#include <optional>

#include "ipfs/block_store.hpp"
#include "ipfs/byte_stream.hpp"
#include "ipfs/cid.hpp"

namespace dossier::ipfs {

/// The root is not a UnixFS file (a directory, symlink...) or its sizes are inconsistent.
class NotAFileError : public IpfsError {
public:
    explicit NotAFileError(const std::string& message) : IpfsError(ErrorCode::invalid_input, message) {}
};

/// Size in bytes of the file at `root` (reads the root block only).
[[nodiscard]] std::uint64_t file_size(BlockStore& store, const Cid& root);

/// Opens the file at `root` for reading from `offset`, at most `length` bytes (to the end if
/// nullopt). The store must outlive the stream. An offset beyond the end gives an empty stream.
/// Reads throw BlockNotFoundError / CorruptBlockError naming the CID, NotAFileError, UnixFsError.
[[nodiscard]] std::unique_ptr<ByteSource> open_file(BlockStore& store, const Cid& root, std::uint64_t offset = 0,
                                                    std::optional<std::uint64_t> length = std::nullopt);

/// Calls `fn` for `root` and every block it links to, depth first, pre-order, each CID once
/// (the order of `ipfs dag export`). Fetches each dag-pb block to read its links; raw blocks are
/// not fetched. Missing blocks are a BlockNotFoundError.
void walk_dag(BlockStore& store, const Cid& root, const std::function<void(const Cid&)>& fn);
/// Like walk_dag() but fetches every block (raw ones too) and passes its verified bytes.
void walk_dag_blocks(BlockStore& store, const Cid& root, const std::function<void(const Cid&, const Bytes&)>& fn);

}  // namespace dossier::ipfs
