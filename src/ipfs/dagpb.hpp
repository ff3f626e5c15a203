#pragma once
/// dag-pb (https://ipld.io/specs/codecs/dag-pb/spec/): the protobuf PBNode { repeated PBLink Links = 2;
/// optional bytes Data = 1; } with PBLink { optional bytes Hash = 1; optional string Name = 2;
/// optional uint64 Tsize = 3; }.
/// Encoding is canonical, as Kubo and the JS libraries write it: every link (fields in order Hash,
/// Name, Tsize) before Data. Decoding is strict, like the spec's reference decoders: unknown
/// fields, wrong wire types, duplicates, fields out of canonical order, Data before Links, a link
/// without Hash, truncated or oversized lengths, and non-minimal varints are DagPbError.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "ipfs/cid.hpp"
#include "ipfs/errors.hpp"

namespace dossier::ipfs::dagpb {

struct Link {
    Cid hash;
    std::optional<std::string> name;
    std::optional<std::uint64_t> tsize;
    bool operator==(const Link&) const = default;
};

struct Node {
    std::vector<Link> links;
    std::optional<Bytes> data;
    bool operator==(const Node&) const = default;
};

[[nodiscard]] Bytes encode(const Node& node);
/// Decodes a complete dag-pb block. Throws DagPbError (or CidError for a link to an unsupported CID).
[[nodiscard]] Node decode(ByteView block);

}  // namespace dossier::ipfs::dagpb
