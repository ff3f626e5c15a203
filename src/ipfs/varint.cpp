#include "ipfs/varint.hpp"

#include <string>

namespace dossier::ipfs::varint {

void append(Bytes& out, std::uint64_t value) {
    if (value > kMax) throw VarintError("varint value " + std::to_string(value) + " exceeds 2^63-1");
    while (value >= 0x80) {
        out.push_back(static_cast<std::uint8_t>(value | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<std::uint8_t>(value));
}

Bytes encode(std::uint64_t value) {
    Bytes out;
    append(out, value);
    return out;
}

std::size_t size(std::uint64_t value) noexcept {
    std::size_t n = 1;
    while (value >= 0x80) {
        value >>= 7;
        ++n;
    }
    return n;
}

std::uint64_t read(ByteView in, std::size_t& pos) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < kMaxBytes; ++i) {
        if (pos + i >= in.size()) throw VarintError("truncated varint");
        const std::uint8_t b = in[pos + i];
        value |= std::uint64_t{b & 0x7fu} << (7 * i);
        if ((b & 0x80) == 0) {
            if (b == 0 && i > 0) throw VarintError("non-minimal varint encoding");
            pos += i + 1;
            return value;
        }
    }
    throw VarintError("varint longer than 9 bytes");
}

}  // namespace dossier::ipfs::varint
