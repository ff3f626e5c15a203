#pragma once
/// 256-bit unsigned integers (the EVM word) with big-endian byte and text conversions.
/// Arithmetic wraps modulo 2^256, like the EVM; signed values (int256) travel as their two's
/// complement in a U256.
#include <boost/multiprecision/cpp_int.hpp>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "base/error.hpp"

namespace dossier::eth {

using U256 = boost::multiprecision::uint256_t;
/// Wide enough for intermediate products of two U256 values.
using U512 = boost::multiprecision::uint512_t;

/// Big-endian 32-byte encoding.
[[nodiscard]] Bytes32 to_be32(const U256& v) noexcept;
/// Minimal big-endian bytes (empty for zero), as RLP wants integers.
[[nodiscard]] Bytes to_be_minimal(const U256& v);
/// Interprets up to 32 big-endian bytes; throws DecodeError if longer.
[[nodiscard]] U256 from_be(ByteView bytes);

/// Parses decimal ("1000") or 0x-prefixed hex ("0x3e8"); throws DecodeError on anything else or
/// on a value of 2^256 or more.
[[nodiscard]] U256 parse_u256(std::string_view text);
/// Decimal text.
[[nodiscard]] std::string to_dec(const U256& v);
/// JSON-RPC QUANTITY: 0x-prefixed lower-case hex without leading zeros ("0x0" for zero).
[[nodiscard]] std::string to_quantity(const U256& v);
/// Parses a JSON-RPC QUANTITY; accepts leading zeros leniently (some nodes emit them) but
/// rejects empty digits and values of 2^256 or more.
[[nodiscard]] U256 parse_quantity(std::string_view text);
/// Narrowing that throws DecodeError if the value does not fit in 64 bits.
[[nodiscard]] std::uint64_t to_u64(const U256& v);

}  // namespace dossier::eth
