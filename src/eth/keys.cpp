#include "eth/keys.hpp"

#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <sodium.h>
#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <ostream>
#include <string>

#include "base/hex.hpp"
#include "eth/keccak.hpp"

namespace dossier::eth {
namespace {

/// n/2 for the secp256k1 group order n, big-endian: the largest s Ethereum accepts.
constexpr Bytes32 kHalfOrder = {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                0xff, 0xff, 0xff, 0xff, 0xff, 0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4,
                                0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};

/// One context for the whole process, created once (thread-safe static initialisation) and
/// randomised against side channels; libsecp256k1 contexts are safe to share between threads for
/// every call that does not modify them, which is every call made here.
const secp256k1_context* context() {
    static const secp256k1_context* const ctx = [] {
        secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
        if (c == nullptr) throw Error("libsecp256k1: cannot create a context");
        Bytes32 seed{};
        random_bytes(seed);
        if (secp256k1_context_randomize(c, seed.data()) != 1) throw Error("libsecp256k1: cannot randomise the context");
        sodium_memzero(seed.data(), seed.size());
        return c;
    }();
    return ctx;
}

PublicKey serialize_into(const secp256k1_pubkey& pk, FixedBytes<65>& out65) {
    std::size_t len = out65.size();
    secp256k1_ec_pubkey_serialize(secp256k1_context_static, out65.data(), &len, &pk, SECP256K1_EC_UNCOMPRESSED);
    return PublicKey::from_bytes(out65);
}

}  // namespace

void random_bytes(std::span<std::uint8_t> out) {
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(std::string("getrandom failed: ") + std::strerror(errno));
        }
        done += static_cast<std::size_t>(n);
    }
}

// ---- PublicKey ----

PublicKey PublicKey::from_bytes(ByteView bytes) {
    FixedBytes<65> buf{};
    const unsigned char* input = bytes.data();
    std::size_t input_len = bytes.size();
    if (bytes.size() == 64) {
        buf[0] = 0x04;
        std::memcpy(buf.data() + 1, bytes.data(), 64);
        input = buf.data();
        input_len = 65;
    } else if (!((bytes.size() == 65 && bytes[0] == 0x04) ||
                 (bytes.size() == 33 && (bytes[0] == 0x02 || bytes[0] == 0x03)))) {
        throw KeyError("a public key is 64 bytes (x||y), 65 bytes (0x04||x||y) or 33 bytes (compressed); got " +
                       std::to_string(bytes.size()));
    }
    secp256k1_pubkey pk;
    if (secp256k1_ec_pubkey_parse(secp256k1_context_static, &pk, input, input_len) != 1)
        throw KeyError("public key is not a point on secp256k1");
    FixedBytes<65> out{};
    std::size_t len = out.size();
    secp256k1_ec_pubkey_serialize(secp256k1_context_static, out.data(), &len, &pk, SECP256K1_EC_UNCOMPRESSED);
    PublicKey key;
    std::memcpy(key.xy_.data(), out.data() + 1, 64);
    return key;
}

PublicKey PublicKey::from_hex(std::string_view hex) {
    try {
        return from_bytes(dossier::from_hex(hex));
    } catch (const DecodeError& e) {
        throw KeyError(std::string("public key: ") + e.what());
    }
}

FixedBytes<65> PublicKey::uncompressed() const noexcept {
    FixedBytes<65> out{};
    out[0] = 0x04;
    std::memcpy(out.data() + 1, xy_.data(), 64);
    return out;
}

FixedBytes<33> PublicKey::compressed() const noexcept {
    FixedBytes<33> out{};
    out[0] = (xy_[63] & 1) ? 0x03 : 0x02;
    std::memcpy(out.data() + 1, xy_.data(), 32);
    return out;
}

Address PublicKey::address() const noexcept {
    const Bytes32 h = keccak256(xy_);
    Address a;
    std::memcpy(a.bytes.data(), h.data() + 12, 20);
    return a;
}

Address address_of(const PublicKey& key) noexcept { return key.address(); }

// ---- PrivateKey ----

PrivateKey PrivateKey::generate() {
    Bytes32 secret{};
    for (;;) {
        random_bytes(secret);
        if (secp256k1_ec_seckey_verify(secp256k1_context_static, secret.data()) == 1) break;
    }
    PrivateKey key(secret);
    sodium_memzero(secret.data(), secret.size());
    return key;
}

PrivateKey PrivateKey::from_bytes(ByteView secret) {
    if (secret.size() != 32)
        throw KeyError("a private key is 32 bytes, got " + std::to_string(secret.size()));
    if (secp256k1_ec_seckey_verify(secp256k1_context_static, secret.data()) != 1)
        throw KeyError("private key is out of range (zero or not below the secp256k1 group order)");
    Bytes32 s{};
    std::memcpy(s.data(), secret.data(), 32);
    PrivateKey key(s);
    sodium_memzero(s.data(), s.size());
    return key;
}

PrivateKey PrivateKey::from_hex(std::string_view hex) {
    Bytes b;
    try {
        b = dossier::from_hex(hex);
    } catch (const DecodeError&) {
        throw KeyError("private key text is not hex");  // never echo the text: it may be a secret
    }
    try {
        PrivateKey key = from_bytes(b);
        sodium_memzero(b.data(), b.size());
        return key;
    } catch (...) {
        sodium_memzero(b.data(), b.size());
        throw;
    }
}

PrivateKey::PrivateKey(PrivateKey&& other) noexcept : secret_(other.secret_) {
    sodium_memzero(other.secret_.data(), other.secret_.size());
}

