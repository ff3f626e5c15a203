#pragma once
/// Hexadecimal encoding of byte strings, as used by Ethereum JSON-RPC ("0x"-prefixed, lower case).
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "base/error.hpp"

namespace dossier {

/// Lower-case hex with a "0x" prefix ("0x" for empty input).
[[nodiscard]] std::string to_hex(ByteView data);
/// Lower-case hex without prefix.
[[nodiscard]] std::string to_hex_raw(ByteView data);
template <std::size_t N>
[[nodiscard]] std::string to_hex(const FixedBytes<N>& data) {
    return to_hex(ByteView{data});
}

/// Parses hex with an optional "0x"/"0X" prefix; either case. Throws DecodeError on an odd length
/// or a non-hex character.
[[nodiscard]] Bytes from_hex(std::string_view hex);

/// Parses hex that must decode to exactly N bytes; throws DecodeError otherwise.
template <std::size_t N>
[[nodiscard]] FixedBytes<N> from_hex_fixed(std::string_view hex) {
    Bytes b = from_hex(hex);
    if (b.size() != N)
        throw DecodeError("expected " + std::to_string(N) + " bytes of hex, got " +
                          std::to_string(b.size()));
    FixedBytes<N> out{};
    for (std::size_t i = 0; i < N; ++i) out[i] = b[i];
    return out;
}

}  // namespace dossier
