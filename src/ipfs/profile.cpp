#include "ipfs/profile.hpp"

#include <string>

namespace dossier::ipfs {

ImportProfile ImportProfile::kubo_v1() { return ImportProfile{"kubo-v1", 256 * 1024, 174, true, 1}; }

ImportProfile ImportProfile::unixfs_v1_2025() { return ImportProfile{"unixfs-v1-2025", 1024 * 1024, 1024, true, 1}; }

ImportProfile ImportProfile::by_name(std::string_view name) {
    if (name == "kubo-v1") return kubo_v1();
    if (name == "unixfs-v1-2025") return unixfs_v1_2025();
    throw IpfsError(ErrorCode::invalid_input,
                    "unknown import profile '" + std::string(name) + "' (known: kubo-v1, unixfs-v1-2025)");
}

ImportProfile ImportProfile::custom(std::size_t chunk_size, std::size_t max_links, bool raw_leaves,
                                    std::uint8_t cid_version) {
    ImportProfile p{"custom-" + std::to_string(chunk_size) + "-" + std::to_string(max_links), chunk_size, max_links,
                    raw_leaves, cid_version};
    p.validate();
    return p;
}

void ImportProfile::validate() const {
    if (chunk_size == 0 || chunk_size > 4u * 1024 * 1024)
        throw IpfsError(ErrorCode::invalid_input, "import profile chunk size must be between 1 byte and 4 MiB");
    if (max_links < 2) throw IpfsError(ErrorCode::invalid_input, "import profile needs at least 2 links per node");
    if (cid_version > 1) throw IpfsError(ErrorCode::invalid_input, "import profile CID version must be 0 or 1");
}

}  // namespace dossier::ipfs
