#include "eth/keystore.hpp"

#include "base/atomic_file.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>

#include "base/hex.hpp"
#include "eth/keccak.hpp"
#include "eth/uint256.hpp"

namespace dossier::eth {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxFileSize = 64 * 1024;
constexpr std::uint32_t kMaxDklen = 128;

[[noreturn]] void bad(const std::string& field, const std::string& what) {
    throw KeystoreFormatError("keystore field '" + field + "' " + what);
}

/// A byte buffer wiped on destruction (derived keys, plaintext).
struct SecretBuffer {
    Bytes bytes;
    explicit SecretBuffer(std::size_t n) : bytes(n) {}
    ~SecretBuffer() { sodium_memzero(bytes.data(), bytes.size()); }
    SecretBuffer(const SecretBuffer&) = delete;
    SecretBuffer& operator=(const SecretBuffer&) = delete;
};

void ensure_sodium() {
    static const int ok = sodium_init();  // selects the fastest scrypt implementation for this CPU
    if (ok < 0) throw KeystoreError("libsodium failed to initialise");
}

const json& field(const json& obj, const char* name, const std::string& path) {
    const auto it = obj.find(name);
    if (it == obj.end()) bad(path + name, "is missing");
    return *it;
}

std::uint64_t uint_field(const json& obj, const char* name, const std::string& path) {
    const json& v = field(obj, name, path);
    if (v.is_number_unsigned()) return v.get<std::uint64_t>();
    if (v.is_number_integer() && v.get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(v.get<std::int64_t>());
    bad(path + name, "must be a non-negative integer");
}

const std::string& string_field(const json& obj, const char* name, const std::string& path) {
    const json& v = field(obj, name, path);
    if (!v.is_string()) bad(path + name, "must be a string");
    return v.get_ref<const std::string&>();
}

Bytes hex_field(const json& obj, const char* name, const std::string& path) {
    try {
        return from_hex(string_field(obj, name, path));
    } catch (const DecodeError&) {
        bad(path + name, "is not valid hex");
    }
}

template <std::size_t N>
FixedBytes<N> fixed_hex_field(const json& obj, const char* name, const std::string& path) {
    const Bytes b = hex_field(obj, name, path);
    if (b.size() != N) bad(path + name, "must be " + std::to_string(N) + " bytes");
    FixedBytes<N> out{};
    std::memcpy(out.data(), b.data(), N);
    return out;
}

void check_limits(const Keystore& ks, const KdfLimits& limits) {
    if (ks.kdf == Keystore::Kdf::pbkdf2) {
        if (ks.pbkdf2_iterations > limits.max_pbkdf2_iterations)
            throw KdfTooExpensiveError("keystore asks for " + std::to_string(ks.pbkdf2_iterations) +
                                       " PBKDF2 iterations, more than the allowed " +
                                       std::to_string(limits.max_pbkdf2_iterations));
        return;
    }
    // scrypt holds N blocks of 128 * r bytes, plus p more for its parallel lanes.
    const U256 memory = (U256(ks.scrypt.n) + ks.scrypt.p) * ks.scrypt.r * 128;
    const U256 work = U256(ks.scrypt.n) * ks.scrypt.r * ks.scrypt.p;
    if (memory > limits.max_scrypt_memory)
        throw KdfTooExpensiveError("keystore's scrypt parameters (n=" + std::to_string(ks.scrypt.n) + ", r=" +
                                   std::to_string(ks.scrypt.r) + ") need more memory than the allowed " +
                                   std::to_string(limits.max_scrypt_memory >> 20) + " MiB");
    if (work > limits.max_scrypt_work)
        throw KdfTooExpensiveError("keystore's scrypt parameters (n=" + std::to_string(ks.scrypt.n) + ", r=" +
                                   std::to_string(ks.scrypt.r) + ", p=" + std::to_string(ks.scrypt.p) +
                                   ") demand more work than allowed");
}

void derive_key(const Keystore& ks, std::string_view password, Bytes& out) {
    const auto* pw = reinterpret_cast<const std::uint8_t*>(password.data());
    if (ks.kdf == Keystore::Kdf::scrypt) {
        ensure_sodium();
        if (crypto_pwhash_scryptsalsa208sha256_ll(pw, password.size(), ks.salt.data(), ks.salt.size(), ks.scrypt.n,
                                                  ks.scrypt.r, ks.scrypt.p, out.data(), out.size()) != 0)
            throw KeystoreError("scrypt failed (parameters unsupported or out of memory)");
        return;
    }
    if (ks.pbkdf2_iterations > static_cast<std::uint64_t>(std::numeric_limits<int>::max()) ||
        password.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
        ks.salt.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw KdfTooExpensiveError("keystore PBKDF2 parameters are too large");
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), ks.salt.data(),
                          static_cast<int>(ks.salt.size()), static_cast<int>(ks.pbkdf2_iterations), EVP_sha256(),
                          static_cast<int>(out.size()), out.data()) != 1)
        throw KeystoreError("PBKDF2 failed");
}

