#pragma once
/// Solidity ABI types ("uint256", "bytes32", "(address,bytes)[]", ...) as a tree, parsed from the
/// text Solidity and JSON ABIs use, and function/event declarations built from them.
/// Only the types Solidity can put in an ABI are accepted: fixed-point types, function types,
/// empty tuples and zero-length fixed arrays are rejected, so every type occupies at least one
/// 32-byte word (which is what lets the decoder bound every allocation by the input size).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace dossier::eth::abi {

/// Malformed ABI type text, ABI-encoded data, or a value that does not fit its type.
class AbiError : public DecodeError {
public:
    using DecodeError::DecodeError;
};

/// Deepest nesting of tuples and array suffixes a type may have (keeps recursion bounded).
inline constexpr std::size_t kMaxTypeDepth = 32;
/// Largest static encoding a type may have, in bytes (keeps head-size arithmetic exact).
inline constexpr std::size_t kMaxStaticSize = std::size_t{1} << 30;

struct Type {
    enum class Kind { Uint, Int, Address, Bool, FixedBytes, Bytes, String, Array, FixedArray, Tuple };

    Kind kind = Kind::Uint;
    /// Bits for Uint/Int (8..256), bytes for FixedBytes (1..32), length for FixedArray, else 0.
    std::size_t size = 256;
    /// The element type for Array/FixedArray (exactly one), the components of a Tuple.
    std::vector<Type> children;

    /// Parses one type; "uint"/"int" mean uint256/int256; whitespace is allowed around tuple
    /// commas and parentheses, and tuple components may carry names ("(uint256 a,bytes b)").
    /// Throws AbiError on anything else (uint7, uint264, bytes33, "(uint256", trailing text...).
    [[nodiscard]] static Type parse(std::string_view text);

    /// Factories; like parse() they throw AbiError for what is not an ABI type (uint(7),
    /// fixed_bytes(33), fixed_array(t, 0), tuple({})...). Build types with parse() or these: the
    /// codec relies on their checks.
    [[nodiscard]] static Type uint(std::size_t bits = 256);
    [[nodiscard]] static Type sint(std::size_t bits = 256);
    [[nodiscard]] static Type address();
    [[nodiscard]] static Type boolean();
    [[nodiscard]] static Type fixed_bytes(std::size_t n);
    [[nodiscard]] static Type bytes();
    [[nodiscard]] static Type string();
    [[nodiscard]] static Type array(Type element);
    [[nodiscard]] static Type fixed_array(Type element, std::size_t length);
    [[nodiscard]] static Type tuple(std::vector<Type> components);

    /// The canonical text used in selectors: "uint256", "(address,bytes)[3]"...
    [[nodiscard]] std::string canonical() const;
    /// Dynamic per the spec: bytes, string, T[], and T[k]/tuples containing a dynamic type.
    [[nodiscard]] bool is_dynamic() const noexcept;
    /// Bytes the type takes in the head of an enclosing tuple: 32 for dynamic types (the offset),
    /// otherwise the whole static encoding (e.g. 96 for uint256[3]).
    [[nodiscard]] std::size_t head_size() const noexcept;
    /// Elementary types whose value fits one word (uintN, intN, address, bool, bytesN).
    [[nodiscard]] bool is_value_type() const noexcept;
    /// The element type of an Array/FixedArray.
    [[nodiscard]] const Type& element() const { return children.at(0); }

    bool operator==(const Type&) const = default;
};

/// Parses a comma-separated type list ("uint256,(bool,bytes)[]"; empty text is the empty list).
[[nodiscard]] std::vector<Type> parse_types(std::string_view list);
/// Canonical text of a type list joined by commas, without parentheses.
[[nodiscard]] std::string canonical(const std::vector<Type>& types);

/// One parameter of a function, error or event declaration.
struct Param {
    Type type;
    std::string name;      ///< may be empty
    bool indexed = false;  ///< declared `indexed` (events only)
};

/// A declaration such as "transfer(address,uint256)", "addRecord(address patient, bytes32 id)"
/// or "Granted(address indexed patient, address indexed doctor, uint64 expiry)".
struct Signature {
    std::string name;
    std::vector<Param> params;

    /// Parses `name(params)`; a parameter is a type optionally followed by data-location words
    /// (memory, calldata, storage), `indexed`, and a name. A leading "function ", "event " or
    /// "error " keyword is accepted. Throws AbiError on malformed text.
    [[nodiscard]] static Signature parse(std::string_view text);

    /// "name(type1,type2)", the text whose keccak-256 gives selectors and event topics.
    [[nodiscard]] std::string canonical() const;
    [[nodiscard]] std::vector<Type> types() const;
};

}  // namespace dossier::eth::abi
