#pragma once
/// Import profiles: the parameters that, together with the bytes, determine a file's CID.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ipfs/errors.hpp"

namespace dossier::ipfs {

struct ImportProfile {
    std::string name;
    std::size_t chunk_size = 256 * 1024;  ///< fixed-size chunker
    std::size_t max_links = 174;          ///< balanced DAG: children per node
    bool raw_leaves = true;               ///< leaves are raw blocks (else UnixFS-wrapped dag-pb)
    std::uint8_t cid_version = 1;         ///< of dag-pb nodes; raw leaves are always CIDv1

    /// `ipfs add --cid-version=1` in Kubo: 256 KiB chunks, 174 links, raw leaves, CIDv1. The default.
    [[nodiscard]] static ImportProfile kubo_v1();
    /// IPIP-499 "unixfs-v1-2025": 1 MiB chunks, 1024 links, raw leaves, CIDv1.
    [[nodiscard]] static ImportProfile unixfs_v1_2025();
    /// Looks up "kubo-v1" or "unixfs-v1-2025"; throws IpfsError for any other name.
    [[nodiscard]] static ImportProfile by_name(std::string_view name);
    /// A custom profile (tests use tiny chunks to build deep trees cheaply). Throws IpfsError if
    /// chunk_size is 0 or above 4 MiB, or max_links < 2.
    [[nodiscard]] static ImportProfile custom(std::size_t chunk_size, std::size_t max_links,
                                              bool raw_leaves = true, std::uint8_t cid_version = 1);
    void validate() const;
};

}  // namespace dossier::ipfs