/// AES-128-CTR (encryption and decryption are the same operation).
void aes128_ctr(ByteView key, const FixedBytes<16>& iv, ByteView in, Bytes& out) {
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    out.resize(in.size());
    int len = 0, fin = 0;
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_ctr(), nullptr, key.data(), iv.data()) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out.data(), &len, in.data(), static_cast<int>(in.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), out.data() + len, &fin) != 1)
        throw KeystoreError("AES-128-CTR failed");
}

Bytes32 compute_mac(ByteView derived, ByteView ciphertext) {
    Keccak256 h;
    h.update(derived.subspan(16, 16));
    h.update(ciphertext);
    return h.final();
}

std::string uuid_v4() {
    FixedBytes<16> b{};
    random_bytes(b);
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
    const std::string h = to_hex_raw(b);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

[[noreturn]] void io_error(const std::string& what, const std::filesystem::path& path) {
    throw KeystoreError(ErrorCode::io, what + " '" + path.string() + "': " + std::strerror(errno));
}

}  // namespace

Keystore Keystore::parse(std::string_view json_text) {
    json j;
    try {
        j = json::parse(json_text);
    } catch (const json::exception&) {
        throw KeystoreFormatError("keystore is not valid JSON");
    }
    if (!j.is_object()) throw KeystoreFormatError("keystore must be a JSON object");
    Keystore ks;
    if (uint_field(j, "version", "") != 3) bad("version", "must be 3");
    if (const auto id = j.find("id"); id != j.end()) {
        if (!id->is_string()) bad("id", "must be a string");
        ks.id = id->get<std::string>();
    }
    if (const auto addr = j.find("address"); addr != j.end() && !addr->is_null()) {
        if (!addr->is_string()) bad("address", "must be a string");
        std::string text = addr->get<std::string>();
        if (text.size() == 40) text = "0x" + text;
        try {
            ks.address = Address::from_hex(text);
        } catch (const DecodeError&) {
            bad("address", "is not a valid address");
        }
    }
    // geth and MyEtherWallet have written "Crypto"; Go's JSON decoding is case-insensitive.
    auto crypto_it = j.find("crypto");
    if (crypto_it == j.end()) crypto_it = j.find("Crypto");
    if (crypto_it == j.end()) bad("crypto", "is missing");
    const json& crypto = *crypto_it;
    if (!crypto.is_object()) bad("crypto", "must be an object");
    const std::string c = "crypto.";

    if (string_field(crypto, "cipher", c) != "aes-128-ctr") bad("crypto.cipher", "must be \"aes-128-ctr\"");
    const json& cipherparams = field(crypto, "cipherparams", c);
    if (!cipherparams.is_object()) bad("crypto.cipherparams", "must be an object");
    ks.iv = fixed_hex_field<16>(cipherparams, "iv", "crypto.cipherparams.");
    ks.ciphertext = hex_field(crypto, "ciphertext", c);
    if (ks.ciphertext.size() != 32) bad("crypto.ciphertext", "must be 32 bytes (an encrypted private key)");
    ks.mac = fixed_hex_field<32>(crypto, "mac", c);

    const std::string& kdf = string_field(crypto, "kdf", c);
    const json& params = field(crypto, "kdfparams", c);
    if (!params.is_object()) bad("crypto.kdfparams", "must be an object");
    const std::string p = "crypto.kdfparams.";
    const std::uint64_t dklen = uint_field(params, "dklen", p);
    if (dklen < 32 || dklen > kMaxDklen) bad("crypto.kdfparams.dklen", "must be between 32 and 128");
    ks.dklen = static_cast<std::uint32_t>(dklen);
    ks.salt = hex_field(params, "salt", p);
    if (kdf == "scrypt") {
        ks.kdf = Kdf::scrypt;
        ks.scrypt.n = uint_field(params, "n", p);
        if (ks.scrypt.n < 2 || (ks.scrypt.n & (ks.scrypt.n - 1)) != 0)
            bad("crypto.kdfparams.n", "must be a power of two greater than 1");
        const std::uint64_t r = uint_field(params, "r", p);
        const std::uint64_t pp = uint_field(params, "p", p);
        if (r == 0 || r > 0xffffffffULL) bad("crypto.kdfparams.r", "must be a positive 32-bit integer");
        if (pp == 0 || pp > 0xffffffffULL) bad("crypto.kdfparams.p", "must be a positive 32-bit integer");
        if (r * pp >= (1ULL << 30)) bad("crypto.kdfparams.p", "r * p must be below 2^30 (RFC 7914)");
        ks.scrypt.r = static_cast<std::uint32_t>(r);
        ks.scrypt.p = static_cast<std::uint32_t>(pp);
    } else if (kdf == "pbkdf2") {
        ks.kdf = Kdf::pbkdf2;
        if (string_field(params, "prf", p) != "hmac-sha256") bad("crypto.kdfparams.prf", "must be \"hmac-sha256\"");
        ks.pbkdf2_iterations = uint_field(params, "c", p);
        if (ks.pbkdf2_iterations == 0) bad("crypto.kdfparams.c", "must be positive");
    } else {
        bad("crypto.kdf", "must be \"scrypt\" or \"pbkdf2\"");
    }
    return ks;
}

