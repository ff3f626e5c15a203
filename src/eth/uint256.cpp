#include "eth/uint256.hpp"

#include "base/hex.hpp"

namespace dossier::eth {

Bytes32 to_be32(const U256& v) noexcept {
    Bytes32 out{};
    U256 x = v;
    for (int i = 31; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(x & 0xff);
        x >>= 8;
    }
    return out;
}

Bytes to_be_minimal(const U256& v) {
    const Bytes32 full = to_be32(v);
    std::size_t i = 0;
    while (i < 32 && full[i] == 0) ++i;
    return Bytes(full.begin() + static_cast<std::ptrdiff_t>(i), full.end());
}

U256 from_be(ByteView bytes) {
    if (bytes.size() > 32) throw DecodeError("integer is wider than 256 bits");
    U256 v = 0;
    for (std::uint8_t b : bytes) v = (v << 8) | b;
    return v;
}

namespace {
U256 parse_digits(std::string_view digits, unsigned base, std::string_view original) {
    if (digits.empty()) throw DecodeError("empty number: '" + std::string(original) + "'");
    U512 v = 0;
    const U512 limit = U512(1) << 256;
    for (char c : digits) {
        unsigned d;
        if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
        else throw DecodeError("invalid digit in number '" + std::string(original) + "'");
        v = v * base + d;
        if (v >= limit) throw DecodeError("number does not fit in 256 bits: '" + std::string(original) + "'");
    }
    return static_cast<U256>(v);
}
bool has_hex_prefix(std::string_view t) { return t.size() >= 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'); }
}  // namespace

U256 parse_u256(std::string_view text) {
    if (has_hex_prefix(text)) return parse_digits(text.substr(2), 16, text);
    return parse_digits(text, 10, text);
}

std::string to_dec(const U256& v) { return v.str(); }

std::string to_quantity(const U256& v) {
    if (v == 0) return "0x0";
    std::string hex = to_hex_raw(to_be_minimal(v));
    if (hex[0] == '0') hex.erase(0, 1);
    return "0x" + hex;
}

U256 parse_quantity(std::string_view text) {
    if (!has_hex_prefix(text)) throw DecodeError("JSON-RPC quantity must start with 0x: '" + std::string(text) + "'");
    return parse_digits(text.substr(2), 16, text);
}

std::uint64_t to_u64(const U256& v) {
    if (v > U256(std::numeric_limits<std::uint64_t>::max())) throw DecodeError("value does not fit in 64 bits");
    return static_cast<std::uint64_t>(v);
}

}  // namespace dossier::eth
