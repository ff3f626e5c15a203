#pragma once
/// Unsigned varints as used by multiformats (LEB128, at most 9 bytes, i.e. values < 2^63).
/// Decoding is strict: the encoding must be minimal (no trailing 0x00 continuation groups), so that
/// every value has exactly one encoding and hashes over encoded data are unambiguous.
#include <cstdint>
#include <cstddef>

#include "base/bytes.hpp"
#include "ipfs/errors.hpp"

namespace dossier::ipfs::varint {

/// Largest value the multiformats spec allows (9 bytes × 7 bits).
inline constexpr std::uint64_t kMax = (std::uint64_t{1} << 63) - 1;
inline constexpr std::size_t kMaxBytes = 9;

/// Appends the minimal encoding of `value` (which must be ≤ kMax; throws VarintError otherwise).
void append(Bytes& out, std::uint64_t value);
[[nodiscard]] Bytes encode(std::uint64_t value);
/// Number of bytes encode(value) produces.
[[nodiscard]] std::size_t size(std::uint64_t value) noexcept;

/// Decodes one varint from the front of `in`, advancing `pos`. Throws VarintError on truncation,
/// a non-minimal encoding, or more than 9 bytes.
[[nodiscard]] std::uint64_t read(ByteView in, std::size_t& pos);

}  // namespace dossier::ipfs::varint