PrivateKey& PrivateKey::operator=(PrivateKey&& other) noexcept {
    if (this != &other) {
        sodium_memzero(secret_.data(), secret_.size());
        std::memcpy(secret_.data(), other.secret_.data(), secret_.size());
        sodium_memzero(other.secret_.data(), other.secret_.size());
    }
    return *this;
}

PrivateKey::~PrivateKey() { sodium_memzero(secret_.data(), secret_.size()); }

// A valid secret is never zero (from_bytes() rejects it), so all zeros marks a moved-from key.
bool PrivateKey::empty() const noexcept { return sodium_is_zero(secret_.data(), secret_.size()) == 1; }

const Bytes32& PrivateKey::checked() const {
    if (empty()) throw Error(ErrorCode::internal, "use of a moved-from (empty) PrivateKey");
    return secret_;
}

const Bytes32& PrivateKey::secret() const { return checked(); }

PrivateKey PrivateKey::clone() const { return PrivateKey(checked()); }

bool PrivateKey::operator==(const PrivateKey& other) const {
    return sodium_memcmp(checked().data(), other.checked().data(), secret_.size()) == 0;
}

std::ostream& operator<<(std::ostream& os, const PrivateKey&) { return os << "PrivateKey(<redacted>)"; }

PublicKey PrivateKey::public_key() const {
    secp256k1_pubkey pk;
    if (secp256k1_ec_pubkey_create(context(), &pk, checked().data()) != 1)
        throw KeyError("private key is out of range");
    FixedBytes<65> out{};
    return serialize_into(pk, out);
}

Address PrivateKey::address() const { return public_key().address(); }

// ---- Signature ----

FixedBytes<65> Signature::to_bytes() const noexcept {
    FixedBytes<65> out{};
    std::memcpy(out.data(), r.data(), 32);
    std::memcpy(out.data() + 32, s.data(), 32);
    out[64] = static_cast<std::uint8_t>(27 + recovery_id);
    return out;
}

Signature Signature::from_bytes(ByteView bytes) {
    if (bytes.size() != 65) throw KeyError("a signature is 65 bytes (r||s||v), got " + std::to_string(bytes.size()));
    Signature sig;
    std::memcpy(sig.r.data(), bytes.data(), 32);
    std::memcpy(sig.s.data(), bytes.data() + 32, 32);
    const std::uint8_t v = bytes[64];
    if (v == 27 || v == 28) sig.recovery_id = static_cast<std::uint8_t>(v - 27);
    else if (v == 0 || v == 1) sig.recovery_id = v;
    else throw KeyError("signature v must be 27, 28, 0 or 1; got " + std::to_string(v));
    return sig;
}

Signature Signature::from_hex(std::string_view hex) {
    try {
        return from_bytes(dossier::from_hex(hex));
    } catch (const DecodeError& e) {
        throw KeyError(std::string("signature: ") + e.what());
    }
}

bool Signature::has_low_s() const noexcept {
    return std::memcmp(s.data(), kHalfOrder.data(), 32) <= 0;
}

Signature sign_hash(const PrivateKey& key, const Bytes32& hash) {
    secp256k1_ecdsa_recoverable_signature rsig;
    // nullptr nonce function = secp256k1_nonce_function_rfc6979 (the default).
    if (secp256k1_ecdsa_sign_recoverable(context(), &rsig, hash.data(), key.secret().data(), nullptr, nullptr) != 1)
        throw KeyError("signing failed: private key is out of range");
    FixedBytes<64> compact{};
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(secp256k1_context_static, compact.data(), &recid, &rsig);
    Signature sig;
    std::memcpy(sig.r.data(), compact.data(), 32);
    std::memcpy(sig.s.data(), compact.data() + 32, 32);
    sig.recovery_id = static_cast<std::uint8_t>(recid);
    return sig;
}

PublicKey recover(const Bytes32& hash, const Signature& sig) {
    if (sig.recovery_id > 1) throw KeyError("signature recovery id must be 0 or 1");
    if (!sig.has_low_s()) throw KeyError("signature has a high s value (not accepted since EIP-2)");
    FixedBytes<64> compact{};
    std::memcpy(compact.data(), sig.r.data(), 32);
    std::memcpy(compact.data() + 32, sig.s.data(), 32);
    secp256k1_ecdsa_recoverable_signature rsig;
    if (secp256k1_ecdsa_recoverable_signature_parse_compact(secp256k1_context_static, &rsig, compact.data(),
                                                            sig.recovery_id) != 1)
        throw KeyError("signature r or s is not below the secp256k1 group order");
    secp256k1_pubkey pk;
    if (secp256k1_ecdsa_recover(context(), &pk, &rsig, hash.data()) != 1)
        throw KeyError("no public key recovers from this signature");
    FixedBytes<65> out{};
    return serialize_into(pk, out);
}

Address recover_address(const Bytes32& hash, const Signature& sig) { return recover(hash, sig).address(); }

Bytes32 personal_message_hash(ByteView message) {
    Keccak256 h;
    const std::string prefix = "\x19" "Ethereum Signed Message:\n" + std::to_string(message.size());
    h.update(as_bytes(prefix));
    // An empty span may carry a null pointer, which Keccak256::update (as of this writing) would
    // hand to memcpy after the buffered prefix; there is nothing to absorb anyway.
    if (!message.empty()) h.update(message);
    return h.final();
}

Signature sign_personal_message(const PrivateKey& key, ByteView message) {
    return sign_hash(key, personal_message_hash(message));
}

}  // namespace dossier::eth
