#include "ipfs/multihash.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "ipfs/sha256.hpp"
#include "ipfs/varint.hpp"

namespace dossier::ipfs {

Multihash Multihash::of(ByteView data) { return Multihash{sha256(data)}; }

Multihash Multihash::read(ByteView in, std::size_t& pos) {
    std::uint64_t code = 0;
    std::uint64_t len = 0;
    try {
        code = varint::read(in, pos);
        len = varint::read(in, pos);
    } catch (const VarintError& e) {
        throw MultihashError(std::string("malformed multihash: ") + e.what());
    }
    if (code != kSha2_256) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(code));
        throw MultihashError(std::string("unsupported multihash function ") + buf + " (only sha2-256, 0x12, is accepted)");
    }
    if (len != 32) throw MultihashError("sha2-256 multihash with digest length " + std::to_string(len) + " instead of 32");
    if (in.size() - pos < 32) throw MultihashError("truncated multihash digest");
    Multihash mh;
    std::copy_n(in.begin() + static_cast<std::ptrdiff_t>(pos), 32, mh.digest.begin());
    pos += 32;
    return mh;
}

Multihash Multihash::from_bytes(ByteView bytes) {
    std::size_t pos = 0;
    Multihash mh = read(bytes, pos);
    if (pos != bytes.size()) throw MultihashError("trailing bytes after multihash");
    return mh;
}

void Multihash::append_to(Bytes& out) const {
    out.push_back(0x12);
    out.push_back(0x20);
    out.insert(out.end(), digest.begin(), digest.end());
}

Bytes Multihash::bytes() const {
    Bytes out;
    out.reserve(34);
    append_to(out);
    return out;
}

bool Multihash::matches(ByteView data) const { return sha256(data) == digest; }

}  // namespace dossier::ipfs
