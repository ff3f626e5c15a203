#pragma once
/// Recursive Length Prefix (Ethereum Yellow Paper, appendix B).
/// Decoding is strict: it accepts exactly the canonical encoding of a value and nothing else
/// (no non-minimal lengths, no single bytes wrapped in a string header, no leading zeros in
/// lengths or integers, no trailing bytes), so that hash(encode(decode(x))) == hash(x).
#include <cstdint>
#include <variant>
#include <vector>

#include "base/bytes.hpp"
#include "base/error.hpp"

namespace dossier::eth::rlp {

class RlpError : public DecodeError {
public:
    using DecodeError::DecodeError;
};

/// A decoded RLP value: a byte string or a list of values.
struct Item {
    bool is_list = false;
    Bytes bytes;              ///< payload when !is_list
    std::vector<Item> items;  ///< elements when is_list

    [[nodiscard]] static Item string(Bytes b) { return Item{false, std::move(b), {}}; }
    [[nodiscard]] static Item list(std::vector<Item> v) { return Item{true, {}, std::move(v)}; }
    bool operator==(const Item&) const = default;
};

/// Maximum list nesting accepted by decode(); deeper input is rejected rather than recursed into.
inline constexpr std::size_t kMaxDepth = 256;

[[nodiscard]] Bytes encode(const Item& item);
/// Encodes a byte string.
[[nodiscard]] Bytes encode_string(ByteView payload);
/// Encodes an unsigned integer as its minimal big-endian bytes (0 is the empty string).
[[nodiscard]] Bytes encode_uint(std::uint64_t value);
/// Wraps already-encoded items into a list.
[[nodiscard]] Bytes encode_list_of_encoded(ByteView concatenated_items);

/// Decodes exactly one canonical item spanning all of `data`. Throws RlpError otherwise.
[[nodiscard]] Item decode(ByteView data);

/// Interprets a decoded string as a canonical unsigned integer of at most 8 bytes (no leading zero).
[[nodiscard]] std::uint64_t to_uint64(const Item& item);
/// Minimal big-endian bytes of an integer (empty for 0).
[[nodiscard]] Bytes minimal_be(std::uint64_t value);

}  // namespace dossier::eth::rlp
