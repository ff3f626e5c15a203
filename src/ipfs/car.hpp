#pragma once
/// CAR v1 (https://ipld.io/specs/transport/car/carv1/): varint(len) + dag-cbor header
/// {"roots": [CID...], "version": 1}, then sections varint(len) + CID bytes + block bytes.
/// The header is written and read by a tiny, strict dag-cbor codec of exactly that shape.
/// Import verifies every block against its CID before storing it; truncation, bad varints,
/// oversized sections, hash mismatches and unsupported CIDs are each a specific CarError message.
#include <cstdint>
#include <istream>
#include <ostream>
#include <vector>

#include "ipfs/block_store.hpp"
#include "ipfs/byte_stream.hpp"
#include "ipfs/cid.hpp"

namespace dossier::ipfs::car {

/// Largest section (CID + block) accepted on import; larger is a CarError rather than an allocation.
inline constexpr std::uint64_t kMaxSection = 8u << 20;

[[nodiscard]] Bytes encode_header(const std::vector<Cid>& roots);
/// Decodes the header's dag-cbor bytes (without the length prefix). Needs ≥ 1 root.
[[nodiscard]] std::vector<Cid> decode_header(ByteView cbor);

/// Writes the DAG at `root` (depth first, each block once, root first) to `out`.
/// Returns the number of blocks written. Missing blocks are BlockNotFoundError.
std::uint64_t write(BlockStore& store, const Cid& root, std::ostream& out);

struct ReadResult {
    std::vector<Cid> roots;
    std::uint64_t blocks = 0;
};
/// Reads a CAR stream, verifying every block and sending it to `out` (then out.commit()).
[[nodiscard]] ReadResult read(ByteSource& in, BlockWriter& out);
[[nodiscard]] ReadResult read(std::istream& in, BlockStore& store);

}  // namespace dossier::ipfs::car
