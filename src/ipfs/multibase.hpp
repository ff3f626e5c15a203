#pragma once
/// Multibase text encodings for CIDs: base32 lower case without padding (prefix 'b', the CIDv1
/// default) and base58btc (prefix 'z'; also the bare encoding of CIDv0 "Qm..." strings). Plus the
/// upper-case unpadded RFC 4648 base32 that flatfs uses for block file names.
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "ipfs/errors.hpp"

namespace dossier::ipfs::multibase {

enum class Base : char { Base32Lower = 'b', Base58Btc = 'z' };

/// RFC 4648 base32, lower case, no padding.
[[nodiscard]] std::string base32_lower(ByteView data);
/// RFC 4648 base32, upper case, no padding.
[[nodiscard]] std::string base32_upper(ByteView data);
/// Decodes unpadded base32 in one case only (`upper` selects which); throws MultibaseError on any
/// other character, on an impossible length, or on non-zero trailing bits (non-canonical text).
[[nodiscard]] Bytes decode_base32(std::string_view text, bool upper = false);

/// Bitcoin base58 alphabet; leading zero bytes become '1'.
[[nodiscard]] std::string base58btc(ByteView data);
/// Throws MultibaseError on a character outside the alphabet.
[[nodiscard]] Bytes decode_base58btc(std::string_view text);

/// `prefix + encoding` for the given base.
[[nodiscard]] std::string encode(Base base, ByteView data);
/// Decodes multibase text with prefix 'b' or 'z'; any other prefix is a MultibaseError.
[[nodiscard]] Bytes decode(std::string_view text);

}  // namespace dossier::ipfs::multibase
