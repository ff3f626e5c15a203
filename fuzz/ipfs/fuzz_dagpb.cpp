// dag-pb and UnixFS decoding: only DecodeError subclasses may escape; a dag-pb block that decodes
// re-encodes to exactly the same bytes (strict, canonical decoding), and its UnixFS data, if any,
// decodes or fails cleanly.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "ipfs/dagpb.hpp"
#include "ipfs/unixfs.hpp"

using namespace dossier;
using namespace dossier::ipfs;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView in(data, size);
    try {
        const dagpb::Node n = dagpb::decode(in);
        if (dagpb::encode(n) != Bytes(in.begin(), in.end())) std::abort();
        if (n.data) {
            const unixfs::Data d = unixfs::decode(*n.data);
            if (unixfs::decode(unixfs::encode(d)) != d) std::abort();
        }
    } catch (const DecodeError&) {
    }
    try {
        const unixfs::Data d = unixfs::decode(in);
        if (unixfs::decode(unixfs::encode(d)) != d) std::abort();
    } catch (const DecodeError&) {
    }
    return 0;
}
