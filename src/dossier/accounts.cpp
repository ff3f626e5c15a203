#include "dossier/accounts.hpp"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include <nlohmann/json.hpp>

#include "base/atomic_file.hpp"
#include "base/file_lock.hpp"
#include "base/hex.hpp"
#include "dossier/node.hpp"
#include "eth/tx_sender.hpp"

namespace dossier::core {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kIndexFormat = 1;
constexpr std::size_t kMaxLabel = 64;

/// Held for a read-modify-write of the account index.
class IndexLock {
public:
    explicit IndexLock(const Config& config) : lock_(config.data_dir / "accounts.lock") {}

private:
    FileLock lock_;
};

std::vector<AccountInfo> read_index(const Config& config) {
    const fs::path path = accounts_index_path(config);
    if (!fs::exists(path)) return {};
    const Bytes bytes = read_file(path);
    std::vector<AccountInfo> out;
    try {
        const json j = json::parse(as_chars(bytes));
        if (j.at("format").get<int>() != kIndexFormat)
            throw AccountError(ErrorCode::io,
                               "the account index '" + path.string() + "' has a format this version does not read");
        for (const auto& a : j.at("accounts")) {
            AccountInfo info;
            info.address = eth::Address::from_hex(a.at("address").get<std::string>());
            info.role = parse_role(a.at("role").get<std::string>());
            info.label = a.at("label").get<std::string>();
            info.keystore_file = config.keystore_dir() / a.at("keystore").get<std::string>();
            info.created = a.at("created").get<std::uint64_t>();
            out.push_back(std::move(info));
        }
    } catch (const json::exception& e) {
        throw AccountError(ErrorCode::io, "the account index '" + path.string() + "' is damaged: " + e.what());
    } catch (const DecodeError& e) {
        throw AccountError(ErrorCode::io, "the account index '" + path.string() + "' is damaged: " + e.what());
    }
    return out;
}

void write_index(const Config& config, const std::vector<AccountInfo>& accounts) {
    json list = json::array();
    for (const auto& a : accounts)
        list.push_back({{"address", a.address.to_checksum()},
                        {"role", std::string(role_name(a.role))},
                        {"label", a.label},
                        {"keystore", a.keystore_file.filename().string()},
                        {"created", a.created}});
    const json j = {{"format", kIndexFormat}, {"accounts", list}};
    write_file_atomic(accounts_index_path(config), as_bytes(j.dump(2) + "\n"), 0600);
}

bool looks_like_address(std::string_view text) {
    return text.size() == 42 && (text.starts_with("0x") || text.starts_with("0X"));
}

void check_label(std::string_view label) {
    if (label.empty() || label.size() > kMaxLabel)
        throw AccountError(ErrorCode::invalid_input,
                           "an account label must have 1 to " + std::to_string(kMaxLabel) + " characters");
    for (const char c : label)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            throw AccountError(ErrorCode::invalid_input, "an account label cannot contain control characters");
    if (looks_like_address(label))
        throw AccountError(ErrorCode::invalid_input, "an account label cannot look like an address");
}

void check_password(std::string_view password) {
    if (password.empty()) throw AccountError(ErrorCode::invalid_input, "the password must not be empty");
}

std::string describe(const AccountInfo& a) { return a.address.to_checksum() + " (" + a.label + ")"; }

/// Writes the keystore of a new account and adds it to the index, under the index lock.
AccountInfo add_account(const Config& config, eth::Keystore ks, const eth::Address& address, Role role,
                        std::string_view label) {
    check_label(label);
    const IndexLock lock(config);
    std::vector<AccountInfo> accounts = read_index(config);
    for (const auto& a : accounts) {
        if (a.address == address)
            throw AccountError(ErrorCode::already_exists, "account " + describe(a) + " exists already");
        if (a.label == label)
            throw AccountError(ErrorCode::already_exists,
                               "the label '" + std::string(label) + "' is taken by account " + a.address.to_checksum());
    }
    ks.address = address;
    AccountInfo info;
    info.address = address;
    info.role = role;
    info.label = std::string(label);
    info.created = static_cast<std::uint64_t>(std::time(nullptr));
    // The keystore first: a crash before the index is written leaves an importable file, never an
    // index entry without its key.
    info.keystore_file = eth::write_keystore_in_dir(config.keystore_dir(), ks);
    accounts.push_back(info);
    write_index(config, accounts);
    return info;
}

eth::ScryptParams kdf_or_default(const std::optional<eth::ScryptParams>& kdf) { return kdf ? *kdf : default_kdf(); }

}  // namespace

std::string_view role_name(Role role) noexcept {
    switch (role) {
        case Role::doctor: return "doctor";
        case Role::patient: return "patient";
        case Role::admin: return "admin";
    }
    return "patient";
}

Role parse_role(std::string_view text) {
    if (text == "doctor") return Role::doctor;
    if (text == "patient") return Role::patient;
    if (text == "admin") return Role::admin;
    throw AccountError(ErrorCode::invalid_input,
                       "unknown role '" + std::string(text) + "': use doctor, patient or admin");
}

bool light_kdf_allowed() noexcept {
#ifdef DOSSIER_LIGHT_KDF
    return true;
#else
    return false;
#endif
}

eth::ScryptParams default_kdf() {
    const char* v = std::getenv("DOSSIER_KDF");
    if (v == nullptr || *v == '\0' || std::string_view(v) == "standard") return eth::kStandardScrypt;
    if (std::string_view(v) == "light") {
        if (light_kdf_allowed()) return eth::kLightScrypt;
        throw AccountError(ErrorCode::invalid_input,
                           "DOSSIER_KDF=light is for test builds only: this build encrypts keys at the standard "
                           "cost; unset DOSSIER_KDF");
    }
    throw AccountError(ErrorCode::invalid_input, "DOSSIER_KDF must be 'standard'" +
                                                     std::string(light_kdf_allowed() ? " or 'light'" : "") +
                                                     ", not '" + std::string(v) + "'");
}

