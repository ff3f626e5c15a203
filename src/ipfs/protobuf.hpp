#pragma once
/// Minimal, strict protobuf wire-format reading and writing for the two schemas Dossier speaks
/// (dag-pb and UnixFS). Varints must be minimal (as dag-pb requires) and ≤ 10 bytes / 64 bits;
/// lengths must fit in the remaining input. Errors are thrown as the caller's error type E.
#include <cstdint>
#include <string>

#include "base/bytes.hpp"

namespace dossier::ipfs::pb {

enum WireType : std::uint8_t { kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5 };

inline void put_varint(Bytes& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<std::uint8_t>(v | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<std::uint8_t>(v));
}
inline void put_tag(Bytes& out, std::uint32_t field, WireType wt) { put_varint(out, (std::uint64_t{field} << 3) | wt); }
inline void put_bytes(Bytes& out, std::uint32_t field, ByteView b) {
    put_tag(out, field, kLen);
    put_varint(out, b.size());
    append(out, b);
}
inline void put_uint(Bytes& out, std::uint32_t field, std::uint64_t v) {
    put_tag(out, field, kVarint);
    put_varint(out, v);
}

template <class E>
class Reader {
public:
    Reader(ByteView in, const char* what) : in_(in), what_(what) {}
    [[nodiscard]] bool done() const noexcept { return pos_ >= in_.size(); }

    [[nodiscard]] std::uint64_t varint() {
        std::uint64_t v = 0;
        for (unsigned i = 0; i < 10; ++i) {
            if (pos_ >= in_.size()) fail("truncated varint");
            const std::uint8_t b = in_[pos_++];
            if (i == 9 && b > 1) fail("varint overflows 64 bits");
            v |= std::uint64_t{b & 0x7fu} << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) fail("non-minimal varint");
                return v;
            }
        }
        fail("varint longer than 10 bytes");
    }
    /// Reads a tag; returns field number and sets `wt`. Field 0 and wire types 3, 4, 6, 7 are errors.
    [[nodiscard]] std::uint32_t tag(WireType& wt) {
        const std::uint64_t t = varint();
        const std::uint64_t w = t & 7;
        if (w == 3 || w == 4 || w == 6 || w == 7) fail("invalid wire type " + std::to_string(w));
        wt = static_cast<WireType>(w);
        const std::uint64_t field = t >> 3;
        if (field == 0 || field > 0x1fffffff) fail("invalid field number");
        return static_cast<std::uint32_t>(field);
    }
    [[nodiscard]] ByteView bytes() {
        const std::uint64_t len = varint();
        if (len > in_.size() - pos_) fail("length-delimited field longer than the remaining input");
        ByteView out = in_.subspan(pos_, static_cast<std::size_t>(len));
        pos_ += static_cast<std::size_t>(len);
        return out;
    }
    [[nodiscard]] ByteView fixed32() {
        if (in_.size() - pos_ < 4) fail("truncated fixed32");
        ByteView out = in_.subspan(pos_, 4);
        pos_ += 4;
        return out;
    }
    [[noreturn]] void fail(const std::string& msg) const { throw E(std::string(what_) + ": " + msg); }

private:
    ByteView in_;
    std::size_t pos_ = 0;
    const char* what_;
};

}  // namespace dossier::ipfs::pb
