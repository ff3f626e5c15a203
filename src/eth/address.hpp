#pragma once
/// A 20-byte Ethereum account address with EIP-55 mixed-case checksum text.
#include <compare>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "base/error.hpp"

namespace dossier::eth {

struct Address {
    FixedBytes<20> bytes{};

    /// Parses "0x" + 40 hex digits. All-lower or all-upper input is accepted as is; mixed case
    /// must be a valid EIP-55 checksum (a mistyped address is an error, not a different account).
    [[nodiscard]] static Address from_hex(std::string_view text);
    /// Takes the low 20 bytes of a 32-byte word (as addresses appear in ABI words and topics);
    /// throws DecodeError if the high 12 bytes are not zero.
    [[nodiscard]] static Address from_word(const Bytes32& word);

    /// EIP-55 checksummed text ("0x5aAeb6...").
    [[nodiscard]] std::string to_checksum() const;
    /// Lower-case hex with 0x prefix.
    [[nodiscard]] std::string to_hex() const;
    /// Left-padded 32-byte word.
    [[nodiscard]] Bytes32 to_word() const noexcept;
    [[nodiscard]] bool is_zero() const noexcept;

    auto operator<=>(const Address&) const = default;
};

}  // namespace dossier::eth