fs::path accounts_index_path(const Config& config) { return config.data_dir / "accounts.json"; }

AccountInfo create_account(const Config& config, Role role, std::string_view label, std::string_view password,
                           std::optional<eth::ScryptParams> kdf) {
    check_label(label);
    check_password(password);
    const eth::PrivateKey key = eth::PrivateKey::generate();
    return add_account(config, eth::encrypt_keystore(key, password, kdf_or_default(kdf)), key.address(), role, label);
}

AccountInfo import_keystore(const Config& config, const fs::path& file, std::string_view password, Role role,
                            std::string_view label, std::optional<eth::ScryptParams> kdf) {
    check_label(label);
    check_password(password);
    eth::Keystore ks = eth::read_keystore_file(file);
    eth::PrivateKey key = [&] {
        try {
            return ks.decrypt(password);
        } catch (const eth::WrongPasswordError&) {
            throw eth::WrongPasswordError("wrong password for the keystore '" + file.string() + "'");
        }
    }();
    // A weak derivation is what a stolen copy of the file would be attacked through: the key is
    // kept only under Dossier's own cost, with the password the user already chose.
    // Never weaker than the floor, even where the light test cost is in force.
    if (!eth::kdf_floor_met(ks)) {
        const eth::ScryptParams cost = kdf_or_default(kdf);
        ks = eth::encrypt_keystore(key, password, eth::kdf_floor_met(cost) ? cost : eth::kFloorScrypt);
    }
    return add_account(config, std::move(ks), key.address(), role, label);
}

AccountInfo import_private_key(const Config& config, std::string_view key_hex, std::string_view password, Role role,
                               std::string_view label, std::optional<eth::ScryptParams> kdf) {
    check_label(label);
    check_password(password);
    std::string_view text = key_hex;
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    const eth::PrivateKey key = [&] {
        try {
            return eth::PrivateKey::from_hex(text);
        } catch (const std::exception&) {
            // Never the text, nor its length or the position of a bad digit: a key with one typo
            // is still almost all of a secret.
            throw AccountError(ErrorCode::invalid_input,
                               "the private key is malformed: it must be 64 hex digits (with or without 0x) for a "
                               "valid secp256k1 key");
        }
    }();
    return add_account(config, eth::encrypt_keystore(key, password, kdf_or_default(kdf)), key.address(), role, label);
}

std::vector<AccountInfo> list_accounts(const Config& config) { return read_index(config); }

AccountInfo find_account(const Config& config, std::string_view who) {
    const auto accounts = read_index(config);
    if (looks_like_address(who)) {
        eth::Address address;
        try {
            address = eth::Address::from_hex(who);
        } catch (const DecodeError& e) {
            throw AccountError(ErrorCode::invalid_input,
                               "'" + std::string(who) + "' is not a valid address: " + e.what());
        }
        for (const auto& a : accounts)
            if (a.address == address) return a;
        throw AccountError(ErrorCode::not_found,
                           "no account " + address.to_checksum() + " in '" + config.data_dir.string() + "'");
    }
    for (const auto& a : accounts)
        if (a.label == who) return a;
    throw AccountError(ErrorCode::not_found,
                       "no account labelled '" + std::string(who) + "' in '" + config.data_dir.string() + "'");
}

eth::PrivateKey unlock(const Config& config, std::string_view who, std::string_view password) {
    const AccountInfo account = find_account(config, who);
    const eth::Keystore ks = eth::read_keystore_file(account.keystore_file);
    try {
        eth::PrivateKey key = ks.decrypt(password);
        if (key.address() != account.address)
            throw AccountError(ErrorCode::io,
                               "the keystore '" + account.keystore_file.string() + "' does not hold account " +
                               account.address.to_checksum());
        return key;
    } catch (const eth::WrongPasswordError&) {
        throw eth::WrongPasswordError("wrong password for account " + describe(account));
    }
}

fs::path export_account(const Config& config, std::string_view who, const fs::path& destination) {
    const AccountInfo account = find_account(config, who);
    std::error_code ec;
    const fs::path target = fs::is_directory(destination, ec) ? destination / account.keystore_file.filename() : destination;
    if (fs::exists(target, ec))
        throw AccountError(ErrorCode::already_exists, "'" + target.string() + "' exists already; not overwriting it");
    const Bytes content = read_file(account.keystore_file);
    write_file_atomic(target, content, 0600, Overwrite::forbid);
    return target;
}

std::string export_private_key(const Config& config, std::string_view who, std::string_view password) {
    const eth::PrivateKey key = unlock(config, who, password);
    return to_hex(key.secret());
}

eth::Receipt fund_account(Context& ctx, const eth::Address& to, const eth::U256& amount) {
    if (!ctx.config().embedded_chain())
        throw AccountError(ErrorCode::invalid_input,
                           "funding from the dev account works on the embedded chain only; on " + *ctx.config().rpc_url +
                           " send ether from a funded account instead");
    eth::TxRequest request;
    request.to = to;
    request.value = amount;
    return ctx.sender(embedded_dev_key()).send_and_wait(request);
}

eth::U256 ether(std::uint64_t n) { return eth::U256(n) * eth::U256(1'000'000'000'000'000'000ULL); }

}  // namespace dossier::core
