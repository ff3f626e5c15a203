#pragma once
/// EIP-712 typed structured data hashing and signing (what eth_signTypedData_v4 signs).
///
/// The digest is keccak256(0x19 0x01 || domainSeparator || hashStruct(primaryType, message)),
/// where hashStruct(T, v) = keccak256(typeHash(T) || encodeData(T, v)), typeHash(T) =
/// keccak256(encodeType(T)), and encodeType lists T first and then every struct type T refers to
/// (directly or through other structs or arrays), sorted by name. Each member is one 32-byte word:
/// atomic values (uintN, intN, address, bool, bytesN) are ABI-encoded in place, `bytes` and
/// `string` are replaced by the keccak256 of their contents, nested structs by their hashStruct,
/// arrays by the keccak256 of their elements' words concatenated.
///
/// Values come as JSON, in the form wallets and ethers/alloy accept: integers as JSON numbers or
/// as decimal or 0x-hex strings (negative ones with a leading '-'), addresses and bytes as 0x-hex
/// strings, bool as true/false, strings as JSON strings, arrays as JSON arrays, structs as JSON
/// objects. Input is checked strictly: a missing member, a value out of the type's range, a bytesN
/// of the wrong length, an unknown type or a fixed-size array of the wrong length is an error,
/// never a silently different digest. Members present in the JSON but not in the type are ignored
/// (as every implementation does).
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/bytes.hpp"
#include "base/error.hpp"
#include "eth/keys.hpp"

namespace dossier::eth::eip712 {

/// Malformed typed data: bad type definitions or values that do not fit their types.
class Eip712Error : public DecodeError {
public:
    using DecodeError::DecodeError;
};

/// One member of a struct type.
struct Member {
    std::string name;
    std::string type;  ///< e.g. "uint256", "address[]", "Person", "Person[2][]"
    bool operator==(const Member&) const = default;
};

/// Struct type definitions by name (order of members matters; order of types does not).
using Types = std::map<std::string, std::vector<Member>>;

/// Maximum nesting of arrays and structs in a value; deeper values are rejected.
inline constexpr std::size_t kMaxDepth = 64;

/// A complete typed-data request, as in eth_signTypedData_v4.
struct TypedData {
    Types types;               ///< may or may not define EIP712Domain (see domain_separator)
    std::string primary_type;  ///< the message's type
    nlohmann::json domain;     ///< an object with any of name, version, chainId, verifyingContract, salt
    nlohmann::json message;    ///< an object of type primary_type

    /// Parses the standard JSON object {"types", "primaryType", "domain", "message"}. Throws
    /// Eip712Error naming the missing or malformed field.
    [[nodiscard]] static TypedData from_json(const nlohmann::json& j);
    /// from_json() of JSON text (a JSON syntax error is an Eip712Error too).
    [[nodiscard]] static TypedData parse(std::string_view json_text);
};

/// "Mail(Person from,Person to,string contents)Person(string name,address wallet)" for the EIP's
/// example. Throws Eip712Error if `type` or a type it refers to is undefined or malformed.
[[nodiscard]] std::string encode_type(const Types& types, const std::string& type);
/// keccak256(encode_type(types, type)).
[[nodiscard]] Bytes32 type_hash(const Types& types, const std::string& type);
/// The EIP's encodeData: one 32-byte word per member, in member order.
[[nodiscard]] Bytes encode_data(const Types& types, const std::string& type, const nlohmann::json& value);
/// hashStruct: keccak256(type_hash(types, type) || encode_data(types, type, value)).
[[nodiscard]] Bytes32 hash_struct(const Types& types, const std::string& type, const nlohmann::json& value);

/// hashStruct("EIP712Domain", domain). If `types` does not define EIP712Domain, the domain type is
/// inferred from the fields present in `domain`, in the EIP's order: name (string), version
/// (string), chainId (uint256), verifyingContract (address), salt (bytes32); others are an error.
[[nodiscard]] Bytes32 domain_separator(const TypedData& data);
/// The 32-byte digest a wallet signs: keccak256(0x1901 || domain_separator || hash_struct(message)).
[[nodiscard]] Bytes32 digest(const TypedData& data);
/// sign_hash(key, digest(data)).
[[nodiscard]] Signature sign(const PrivateKey& key, const TypedData& data);

}  // namespace dossier::eth::eip712