std::string Keystore::to_json() const {
    json kdfparams;
    kdfparams["dklen"] = dklen;
    kdfparams["salt"] = to_hex_raw(salt);
    if (kdf == Kdf::scrypt) {
        kdfparams["n"] = scrypt.n;
        kdfparams["r"] = scrypt.r;
        kdfparams["p"] = scrypt.p;
    } else {
        kdfparams["c"] = pbkdf2_iterations;
        kdfparams["prf"] = "hmac-sha256";
    }
    json j;
    if (address) j["address"] = to_hex_raw(address->bytes);
    j["crypto"] = {{"cipher", "aes-128-ctr"},
                   {"ciphertext", to_hex_raw(ciphertext)},
                   {"cipherparams", {{"iv", to_hex_raw(iv)}}},
                   {"kdf", kdf == Kdf::scrypt ? "scrypt" : "pbkdf2"},
                   {"kdfparams", kdfparams},
                   {"mac", to_hex_raw(mac)}};
    j["id"] = id;
    j["version"] = 3;
    return j.dump();
}

PrivateKey Keystore::decrypt(std::string_view password, const KdfLimits& limits) const {
    if (ciphertext.size() != 32) throw KeystoreFormatError("keystore field 'crypto.ciphertext' must be 32 bytes");
    if (dklen < 32 || dklen > kMaxDklen) throw KeystoreFormatError("keystore field 'crypto.kdfparams.dklen' must be between 32 and 128");
    check_limits(*this, limits);
    SecretBuffer derived(dklen);
    derive_key(*this, password, derived.bytes);
    const Bytes32 expected = compute_mac(derived.bytes, ciphertext);
    if (sodium_memcmp(expected.data(), mac.data(), mac.size()) != 0)
        throw WrongPasswordError("wrong password for this keystore (or its ciphertext or MAC was altered)");
    SecretBuffer plain(32);
    aes128_ctr(ByteView(derived.bytes).first(16), iv, ciphertext, plain.bytes);
    std::optional<PrivateKey> key;
    try {
        key.emplace(PrivateKey::from_bytes(plain.bytes));
    } catch (const KeyError&) {
        throw KeystoreFormatError("keystore decrypts to a value that is not a valid private key");
    }
    if (address && key->address() != *address)
        throw KeystoreFormatError("keystore field 'address' does not match the decrypted key");
    return std::move(*key);
}

