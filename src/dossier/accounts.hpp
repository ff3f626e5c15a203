#pragma once
/// The accounts of a data directory: one Web3 v3 keystore file per account in
/// Config::keystore_dir() (geth's layout, so geth, foundry and ethers can read them), plus a small
/// index, <data_dir>/accounts.json, naming each account's role and label:
/// {"format":1,"accounts":[{"address":"0x..","role":"doctor","label":"dr-house",
///   "keystore":"UTC--...--<address>","created":<unix seconds>}]}
/// The index holds no secret. It is rewritten atomically under a lock file (accounts.lock), so
/// two commands adding accounts at once both succeed.
///
/// A private key leaves its keystore only through unlock() (into memory, for signing) and
/// export_private_key() (an explicit request); export_account() copies the encrypted file.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "dossier/config.hpp"
#include "dossier/context.hpp"
#include "eth/address.hpp"
#include "eth/keys.hpp"
#include "eth/keystore.hpp"
#include "eth/rpc_types.hpp"
#include "eth/uint256.hpp"

namespace dossier::core {

/// A failure of the local accounts: not_found (no account has that address or label),
/// already_exists (the address or label is taken), invalid_input (a bad label, password, role or
/// key), io (the index or a keystore cannot be read).
class AccountError : public Error {
public:
    AccountError(ErrorCode code, const std::string& message) : Error(code, message) {}
};

enum class Role { doctor, patient, admin };

[[nodiscard]] std::string_view role_name(Role role) noexcept;
/// "doctor", "patient" or "admin"; throws AccountError naming the accepted values otherwise.
[[nodiscard]] Role parse_role(std::string_view text);

struct AccountInfo {
    eth::Address address;
    Role role = Role::patient;
    std::string label;
    std::filesystem::path keystore_file;  ///< absolute path of its keystore
    std::uint64_t created = 0;            ///< unix seconds
    bool operator==(const AccountInfo&) const = default;
};

/// The scrypt cost of new keystores: geth's standard parameters (about 1 s and 256 MiB per unlock).
/// A build made with the test suites (CMake option DOSSIER_LIGHT_KDF, on by default only when
/// DOSSIER_TESTS is) also honours DOSSIER_KDF=light, geth's light parameters (about 20 ms, 4 MiB),
/// so that tests can unlock many keystores; a build without it refuses that value, so the light
/// cost cannot be chosen by a stray environment variable. Throws AccountError for any value of
/// DOSSIER_KDF other than "standard" (or "light" where allowed).
[[nodiscard]] eth::ScryptParams default_kdf();

/// Whether this build lets DOSSIER_KDF=light select the light scrypt cost (see default_kdf()).
[[nodiscard]] bool light_kdf_allowed() noexcept;

/// <data_dir>/accounts.json.
[[nodiscard]] std::filesystem::path accounts_index_path(const Config& config);

/// A fresh key, encrypted under `password` (scrypt `kdf`, default_kdf() if unset), stored and
/// indexed. Labels are unique, 1 to 64 characters, and cannot look like an address. Throws
/// AccountError (already_exists) if the label is taken, AccountError if it is malformed or the password empty.
AccountInfo create_account(const Config& config, Role role, std::string_view label, std::string_view password,
                           std::optional<eth::ScryptParams> kdf = std::nullopt);

/// Imports the key of a keystore file of any wallet: it is decrypted with `password` to prove it.
/// A keystore whose key derivation is at least eth::kdf_floor_met() is copied as is (its own
/// encryption kept); a weaker one (scrypt N below 2^14, PBKDF2 below 100,000 rounds: cheap to
/// brute-force if the file leaks) is re-encrypted under the same password with `kdf`
/// (default_kdf() if unset; the floor's own cost if that is lower), and the file given is left
/// untouched. Throws eth::WrongPasswordError
/// for a keystore the password does not open, eth::KeystoreError for a file that is not a keystore,
/// AccountError (already_exists) if the address or label is present already.
AccountInfo import_keystore(const Config& config, const std::filesystem::path& file, std::string_view password,
                            Role role, std::string_view label, std::optional<eth::ScryptParams> kdf = std::nullopt);

/// Imports a raw private key: 64 hex digits, with or without 0x, surrounding white space ignored;
/// it is encrypted under `password` with `kdf`. The text is only ever parsed as a key, never taken
/// as a path, and a malformed key is reported without any of its text (it may be a secret with a
/// typo). Throws AccountError (invalid_input) for a malformed key, (already_exists) as above.
AccountInfo import_private_key(const Config& config, std::string_view key_hex, std::string_view password, Role role,
                               std::string_view label, std::optional<eth::ScryptParams> kdf = std::nullopt);

/// Every indexed account, in the order they were added.
[[nodiscard]] std::vector<AccountInfo> list_accounts(const Config& config);

/// The account whose address (0x + 40 hex digits, any case) or label is `who`; throws
/// AccountError (not_found).
[[nodiscard]] AccountInfo find_account(const Config& config, std::string_view who);

/// Decrypts the account's key for signing. Throws eth::WrongPasswordError ("wrong password for
/// account 0x.. (label)") or AccountError (not_found).
[[nodiscard]] eth::PrivateKey unlock(const Config& config, std::string_view who, std::string_view password);

/// Copies the account's (encrypted) keystore file to `destination` (a file path, or an existing
/// directory to put it in under its keystore name) with mode 0600, never replacing a file.
/// Returns the path written.
std::filesystem::path export_account(const Config& config, std::string_view who, const std::filesystem::path& destination);

/// The raw private key as 0x + 64 hex digits, after checking `password`. Only for an explicit
/// user request: whoever sees the text controls the account.
[[nodiscard]] std::string export_private_key(const Config& config, std::string_view who, std::string_view password);

/// Sends `amount` wei to `to` from the embedded chain's dev account (a journaled transaction) and
/// waits for it. Throws AccountError on a remote chain (there is no dev account to take from).
eth::Receipt fund_account(Context& ctx, const eth::Address& to, const eth::U256& amount);

/// 1 ether in wei, for fund_account().
[[nodiscard]] eth::U256 ether(std::uint64_t n);

}  // namespace dossier::core
