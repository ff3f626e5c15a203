#pragma once
/// The UnixFS Data message carried in a dag-pb node's Data field
/// (https://specs.ipfs.tech/unixfs/): Type = 1 (required), Data = 2, filesize = 3,
/// repeated blocksizes = 4, hashType = 5, fanout = 6, mode = 7, mtime = 8 {Seconds = 1, FractionalNanoseconds = 2}.
/// Encoding follows the JS/Go field order with unpacked blocksizes. Decoding is strict: a missing
/// Type, unknown fields, wrong wire types, truncation and non-minimal varints are UnixFsError.
#include <cstdint>
#include <optional>
#include <vector>

#include "base/bytes.hpp"
#include "ipfs/errors.hpp"

namespace dossier::ipfs::unixfs {

enum class Type : std::uint8_t { Raw = 0, Directory = 1, File = 2, Metadata = 3, Symlink = 4, HamtShard = 5 };

struct Mtime {
    std::int64_t seconds = 0;
    std::optional<std::uint32_t> nanos;
    bool operator==(const Mtime&) const = default;
};

struct Data {
    Type type = Type::File;
    std::optional<Bytes> data;
    std::optional<std::uint64_t> filesize;
    std::vector<std::uint64_t> blocksizes;
    std::optional<std::uint64_t> hash_type;
    std::optional<std::uint64_t> fanout;
    std::optional<std::uint32_t> mode;
    std::optional<Mtime> mtime;
    bool operator==(const Data&) const = default;
};

[[nodiscard]] Bytes encode(const Data& d);
[[nodiscard]] Data decode(ByteView bytes);

}  // namespace dossier::ipfs::unixfs
