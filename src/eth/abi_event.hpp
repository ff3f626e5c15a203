#pragma once
/// Solidity events: topic0 of an event signature, the topic an indexed parameter produces, and
/// decoding of a log (topics + data) back into the event's parameters.
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "eth/abi_type.hpp"
#include "eth/abi_value.hpp"

namespace dossier::eth::abi {

/// keccak-256 of the canonical event signature ("Transfer(address,address,uint256)"); names,
/// spaces and `indexed` keywords in the text are ignored.
[[nodiscard]] Bytes32 event_topic(std::string_view signature);

/// The topic an indexed parameter of type `type` holding `value` produces: the encoded word for
/// value types (uintN, intN, address, bool, bytesN); for bytes and string the keccak-256 of the
/// contents; for arrays and tuples the keccak-256 of the spec's in-place encoding (elements
/// padded to 32 bytes, no lengths, no offsets). Callers use it to filter logs by value.
[[nodiscard]] Bytes32 topic_of(const Type& type, const Value& value);

/// Decodes a non-anonymous log of the event `signature` whose parameters are indexed where
/// `indexed[i]` is true (one flag per parameter). topics[0] must be event_topic(signature);
/// topics[1..] are the indexed parameters in order; `data` is the strict encoding of the
/// non-indexed ones. Returns one value per parameter in declaration order. An indexed value type
/// is decoded from its topic with the same strictness as decode(); an indexed bytes, string,
/// array or tuple cannot be recovered and is returned as a bytes32 value (Value::fixed_bytes)
/// holding its topic hash. Throws AbiError on a wrong topic count, topic0, or malformed data.
[[nodiscard]] std::vector<Value> decode_log(std::string_view signature, const std::vector<bool>& indexed,
                                            const std::vector<Bytes32>& topics, ByteView data);
/// The same, taking which parameters are indexed from `indexed` keywords in the declaration
/// ("Granted(address indexed patient, address indexed doctor, uint64 expiry)").
[[nodiscard]] std::vector<Value> decode_log(std::string_view declaration, const std::vector<Bytes32>& topics,
                                            ByteView data);

}  // namespace dossier::eth::abi
