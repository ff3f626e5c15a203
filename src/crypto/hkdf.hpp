#pragma once
/// HKDF with HMAC-SHA256 (RFC 5869), through OpenSSL's EVP_KDF "HKDF".
#include <cstddef>

#include "base/bytes.hpp"
#include "crypto/random.hpp"

namespace dossier::crypto {

/// Largest output HKDF-SHA256 can produce: 255 blocks of 32 bytes.
inline constexpr std::size_t kHkdfSha256MaxLength = 255 * 32;

/// Extract-then-expand: `length` bytes of output keying material from input keying material `ikm`,
/// optional `salt` (empty means the RFC's default, 32 zero bytes) and context `info`.
/// Throws dossier::Error if length is 0 or above kHkdfSha256MaxLength.
[[nodiscard]] SecretBytes hkdf_sha256(ByteView ikm, ByteView salt, ByteView info, std::size_t length);

/// hkdf_sha256() producing one 32-byte key.
[[nodiscard]] SecretKey32 hkdf_sha256_key(ByteView ikm, ByteView salt, ByteView info);

}  // namespace dossier::crypto
