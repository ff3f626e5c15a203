#pragma once
/// Revert data returned by a failed call or transaction: Solidity's Error(string), Panic(uint256),
/// custom errors, or nothing at all, turned into one sentence a user can read.
#include <span>
#include <string>

#include "base/bytes.hpp"
#include "eth/uint256.hpp"

namespace dossier::eth::abi {

struct Revert {
    enum class Kind { Empty, Error, Panic, Custom, Unknown } kind = Kind::Empty;
    /// Error: the reason string. Custom: the error with its decoded arguments, e.g.
    /// "NotGranted(0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed, 7)". Empty otherwise.
    std::string reason;
    /// Panic: the panic code (0x11 overflow, 0x12 division by zero, 0x32 index out of bounds...).
    U256 panic_code;
    /// The first four bytes of the data when there are at least four.
    FixedBytes<4> selector{};
    /// The revert data exactly as received.
    Bytes data;

    /// One human sentence, e.g. "reverted: not authorized", "panic 0x11: arithmetic overflow or
    /// underflow", "custom error NotPatient()", "reverted without a reason".
    [[nodiscard]] std::string message() const;
};

/// Classifies revert data. Error(string) and Panic(uint256) must be strictly encoded to count
/// as such; a selector matching one of `known_custom_error_signatures` (e.g. "NotPatient()",
/// "NotGranted(address patient, uint64 id)") with strictly encoded arguments is Custom;
/// anything else is Unknown. Never throws on any data; throws AbiError only if one of the
/// given signatures is malformed.
[[nodiscard]] Revert decode_revert(ByteView data, std::span<const std::string> known_custom_error_signatures = {});

}  // namespace dossier::eth::abi
