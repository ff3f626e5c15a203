#pragma once
/// ECIES on secp256k1: wraps a 32-byte data key to an account's public key, so that only the holder
/// of the matching private key can unwrap it. Dossier wraps each patient's epoch data key to the
/// patient and to every doctor with an approved grant; the envelopes travel in contract events.
///
/// Envelope format, version 1 (94 bytes):
///
///   offset size  field
///        0    1  version = 0x01
///        1   33  ephemeral public key E, SEC 1 compressed (0x02/0x03 || x)
///       34   12  AES-GCM nonce (random)
///       46   32  wrapped data key (AES-256-GCM ciphertext)
///       78   16  AES-GCM tag
///
/// Wrapping to recipient public key R (64 bytes x || y):
///   e  = fresh random scalar, E = e*G
///   z  = x-coordinate of e*R (32 bytes, big-endian); secp256k1_ecdh with a hash function that
///        returns x unchanged. The recipient computes the same z as x(r*E).
///   k  = HKDF-SHA256(ikm = z, salt = E.xy || R.xy (64 + 64 bytes, uncompressed without 0x04),
///                    info = "dossier/ecies/v1", L = 32)
///   ct, tag = AES-256-GCM(k, nonce, plaintext = data key, aad = caller's associated data)
/// The salt binds the key to both public keys, so an envelope re-targeted to another recipient or
/// with a substituted ephemeral key derives a different k. The associated data (Dossier uses the
/// patient address || epoch) binds the envelope to its context: an envelope copied into another
/// patient's or epoch's slot does not open.
///
/// Unwrapping cannot tell "wrapped to someone else" from "altered in transit": both are a failed
/// tag, and the envelope names no recipient (on purpose: it would add bytes and say nothing the
/// chain event does not). Callers that know the intended recipient (the grant event names the
/// doctor) check that before unwrapping and report a wrong account themselves.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/bytes.hpp"
#include "base/error.hpp"
#include "crypto/aes_gcm.hpp"
#include "crypto/random.hpp"
#include "eth/keys.hpp"

namespace dossier::crypto {

inline constexpr std::uint8_t kEciesVersion = 1;
inline constexpr std::size_t kKeyEnvelopeSize = 1 + 33 + kGcmNonceSize + 32 + kGcmTagSize;  // 94
inline constexpr std::string_view kEciesInfo = "dossier/ecies/v1";

using KeyEnvelope = FixedBytes<kKeyEnvelopeSize>;
/// A secp256k1 public key as x || y (64 bytes, SEC 1 uncompressed without the 0x04 prefix).
using PublicKeyXY = FixedBytes<64>;

/// An envelope that is not one: wrong length, unknown version, or an ephemeral key that is not a
/// point on secp256k1.
class MalformedEnvelopeError : public DecodeError {
public:
    using DecodeError::DecodeError;
};

/// The envelope's tag did not verify: it was wrapped to another key, wrapped with other associated
/// data, or altered.
class EnvelopeOpenError : public TamperedError {
public:
    EnvelopeOpenError()
        : TamperedError("the key envelope does not open with this key: it was wrapped to another key, "
                        "for another context, or altered") {}
};

/// The associated data Dossier binds a patient's epoch-key envelopes to: the patient's address
/// (20 bytes) || the epoch (4 bytes, big-endian). An envelope made for one patient or epoch does not
/// open as another's.
[[nodiscard]] FixedBytes<24> key_envelope_aad(const eth::Address& patient, std::uint32_t epoch) noexcept;

/// The public key x || y of a secret scalar. Throws Error (invalid_input) if the scalar is invalid.
[[nodiscard]] PublicKeyXY public_key_of(const SecretKey32& secret);

/// x(secret * pub): the raw ECDH shared x-coordinate. Throws Error (invalid_input) if `pub` is not
/// on the curve or `secret` is invalid.
[[nodiscard]] SecretKey32 ecdh_shared_x(const PublicKeyXY& pub, const SecretKey32& secret);

/// Wraps `data_key` to `recipient` under a fresh ephemeral key and nonce.
/// Throws Error (invalid_input) if `recipient` is not a point on the curve.
[[nodiscard]] KeyEnvelope wrap_key(const SecretKey32& data_key, const PublicKeyXY& recipient, ByteView aad);

/// Deterministic wrap with a given ephemeral scalar and nonce, for reproducible test vectors
/// only: reusing an ephemeral scalar for two recipients or two keys breaks confidentiality.
[[nodiscard]] KeyEnvelope wrap_key_with(const SecretKey32& data_key, const PublicKeyXY& recipient, ByteView aad,
                                        const SecretKey32& ephemeral, const GcmNonce& nonce);

/// wrap_key() to an account's public key (the key published when the account registered).
[[nodiscard]] KeyEnvelope wrap_key(const SecretKey32& data_key, const eth::PublicKey& recipient, ByteView aad);

/// unwrap_key() with an account's private key.
[[nodiscard]] SecretKey32 unwrap_key(ByteView envelope, const eth::PrivateKey& recipient, ByteView aad);

/// ecdh_shared_x() with account keys.
[[nodiscard]] SecretKey32 ecdh_shared_x(const eth::PublicKey& pub, const eth::PrivateKey& secret);

/// Unwraps an envelope with the recipient's secret scalar and the same associated data.
/// Throws MalformedEnvelopeError (not an envelope), EnvelopeOpenError (wrong key, wrong associated
/// data, or altered), Error with code invalid_input (recipient_secret is 0 or not below the group
/// order)..
[[nodiscard]] SecretKey32 unwrap_key(ByteView envelope, const SecretKey32& recipient_secret, ByteView aad);

}  // namespace dossier::crypto
