#pragma once
/// Values of Solidity ABI types, and their text form (the syntax foundry's cast takes on its
/// command line: 42, 0x2a, -7, true, 0xAbC..., "[1,2]", "(1,(0x12,abc))", quoted strings inside
/// arrays and tuples).
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/bytes.hpp"
#include "eth/abi_type.hpp"
#include "eth/address.hpp"
#include "eth/uint256.hpp"

namespace dossier::eth::abi {

/// A signed integer (intN) as the two's complement of its value sign-extended to 256 bits.
struct Int {
    U256 bits;

    [[nodiscard]] static Int from(std::int64_t v) noexcept;
    [[nodiscard]] bool negative() const noexcept { return bit_test(bits, 255); }
    /// |value|; for -2^255 that is 2^255, which still fits a U256.
    [[nodiscard]] U256 magnitude() const noexcept;
    bool operator==(const Int&) const = default;
};

/// A bytesN value: exactly N (1..32) bytes.
struct BytesN {
    Bytes data;
    bool operator==(const BytesN&) const = default;
};

/// An ABI value. Arrays and tuples are both a List; the Type says which.
struct Value {
    using List = std::vector<Value>;
    std::variant<U256, Int, Address, bool, BytesN, Bytes, std::string, List> v;

    [[nodiscard]] static Value uint(U256 x) { return Value{std::move(x)}; }
    [[nodiscard]] static Value sint(Int x) { return Value{std::move(x)}; }
    [[nodiscard]] static Value sint(std::int64_t x) { return Value{Int::from(x)}; }
    [[nodiscard]] static Value address(const Address& a) { return Value{a}; }
    [[nodiscard]] static Value boolean(bool b) { return Value{b}; }
    [[nodiscard]] static Value fixed_bytes(Bytes b) { return Value{BytesN{std::move(b)}}; }
    /// A bytes32 value.
    [[nodiscard]] static Value bytes32(const Bytes32& b) { return fixed_bytes(Bytes(b.begin(), b.end())); }
    [[nodiscard]] static Value bytes(Bytes b) { return Value{std::move(b)}; }
    [[nodiscard]] static Value string(std::string s) { return Value{std::move(s)}; }
    [[nodiscard]] static Value list(List items) { return Value{std::move(items)}; }

    /// Typed access; each throws AbiError naming the expected and actual kind on a mismatch.
    [[nodiscard]] const U256& as_uint() const;
    [[nodiscard]] const Int& as_int() const;
    [[nodiscard]] const Address& as_address() const;
    [[nodiscard]] bool as_bool() const;
    [[nodiscard]] const BytesN& as_fixed_bytes() const;
    /// A bytesN value left-aligned in 32 bytes (as Solidity converts bytesN to bytes32).
    [[nodiscard]] Bytes32 as_bytes32() const;
    [[nodiscard]] const Bytes& as_bytes() const;
    [[nodiscard]] const std::string& as_string() const;
    [[nodiscard]] const List& as_list() const;
    /// "uint", "int", "address", "bool", "bytesN", "bytes", "string" or "list".
    [[nodiscard]] const char* kind_name() const noexcept;

    bool operator==(const Value&) const = default;
};

/// Parses the text form of a value of `type`, as cast does for a command-line argument:
/// unsigned integers in decimal or 0x hex; signed integers in decimal with an optional '-' or
/// as non-negative 0x hex; addresses as 0x + 40 hex digits (mixed case must be EIP-55); bools as
/// true/false; bytes and bytesN as 0x hex (bytesN exactly N bytes); arrays as [a,b]; tuples as
/// (a,b). A string is the text itself at top level (surrounding quotes removed if present);
/// inside arrays and tuples it is either quoted ("..." or '...', no escapes) or unquoted up to
/// the next ',', ']' or ')' with surrounding spaces trimmed. Throws AbiError if the text is
/// malformed or the value does not fit the type.
[[nodiscard]] Value parse_value(const Type& type, std::string_view text);

/// The text form of a value (the inverse of parse_value for everything cast can express):
/// integers in decimal, addresses EIP-55 checksummed, bytes as 0x hex, strings raw at top level
/// and quoted inside arrays and tuples. A string that contains both quote characters cannot be
/// written in cast's syntax; inside an array or tuple it is written JSON-style with backslash
/// escapes, which is readable but not parseable. Throws AbiError if the value does not match
/// the type.
[[nodiscard]] std::string format_value(const Type& type, const Value& value);

/// Checks that `value` is a valid value of `type` (kind, integer range, bytesN length, list
/// lengths); throws AbiError with a message naming the mismatch.
void check_value(const Type& type, const Value& value);

}  // namespace dossier::eth::abi
