#pragma once
/// The Solidity contract ABI codec: abi.encode / strict decoding of tuples, function selectors
/// and calldata. Events are in eth/abi_event.hpp, revert data in eth/abi_revert.hpp (both
/// included here), types in eth/abi_type.hpp and values in eth/abi_value.hpp.
#include <span>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "eth/abi_event.hpp"
#include "eth/abi_revert.hpp"
#include "eth/abi_type.hpp"
#include "eth/abi_value.hpp"

namespace dossier::eth::abi {

/// abi.encode(values...): the encoding of the tuple (types...). Throws AbiError if the counts
/// differ or a value does not match its type (kind, integer range, bytesN or fixed array length).
[[nodiscard]] Bytes encode(std::span<const Type> types, std::span<const Value> values);

/// Decodes the encoding of the tuple (types...), accepting only the spec's strict encoding mode,
/// i.e. exactly what encode() produces: every offset must point where the canonical encoding puts
/// that tail (so nothing overlaps, nothing is skipped, nothing lies outside the input), padding
/// bytes are zero, bools are 0 or 1, addresses and uintN/intN are within range, and no bytes may
/// follow the encoding. Lengths are bounded by the input size before anything is allocated.
/// Hence encode(types, decode(types, x)) == x whenever decode succeeds. Throws AbiError with a
/// message that says what is wrong and at which byte offset.
[[nodiscard]] std::vector<Value> decode(std::span<const Type> types, ByteView data);

/// The first four bytes of keccak-256 of the canonical signature ("transfer(address,uint256)";
/// parameter names, spaces and uint/int aliases are normalised first).
[[nodiscard]] FixedBytes<4> selector(std::string_view signature);
/// Calldata: selector(signature) followed by encode(params, values).
[[nodiscard]] Bytes encode_call(std::string_view signature, std::span<const Value> values);
/// Decodes calldata for `signature`; throws AbiError if the selector differs or the arguments
/// are not strictly encoded.
[[nodiscard]] std::vector<Value> decode_call(std::string_view signature, ByteView calldata);

}  // namespace dossier::eth::abi
