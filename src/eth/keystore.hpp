#pragma once
/// Web3 Secret Storage (version 3) keystore files: a private key encrypted under a password, in
/// the JSON form geth, foundry, ethers and MetaMask read and write.
///
/// Reading supports the scrypt and PBKDF2-HMAC-SHA256 key derivations and AES-128-CTR. The MAC
/// (keccak256(derivedKey[16..32] || ciphertext)) is compared in constant time before anything is
/// decrypted. Because a keystore file comes from outside, the KDF cost it demands is bounded
/// (KdfLimits) before any work starts: a hostile file cannot make Dossier allocate gigabytes or
/// spin for hours.
///
/// Writing uses scrypt with geth's standard parameters by default, fresh random salt and IV, a
/// random (version 4) UUID, and writes the file atomically with mode 0600, never replacing an
/// existing file.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "base/error.hpp"
#include "eth/address.hpp"
#include "eth/keys.hpp"

namespace dossier::eth {

/// Any keystore failure; the code says which (io, already_exists, internal for a library failure).
class KeystoreError : public Error {
public:
    using Error::Error;
};

/// The file is not a well-formed version 3 keystore; the message names the offending field.
class KeystoreFormatError : public KeystoreError {
public:
    explicit KeystoreFormatError(const std::string& message) : KeystoreError(ErrorCode::invalid_input, message) {}
};

/// The MAC does not match: the password is wrong (or the ciphertext or MAC was altered, which is
/// indistinguishable by design).
class WrongPasswordError : public KeystoreError {
public:
    explicit WrongPasswordError(const std::string& message) : KeystoreError(ErrorCode::wrong_password, message) {}
};

/// The file asks for more key-derivation work or memory than the caller's KdfLimits allow.
class KdfTooExpensiveError : public KeystoreError {
public:
    explicit KdfTooExpensiveError(const std::string& message) : KeystoreError(ErrorCode::invalid_input, message) {}
};

/// scrypt cost parameters (N must be a power of two greater than 1).
struct ScryptParams {
    std::uint64_t n = 262144;
    std::uint32_t r = 8;
    std::uint32_t p = 1;
    bool operator==(const ScryptParams&) const = default;
};

/// geth's StandardScryptN/P: about 1 s and 256 MiB per derivation; the default for new files.
inline constexpr ScryptParams kStandardScrypt{262144, 8, 1};
/// geth's LightScryptN/P: about 20 ms and 4 MiB; for tests and low-value throwaway keys only.
inline constexpr ScryptParams kLightScrypt{4096, 8, 6};

/// The weakest key derivation Dossier keeps a key under: scrypt N of at least 2^14 and N * r of at
/// least 2^14 * 8 (r = 8 is what every wallet writes), PBKDF2-HMAC-SHA256 with 100,000 rounds. Below this a leaked file falls to a
/// password search on one GPU; wallets' throwaway settings (cast's N = 8192, geth's light 4096)
/// are below it on purpose.
inline constexpr std::uint64_t kMinScryptN = std::uint64_t{1} << 14;
inline constexpr std::uint64_t kMinPbkdf2Iterations = 100'000;

/// Upper bounds on the key derivation a file may demand. The defaults admit every keystore that
/// common wallets write (geth, foundry, ethers, MetaMask, the specification's vectors) with room
/// to spare; fuzzers and servers can pass tighter ones.
struct KdfLimits {
    /// scrypt memory, 128 * r * (N + p) bytes.
    std::uint64_t max_scrypt_memory = std::uint64_t{2} << 30;  // 2 GiB
    /// scrypt work, N * r * p (geth's standard parameters are 2^21).
    std::uint64_t max_scrypt_work = std::uint64_t{1} << 26;
    /// PBKDF2 iteration count c (the specification's vector uses 262144).
    std::uint64_t max_pbkdf2_iterations = 10'000'000;
};

/// A parsed keystore file (nothing decrypted).
struct Keystore {
    enum class Kdf { scrypt, pbkdf2 };

    std::string id;                  ///< the file's UUID (may be empty if the file has none)
    std::optional<Address> address;  ///< the optional "address" field (unverified until decrypted)
    Kdf kdf = Kdf::scrypt;
    ScryptParams scrypt;                    ///< when kdf == scrypt
    std::uint64_t pbkdf2_iterations = 0;    ///< when kdf == pbkdf2 ("c")
    std::uint32_t dklen = 32;               ///< derived key length, at least 32
    Bytes salt;
    FixedBytes<16> iv{};
    Bytes ciphertext;  ///< the encrypted 32-byte private key
    Bytes32 mac{};

    /// Parses keystore JSON (version 3; "crypto" or "Crypto"). Throws KeystoreFormatError naming
    /// the field that is missing or malformed.
    [[nodiscard]] static Keystore parse(std::string_view json_text);
    /// The file's JSON text, in geth's layout.
    [[nodiscard]] std::string to_json() const;

    /// Derives the key from `password`, checks the MAC in constant time, decrypts, and checks the
    /// "address" field (if present) against the decrypted key. Throws KdfTooExpensiveError,
    /// WrongPasswordError, or KeystoreFormatError (e.g. a decrypted value that is not a valid key,
    /// or an address field that does not match).
    [[nodiscard]] PrivateKey decrypt(std::string_view password, const KdfLimits& limits = {}) const;
};

/// Whether `ks` derives its key at least at the floor above (kMinScryptN, kMinPbkdf2Iterations).
[[nodiscard]] bool kdf_floor_met(const Keystore& ks) noexcept;
/// Whether scrypt with `params` is at least at the floor.
[[nodiscard]] bool kdf_floor_met(const ScryptParams& params) noexcept;
/// The floor's own scrypt parameters (N = 2^14, r = 8, p = 1: about 16 MiB and 50 ms).
inline constexpr ScryptParams kFloorScrypt{kMinScryptN, 8, 1};

/// Encrypts `key` under `password` with scrypt(params), random salt, IV and UUID.
[[nodiscard]] Keystore encrypt_keystore(const PrivateKey& key, std::string_view password,
                                        const ScryptParams& params = kStandardScrypt);

/// Keystore::parse(json_text).decrypt(password, limits).
[[nodiscard]] PrivateKey decrypt_keystore(std::string_view json_text, std::string_view password,
                                          const KdfLimits& limits = {});

/// Reads and parses a keystore file (at most 64 KiB; anything larger is not a keystore).
/// Throws KeystoreError if the file cannot be read, KeystoreFormatError if it is malformed.
[[nodiscard]] Keystore read_keystore_file(const std::filesystem::path& path);

/// Writes `ks` to `path` atomically: a temporary file (mode 0600) in the same directory is
/// written and fsynced, then renamed into place without replacing anything, and the directory
/// is fsynced. Throws KeystoreError if `path` already exists or on any I/O failure (the
/// temporary file is removed).
void write_keystore_file(const std::filesystem::path& path, const Keystore& ks);

/// geth's file name for a keystore: "UTC--2026-01-31T12-00-00.000000000Z--<address hex>".
[[nodiscard]] std::string keystore_file_name(const Address& address);

/// Writes `ks` into `dir` (created with mode 0700 if missing) under keystore_file_name() and
/// returns the path. `ks.address` must be set.
std::filesystem::path write_keystore_in_dir(const std::filesystem::path& dir, const Keystore& ks);

}  // namespace dossier::eth
