#pragma once
/// Byte containers shared by every module: owned buffers, read-only views and fixed-size arrays.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace dossier {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;
template <std::size_t N>
using FixedBytes = std::array<std::uint8_t, N>;
using Bytes32 = FixedBytes<32>;

/// Views the characters of a string as bytes (no copy).
[[nodiscard]] inline ByteView as_bytes(std::string_view s) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

/// Copies bytes into a std::string (for APIs that carry binary data in strings).
[[nodiscard]] inline std::string_view as_chars(ByteView b) noexcept {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

/// Appends `src` to `dst`.
inline void append(Bytes& dst, ByteView src) { dst.insert(dst.end(), src.begin(), src.end()); }

}  // namespace dossier
