#pragma once
/// AES-256-GCM authenticated encryption (NIST SP 800-38D) through OpenSSL's EVP interface, with a
/// 96-bit nonce and the full 128-bit tag.
///
/// GCM's one rule: a (key, nonce) pair must never encrypt two different messages. seal() draws a
/// random 96-bit nonce, safe for up to 2^32 messages under one key; the sealed-object stream uses a
/// fresh key per object with counter nonces (see sealed_object.hpp).
///
/// Decryption never returns unauthenticated plaintext: output is produced into a private buffer
/// and handed over only after the tag verified; otherwise the buffer is wiped and TamperedError
/// is thrown.
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/bytes.hpp"
#include "base/error.hpp"
#include "crypto/random.hpp"

struct evp_cipher_ctx_st;

namespace dossier::crypto {

inline constexpr std::size_t kAesKeySize = 32;
inline constexpr std::size_t kGcmNonceSize = 12;
inline constexpr std::size_t kGcmTagSize = 16;

using GcmNonce = FixedBytes<kGcmNonceSize>;
using GcmTag = FixedBytes<kGcmTagSize>;

/// The authentication tag did not verify: the ciphertext, its nonce, its tag or the associated
/// data (a header) differ from what was sealed, or the key is not the one that sealed it.
class TamperedError : public Error {
public:
    TamperedError() : TamperedError("ciphertext or header was altered") {}
    explicit TamperedError(const std::string& message) : Error(ErrorCode::tampered, message) {}
};

/// An AES-256-GCM key with its expanded schedule, for many messages under one key (the segments
/// of a stream). Not thread-safe; cheap to move.
class Aes256Gcm {
public:
    explicit Aes256Gcm(const SecretKey32& key);
    Aes256Gcm(Aes256Gcm&& other) noexcept;
    Aes256Gcm& operator=(Aes256Gcm&& other) noexcept;
    Aes256Gcm(const Aes256Gcm&) = delete;
    Aes256Gcm& operator=(const Aes256Gcm&) = delete;
    /// Frees the OpenSSL contexts, which erases the key schedule.
    ~Aes256Gcm();

    /// Encrypts `plaintext` into `out` (out.size() must equal plaintext.size(); they may be the
    /// same memory) and returns the tag. Throws dossier::Error on a size mismatch.
    GcmTag encrypt(const GcmNonce& nonce, ByteView aad, ByteView plaintext, std::span<std::uint8_t> out);

    /// Decrypts `ciphertext` into `out` (same size; may be the same memory) if `tag` verifies and
    /// returns true. Otherwise wipes `out` and returns false: no unauthenticated byte survives.
    [[nodiscard]] bool decrypt(const GcmNonce& nonce, ByteView aad, ByteView ciphertext, const GcmTag& tag,
                               std::span<std::uint8_t> out);

private:
    evp_cipher_ctx_st* enc_ = nullptr;
    evp_cipher_ctx_st* dec_ = nullptr;
};

/// Encrypts with an explicit nonce: returns ciphertext || tag (plaintext.size() + 16 bytes).
/// The caller guarantees the nonce is never reused with this key.
[[nodiscard]] Bytes aes256gcm_encrypt(const SecretKey32& key, const GcmNonce& nonce, ByteView plaintext,
                                      ByteView aad = {});
/// Inverse of aes256gcm_encrypt. Throws TamperedError if the tag does not verify, and
/// DecodeError if the input is shorter than a tag.
[[nodiscard]] Bytes aes256gcm_decrypt(const SecretKey32& key, const GcmNonce& nonce,
                                      ByteView ciphertext_and_tag, ByteView aad = {});

/// Size of seal(plaintext): nonce (12) || ciphertext || tag (16).
[[nodiscard]] constexpr std::size_t sealed_size(std::size_t plaintext_size) noexcept {
    return kGcmNonceSize + plaintext_size + kGcmTagSize;
}

/// Encrypts under a fresh random nonce: returns nonce || ciphertext || tag.
[[nodiscard]] Bytes seal(const SecretKey32& key, ByteView plaintext, ByteView aad = {});
/// Inverse of seal(): returns the plaintext. Throws DecodeError if `sealed` is shorter than 28
/// bytes and TamperedError if it does not authenticate under `key` and `aad`.
[[nodiscard]] Bytes open(const SecretKey32& key, ByteView sealed, ByteView aad = {});
/// open() for secrets (wrapped keys): the plaintext goes straight into wiped storage.
[[nodiscard]] SecretBytes open_secret(const SecretKey32& key, ByteView sealed, ByteView aad = {});

}  // namespace dossier::crypto
