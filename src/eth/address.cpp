#include "eth/address.hpp"

#include "base/hex.hpp"
#include "eth/keccak.hpp"

namespace dossier::eth {

Address Address::from_hex(std::string_view text) {
    if (text.size() != 42 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
        throw DecodeError("an address is 0x followed by 40 hex digits: '" + std::string(text) + "'");
    Address a;
    a.bytes = from_hex_fixed<20>(text);
    const std::string_view digits = text.substr(2);
    bool has_lower = false, has_upper = false;
    for (char c : digits) {
        has_lower |= (c >= 'a' && c <= 'f');
        has_upper |= (c >= 'A' && c <= 'F');
    }
    if (has_lower && has_upper && a.to_checksum().substr(2) != digits)
        throw DecodeError("address has an invalid EIP-55 checksum (mistyped?): '" + std::string(text) + "'");
    return a;
}

Address Address::from_word(const Bytes32& word) {
    for (std::size_t i = 0; i < 12; ++i)
        if (word[i] != 0) throw DecodeError("32-byte word is not a left-padded address");
    Address a;
    std::copy(word.begin() + 12, word.end(), a.bytes.begin());
    return a;
}

std::string Address::to_hex() const { return dossier::to_hex(ByteView{bytes}); }

std::string Address::to_checksum() const {
    std::string lower = to_hex_raw(ByteView{bytes});
    const Bytes32 h = keccak256(as_bytes(lower));
    for (std::size_t i = 0; i < lower.size(); ++i) {
        const unsigned nibble = (i % 2 == 0) ? (h[i / 2] >> 4) : (h[i / 2] & 0xf);
        if (lower[i] >= 'a' && nibble >= 8) lower[i] = static_cast<char>(lower[i] - 'a' + 'A');
    }
    return "0x" + lower;
}

Bytes32 Address::to_word() const noexcept {
    Bytes32 w{};
    std::copy(bytes.begin(), bytes.end(), w.begin() + 12);
    return w;
}

bool Address::is_zero() const noexcept {
    for (auto b : bytes)
        if (b) return false;
    return true;
}

}  // namespace dossier::eth