bool kdf_floor_met(const ScryptParams& params) noexcept {
    // scrypt's cost grows with N * r: the floor is N = 2^14 at the r = 8 every wallet writes.
    return params.n >= kMinScryptN && U256(params.n) * params.r >= U256(kMinScryptN) * 8;
}

bool kdf_floor_met(const Keystore& ks) noexcept {
    if (ks.kdf == Keystore::Kdf::pbkdf2) return ks.pbkdf2_iterations >= kMinPbkdf2Iterations;
    return kdf_floor_met(ks.scrypt);
}

Keystore encrypt_keystore(const PrivateKey& key, std::string_view password, const ScryptParams& params) {
    Keystore ks;
    ks.kdf = Keystore::Kdf::scrypt;
    ks.scrypt = params;
    ks.dklen = 32;
    ks.salt.resize(32);
    random_bytes(ks.salt);
    random_bytes(ks.iv);
    ks.id = uuid_v4();
    ks.address = key.address();
    SecretBuffer derived(32);
    derive_key(ks, password, derived.bytes);
    aes128_ctr(ByteView(derived.bytes).first(16), ks.iv, key.secret(), ks.ciphertext);
    ks.mac = compute_mac(derived.bytes, ks.ciphertext);
    return ks;
}

PrivateKey decrypt_keystore(std::string_view json_text, std::string_view password, const KdfLimits& limits) {
    return Keystore::parse(json_text).decrypt(password, limits);
}

Keystore read_keystore_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) io_error("cannot open keystore", path);
    std::string text(kMaxFileSize + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) io_error("cannot read keystore", path);
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxFileSize)
        throw KeystoreFormatError("'" + path.string() + "' is larger than 64 KiB: not a keystore");
    return Keystore::parse(text);
}

void write_keystore_file(const std::filesystem::path& path, const Keystore& ks) {
    // Mode 0600, fsync'd, moved into place atomically; an existing keystore is never replaced,
    // even by a concurrent writer.
    try {
        write_file_atomic(path, as_bytes(ks.to_json()), 0600, Overwrite::forbid);
    } catch (const FileError& e) {
        if (std::filesystem::exists(path))
            throw KeystoreError(ErrorCode::already_exists,
                                "keystore '" + path.string() + "' already exists; not overwriting it");
        throw KeystoreError(ErrorCode::io, std::string("cannot write keystore: ") + e.what());
    }
}

std::string keystore_file_name(const Address& address) {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    const auto nanos =
        std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count() % 1'000'000'000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "UTC--%04d-%02d-%02dT%02d-%02d-%02d.%09lldZ--", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(nanos));
    return buf + to_hex_raw(address.bytes);
}

std::filesystem::path write_keystore_in_dir(const std::filesystem::path& dir, const Keystore& ks) {
    if (!ks.address)
        throw KeystoreError(ErrorCode::invalid_input, "a keystore written into a directory needs its address field");
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) {
        std::filesystem::create_directories(dir, ec);
        if (ec)
            throw KeystoreError(ErrorCode::io,
                                "cannot create keystore directory '" + dir.string() + "': " + ec.message());
        std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
    }
    const std::filesystem::path path = dir / keystore_file_name(*ks.address);
    write_keystore_file(path, ks);
    return path;
}

}  // namespace dossier::eth
