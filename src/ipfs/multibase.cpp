#include "ipfs/multibase.hpp"

#include <algorithm>
#include <array>

namespace dossier::ipfs::multibase {
namespace {

constexpr std::string_view kB32Lower = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::string_view kB32Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kB58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

std::string base32(ByteView data, std::string_view alphabet) {
    std::string out;
    out.reserve((data.size() * 8 + 4) / 5);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (std::uint8_t b : data) {
        buffer = (buffer << 8) | b;
        bits += 8;
        while (bits >= 5) {
            out.push_back(alphabet[(buffer >> (bits - 5)) & 31u]);
            bits -= 5;
        }
        buffer &= (1u << bits) - 1;
    }
    if (bits > 0) out.push_back(alphabet[(buffer << (5 - bits)) & 31u]);
    return out;
}

}  // namespace

std::string base32_lower(ByteView data) { return base32(data, kB32Lower); }
std::string base32_upper(ByteView data) { return base32(data, kB32Upper); }

Bytes decode_base32(std::string_view text, bool upper) {
    const std::string_view alphabet = upper ? kB32Upper : kB32Lower;
    // Unpadded lengths mod 8 of 1, 3 and 6 cannot come from whole bytes.
    const std::size_t rem = text.size() % 8;
    if (rem == 1 || rem == 3 || rem == 6) throw MultibaseError("base32 text has an impossible length");
    Bytes out;
    out.reserve(text.size() * 5 / 8);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        const std::size_t v = alphabet.find(c);
        if (v == std::string_view::npos) throw MultibaseError("invalid base32 character");
        buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
        bits += 5;
        if (bits >= 8) {
            out.push_back(static_cast<std::uint8_t>(buffer >> (bits - 8)));
            bits -= 8;
            buffer &= (1u << bits) - 1;
        }
    }
    if (buffer != 0) throw MultibaseError("base32 text has non-zero trailing bits");
    return out;
}

std::string base58btc(ByteView data) {
    std::size_t zeros = 0;
    while (zeros < data.size() && data[zeros] == 0) ++zeros;
    // Base-58 digits, little-endian, by repeated multiply-add (inputs here are short: CIDs).
    std::vector<std::uint8_t> digits;
    digits.reserve(data.size() * 138 / 100 + 1);
    for (std::size_t i = zeros; i < data.size(); ++i) {
        std::uint32_t carry = data[i];
        for (auto& d : digits) {
            carry += std::uint32_t{d} << 8;
            d = static_cast<std::uint8_t>(carry % 58);
            carry /= 58;
        }
        while (carry > 0) {
            digits.push_back(static_cast<std::uint8_t>(carry % 58));
            carry /= 58;
        }
    }
    std::string out(zeros, '1');
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) out.push_back(kB58[*it]);
    return out;
}

Bytes decode_base58btc(std::string_view text) {
    std::size_t ones = 0;
    while (ones < text.size() && text[ones] == '1') ++ones;
    std::vector<std::uint8_t> bytes;  // little-endian base-256
    bytes.reserve(text.size());
    for (std::size_t i = ones; i < text.size(); ++i) {
        const std::size_t v = kB58.find(text[i]);
        if (v == std::string_view::npos) throw MultibaseError("invalid base58btc character");
        std::uint32_t carry = static_cast<std::uint32_t>(v);
        for (auto& b : bytes) {
            carry += std::uint32_t{b} * 58;
            b = static_cast<std::uint8_t>(carry & 0xff);
            carry >>= 8;
        }
        while (carry > 0) {
            bytes.push_back(static_cast<std::uint8_t>(carry & 0xff));
            carry >>= 8;
        }
    }
    Bytes out(ones, 0);
    out.insert(out.end(), bytes.rbegin(), bytes.rend());
    return out;
}

std::string encode(Base base, ByteView data) {
    if (base == Base::Base32Lower) return "b" + base32_lower(data);
    return "z" + base58btc(data);
}

Bytes decode(std::string_view text) {
    if (text.empty()) throw MultibaseError("empty multibase text");
    switch (text[0]) {
        case 'b': return decode_base32(text.substr(1), false);
        case 'z': return decode_base58btc(text.substr(1));
        default:
            throw MultibaseError(std::string("unsupported multibase prefix '") + text[0] +
                                 "' (supported: 'b' base32, 'z' base58btc)");
    }
}

}  // namespace dossier::ipfs::multibase
