#pragma once
/// Content identifiers (https://github.com/multiformats/cid).
/// Supported: CIDv0 ("Qm...", implicitly dag-pb + sha2-256) and CIDv1 with codec dag-pb (0x70) or
/// raw (0x55) and a sha2-256 multihash. Anything else is rejected with a CidError that says what
/// was found, so that a CID from a foreign system fails loudly instead of being half-understood.
#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "ipfs/errors.hpp"
#include "ipfs/multibase.hpp"
#include "ipfs/multihash.hpp"

namespace dossier::ipfs {

inline constexpr std::uint64_t kCodecRaw = 0x55;
inline constexpr std::uint64_t kCodecDagPb = 0x70;

struct Cid {
    std::uint8_t version = 1;          ///< 0 or 1
    std::uint64_t codec = kCodecRaw;   ///< kCodecRaw or kCodecDagPb (always dag-pb for v0)
    Multihash hash;

    [[nodiscard]] static Cid v0(const Multihash& mh) { return Cid{0, kCodecDagPb, mh}; }
    [[nodiscard]] static Cid v1(std::uint64_t codec, const Multihash& mh);
    /// The CIDv1 of a raw block / a dag-pb block with the given bytes (hashes them).
    [[nodiscard]] static Cid raw_of(ByteView block) { return v1(kCodecRaw, Multihash::of(block)); }
    [[nodiscard]] static Cid dag_pb_of(ByteView block) { return v1(kCodecDagPb, Multihash::of(block)); }

    /// Parses text: "Qm..." (46 characters, CIDv0), or multibase 'b' (base32) / 'z' (base58btc)
    /// CIDv1. Throws CidError (or MultibaseError) on anything else.
    [[nodiscard]] static Cid parse(std::string_view text);
    /// Parses exactly one binary CID spanning `bytes`.
    [[nodiscard]] static Cid from_bytes(ByteView bytes);
    /// Parses a binary CID from the front of `in`, advancing `pos` (CAR sections, dag-pb links).
    [[nodiscard]] static Cid read(ByteView in, std::size_t& pos);

    /// Binary form: the bare multihash for v0, <0x01><codec><multihash> for v1.
    [[nodiscard]] Bytes bytes() const;
    void append_to(Bytes& out) const;
    /// Canonical text: base58btc without prefix for v0, base32 lower ('b...') for v1.
    [[nodiscard]] std::string to_string() const;
    /// Text in a chosen base (v1 only; v0 has a single text form and ignores `base`).
    [[nodiscard]] std::string to_string(multibase::Base base) const;
    /// This CID as CIDv1 (same codec and hash).
    [[nodiscard]] Cid to_v1() const { return v1(codec, hash); }

    auto operator<=>(const Cid&) const = default;
};

}  // namespace dossier::ipfs

template <>
struct std::hash<dossier::ipfs::Cid> {
    std::size_t operator()(const dossier::ipfs::Cid& c) const noexcept {
        std::size_t h = 0;
        for (int i = 0; i < 8; ++i) h = (h << 8) | c.hash.digest[static_cast<std::size_t>(i)];
        return h ^ (c.codec * 31) ^ c.version;
    }
};
