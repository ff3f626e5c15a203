#pragma once
/// Multihashes: <varint function code><varint digest length><digest>. Dossier accepts exactly one
/// function, sha2-256 (code 0x12, 32-byte digest); any other code or length is a MultihashError,
/// because a CID we cannot verify is a CID we must not trust.
#include <compare>
#include <cstdint>

#include "base/bytes.hpp"
#include "ipfs/errors.hpp"

namespace dossier::ipfs {

inline constexpr std::uint64_t kSha2_256 = 0x12;

struct Multihash {
    Bytes32 digest{};  ///< sha2-256 digest

    /// The multihash of `data` (hashes it).
    [[nodiscard]] static Multihash of(ByteView data);
    /// Parses exactly one multihash spanning `bytes`.
    [[nodiscard]] static Multihash from_bytes(ByteView bytes);
    /// Parses a multihash from the front of `in`, advancing `pos`.
    [[nodiscard]] static Multihash read(ByteView in, std::size_t& pos);

    /// 0x12 0x20 <digest>: 34 bytes.
    [[nodiscard]] Bytes bytes() const;
    void append_to(Bytes& out) const;
    /// True if sha2-256(data) equals the digest.
    [[nodiscard]] bool matches(ByteView data) const;

    auto operator<=>(const Multihash&) const = default;
};

}  // namespace dossier::ipfs
