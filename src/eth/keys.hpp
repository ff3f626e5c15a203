#pragma once
/// secp256k1 keys and recoverable ECDSA signatures as Ethereum uses them, through libsecp256k1.
///
/// Signing is deterministic (RFC 6979) and always yields a low-s signature (s <= n/2, EIP-2), so
/// the same key and hash give byte-identical signatures in Dossier, geth, foundry and ethers.
/// Recovery rejects high-s signatures: Ethereum transactions with them are invalid since Homestead,
/// and accepting them would make a signature malleable.
#include <cstdint>
#include <iosfwd>
#include <span>
#include <string_view>

#include "base/bytes.hpp"
#include "base/error.hpp"
#include "eth/address.hpp"

namespace dossier::eth {

/// An invalid private key, public key or signature.
class KeyError : public Error {
public:
    explicit KeyError(const std::string& message) : Error(ErrorCode::invalid_input, message) {}
};

/// Fills `out` from the operating system's CSPRNG (getrandom(2), blocking until it is seeded).
/// Throws Error only if the kernel refuses (which does not happen on a supported Linux).
void random_bytes(std::span<std::uint8_t> out);

/// An uncompressed secp256k1 public key without its 0x04 prefix: x || y, 32 bytes each.
/// Every PublicKey object holds a point on the curve (the factories check).
class PublicKey {
public:
    /// Parses 64 bytes (x || y), 65 bytes (0x04 || x || y) or 33 bytes (0x02/0x03 || x, SEC 1
    /// compressed). Throws KeyError if the length is none of these or the point is not on the curve.
    [[nodiscard]] static PublicKey from_bytes(ByteView bytes);
    /// from_bytes() of hex text (with or without 0x).
    [[nodiscard]] static PublicKey from_hex(std::string_view hex);

    /// x || y (64 bytes).
    [[nodiscard]] const FixedBytes<64>& bytes() const noexcept { return xy_; }
    /// 0x04 || x || y (65 bytes, SEC 1 uncompressed).
    [[nodiscard]] FixedBytes<65> uncompressed() const noexcept;
    /// 0x02/0x03 || x (33 bytes, SEC 1 compressed).
    [[nodiscard]] FixedBytes<33> compressed() const noexcept;
    /// The account address: the last 20 bytes of keccak256(x || y).
    [[nodiscard]] Address address() const noexcept;

    bool operator==(const PublicKey&) const = default;

private:
    PublicKey() = default;
    FixedBytes<64> xy_{};
};

/// A secp256k1 private key: a scalar in [1, n-1]. The secret is wiped when the object is
/// destroyed, and streaming a PrivateKey prints a placeholder, never the secret, so a key cannot
/// leak into a log or a test failure message by accident. Read it deliberately with secret().
///
/// A PrivateKey cannot be copied, so the secret lives in one place that is wiped: pass it by
/// reference, move it, or make the rare deliberate copy with clone(). Moving wipes the source,
/// which is then empty: every use of an empty key (secret(), public_key(), address(), clone(),
/// ==) throws Error with code internal, as that is a bug in the caller.
class PrivateKey {
public:
    /// A fresh key from the OS CSPRNG (retries in the astronomically unlikely out-of-range case).
    [[nodiscard]] static PrivateKey generate();
    /// Takes exactly 32 big-endian bytes; throws KeyError if the length is wrong or the value is
    /// 0 or >= the group order n.
    [[nodiscard]] static PrivateKey from_bytes(ByteView secret);
    /// from_bytes() of 64 hex digits (with or without 0x).
    [[nodiscard]] static PrivateKey from_hex(std::string_view hex);

    PrivateKey(const PrivateKey&) = delete;
    PrivateKey& operator=(const PrivateKey&) = delete;
    /// Takes the secret and wipes `other`, which is empty afterwards.
    PrivateKey(PrivateKey&& other) noexcept;
    /// Wipes this key's own secret, takes `other`'s and wipes `other`, which is empty afterwards.
    PrivateKey& operator=(PrivateKey&& other) noexcept;
    ~PrivateKey();

    /// A second key holding the same secret (wiped when it is destroyed, like this one).
    [[nodiscard]] PrivateKey clone() const;

    /// True once the key has been moved from: its secret is all zeros and it cannot be used.
    [[nodiscard]] bool empty() const noexcept;

    /// The 32-byte secret scalar. Handle with care: copies made from it are not wiped.
    [[nodiscard]] const Bytes32& secret() const;
    [[nodiscard]] PublicKey public_key() const;
    [[nodiscard]] Address address() const;

    /// Constant-time comparison of the secrets.
    [[nodiscard]] bool operator==(const PrivateKey& other) const;

    /// Prints "PrivateKey(<redacted>)".
    friend std::ostream& operator<<(std::ostream& os, const PrivateKey& key);

private:
    explicit PrivateKey(const Bytes32& secret) noexcept : secret_(secret) {}
    /// secret_, or throws if the key is empty.
    [[nodiscard]] const Bytes32& checked() const;
    Bytes32 secret_{};
};

/// A recoverable ECDSA signature. r and s are 32-byte big-endian scalars; recovery_id (0 or 1) is
/// the parity of the y coordinate of the nonce point R, which lets recover() find the signer.
struct Signature {
    Bytes32 r{};
    Bytes32 s{};
    std::uint8_t recovery_id = 0;

    /// The 65-byte r || s || v form used by eth_sign, personal_sign and EIP-712 wallets, with
    /// v = 27 + recovery_id.
    [[nodiscard]] FixedBytes<65> to_bytes() const noexcept;
    /// Parses r || s || v with v in {27, 28} or {0, 1} (both conventions are in use). Throws
    /// KeyError on a wrong length or any other v; r and s are checked when used (recover()).
    [[nodiscard]] static Signature from_bytes(ByteView bytes);
    /// from_bytes() of hex text.
    [[nodiscard]] static Signature from_hex(std::string_view hex);
    /// True if s <= n/2 (the only form Ethereum accepts).
    [[nodiscard]] bool has_low_s() const noexcept;

    bool operator==(const Signature&) const = default;
};

/// Signs a 32-byte hash: deterministic RFC 6979 nonce, low-s result.
[[nodiscard]] Signature sign_hash(const PrivateKey& key, const Bytes32& hash);

/// The public key whose private key produced `sig` over `hash`. Throws KeyError if r or s is 0 or
/// >= n, if s is high (> n/2), if recovery_id is not 0 or 1, or if no key recovers.
[[nodiscard]] PublicKey recover(const Bytes32& hash, const Signature& sig);
/// recover(hash, sig).address().
[[nodiscard]] Address recover_address(const Bytes32& hash, const Signature& sig);

/// The account address of a public key.
[[nodiscard]] Address address_of(const PublicKey& key) noexcept;

/// EIP-191 version 0x45 ("personal_sign"): keccak256("\x19Ethereum Signed Message:\n" +
/// decimal byte length of `message` + message).
[[nodiscard]] Bytes32 personal_message_hash(ByteView message);
/// sign_hash(key, personal_message_hash(message)); what `cast wallet sign <message>` and
/// MetaMask's personal_sign produce.
[[nodiscard]] Signature sign_personal_message(const PrivateKey& key, ByteView message);

}  // namespace dossier::eth
