#pragma once
/// The UnixFS file importer: fixed-size chunker + balanced DAG builder, producing the same CIDs as
/// the JS importer (ipfs-unixfs-importer with rawLeaves, fixedSize, balanced, reduceSingleLeafToSelf)
/// and Kubo's `ipfs add` with the matching options.
///
/// Streaming: input is pulled one chunk at a time; memory is bounded by one chunk, the blocks in
/// flight in the BlockWriter, and one pending link per child at each tree level.
/// A file of one chunk (including the empty file, which is one empty chunk) is a single raw block.
/// The input is read one chunk ahead on a helper thread (so reading overlaps hashing): the
/// ByteSource must tolerate being read from a thread other than the caller's.
#include <cstdint>
#include <functional>

#include "ipfs/block_store.hpp"
#include "ipfs/byte_stream.hpp"
#include "ipfs/cid.hpp"
#include "ipfs/profile.hpp"

namespace dossier::ipfs {

/// Called after each chunk with the number of input bytes consumed so far.
using ProgressFn = std::function<void(std::uint64_t bytes_done)>;

struct ImportResult {
    Cid root;
    std::uint64_t file_size = 0;    ///< bytes of content
    std::uint64_t dag_size = 0;     ///< bytes of all blocks (the root's Tsize)
    std::uint64_t blocks = 0;       ///< blocks produced (including duplicates)
};

/// Imports `input` and sends every block to `out`, then calls out.commit(). Returns the root.
[[nodiscard]] ImportResult import_file(ByteSource& input, BlockWriter& out,
                                       const ImportProfile& profile = ImportProfile::kubo_v1(),
                                       const ProgressFn& progress = {});

/// Convenience: imports into `store` through store.writer().
[[nodiscard]] ImportResult import_file(ByteSource& input, BlockStore& store,
                                       const ImportProfile& profile = ImportProfile::kubo_v1(),
                                       const ProgressFn& progress = {});

}  // namespace dossier::ipfs
