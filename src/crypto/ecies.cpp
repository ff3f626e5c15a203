#include "crypto/ecies.hpp"

#include <secp256k1.h>
#include <secp256k1_ecdh.h>

#include <cstring>
#include <string>

#include "crypto/hkdf.hpp"

namespace dossier::crypto {
namespace {

/// One context for the process: created once (thread-safe static initialisation), randomised
/// against side channels in key generation, then only read.
const secp256k1_context* context() {
    static const secp256k1_context* ctx = [] {
        secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
        if (c == nullptr) throw Error("libsecp256k1 could not create a context");
        SecretKey32 seed = SecretKey32::random();
        if (secp256k1_context_randomize(c, seed.data()) != 1) {
            secp256k1_context_destroy(c);
            throw Error("libsecp256k1 could not randomise its context");
        }
        return c;
    }();
    return ctx;
}

secp256k1_pubkey parse_xy(const PublicKeyXY& xy) {
    std::uint8_t buf[65];
    buf[0] = 0x04;
    std::memcpy(buf + 1, xy.data(), 64);
    secp256k1_pubkey pk;
    if (secp256k1_ec_pubkey_parse(context(), &pk, buf, sizeof buf) != 1)
        throw Error(ErrorCode::invalid_input, "the public key is not a point on secp256k1");
    return pk;
}

PublicKeyXY serialize_xy(const secp256k1_pubkey& pk) {
    std::uint8_t buf[65];
    std::size_t len = sizeof buf;
    (void)secp256k1_ec_pubkey_serialize(context(), buf, &len, &pk, SECP256K1_EC_UNCOMPRESSED);
    PublicKeyXY xy{};
    std::memcpy(xy.data(), buf + 1, 64);
    return xy;
}

secp256k1_pubkey pubkey_of(const SecretKey32& secret) {
    secp256k1_pubkey pk;
    if (secp256k1_ec_pubkey_create(context(), &pk, secret.data()) != 1)
        throw Error(ErrorCode::invalid_input, "the secret key is not a valid secp256k1 scalar");
    return pk;
}

int copy_x(unsigned char* output, const unsigned char* x32, const unsigned char*, void*) {
    std::memcpy(output, x32, 32);
    return 1;
}

SecretKey32 shared_x(const secp256k1_pubkey& pub, const SecretKey32& secret) {
    SecretKey32 z;
    if (secp256k1_ecdh(context(), z.data(), &pub, secret.data(), copy_x, nullptr) != 1)
        throw Error(ErrorCode::invalid_input, "the secret key is not a valid secp256k1 scalar");
    return z;
}

SecretKey32 derive_kek(const SecretKey32& z, const PublicKeyXY& ephemeral, const PublicKeyXY& recipient) {
    FixedBytes<128> salt{};
    std::memcpy(salt.data(), ephemeral.data(), 64);
    std::memcpy(salt.data() + 64, recipient.data(), 64);
    return hkdf_sha256_key(z.view(), salt, as_bytes(kEciesInfo));
}

constexpr std::size_t kEphOffset = 1;
constexpr std::size_t kNonceOffset = kEphOffset + 33;
constexpr std::size_t kCtOffset = kNonceOffset + kGcmNonceSize;
constexpr std::size_t kTagOffset = kCtOffset + 32;
static_assert(kTagOffset + kGcmTagSize == kKeyEnvelopeSize);

}  // namespace

FixedBytes<24> key_envelope_aad(const eth::Address& patient, std::uint32_t epoch) noexcept {
    FixedBytes<24> aad{};
    std::memcpy(aad.data(), patient.bytes.data(), 20);
    for (std::size_t i = 0; i < 4; ++i) aad[20 + i] = static_cast<std::uint8_t>(epoch >> (8 * (3 - i)));
    return aad;
}

PublicKeyXY public_key_of(const SecretKey32& secret) { return serialize_xy(pubkey_of(secret)); }

SecretKey32 ecdh_shared_x(const PublicKeyXY& pub, const SecretKey32& secret) {
    return shared_x(parse_xy(pub), secret);
}

KeyEnvelope wrap_key_with(const SecretKey32& data_key, const PublicKeyXY& recipient, ByteView aad,
                          const SecretKey32& ephemeral, const GcmNonce& nonce) {
    const secp256k1_pubkey r = parse_xy(recipient);
    const secp256k1_pubkey e = pubkey_of(ephemeral);
    const PublicKeyXY e_xy = serialize_xy(e);
    const SecretKey32 kek = derive_kek(shared_x(r, ephemeral), e_xy, recipient);

    KeyEnvelope env{};
    env[0] = kEciesVersion;
    std::size_t len = 33;
    (void)secp256k1_ec_pubkey_serialize(context(), env.data() + kEphOffset, &len, &e, SECP256K1_EC_COMPRESSED);
    std::memcpy(env.data() + kNonceOffset, nonce.data(), kGcmNonceSize);
    Aes256Gcm gcm(kek);
    const GcmTag tag = gcm.encrypt(nonce, aad, data_key.view(), std::span(env).subspan(kCtOffset, 32));
    std::memcpy(env.data() + kTagOffset, tag.data(), kGcmTagSize);
    return env;
}

KeyEnvelope wrap_key(const SecretKey32& data_key, const PublicKeyXY& recipient, ByteView aad) {
    SecretKey32 ephemeral;
    do {
        ephemeral = SecretKey32::random();
    } while (secp256k1_ec_seckey_verify(context(), ephemeral.data()) != 1);
    return wrap_key_with(data_key, recipient, aad, ephemeral, random_array<kGcmNonceSize>());
}

SecretKey32 unwrap_key(ByteView envelope, const SecretKey32& recipient_secret, ByteView aad) {
    if (envelope.size() != kKeyEnvelopeSize)
        throw MalformedEnvelopeError("a key envelope is " + std::to_string(kKeyEnvelopeSize) + " bytes, not " +
                                     std::to_string(envelope.size()));
    if (envelope[0] != kEciesVersion)
        throw MalformedEnvelopeError("unsupported key envelope version " + std::to_string(envelope[0]));
    secp256k1_pubkey e;
    if (secp256k1_ec_pubkey_parse(context(), &e, envelope.data() + kEphOffset, 33) != 1 ||
        (envelope[kEphOffset] != 0x02 && envelope[kEphOffset] != 0x03))
        throw MalformedEnvelopeError("the key envelope's ephemeral key is not a point on secp256k1");
    const PublicKeyXY recipient = public_key_of(recipient_secret);
    const SecretKey32 kek = derive_kek(shared_x(e, recipient_secret), serialize_xy(e), recipient);

    GcmNonce nonce{};
    std::memcpy(nonce.data(), envelope.data() + kNonceOffset, kGcmNonceSize);
    GcmTag tag{};
    std::memcpy(tag.data(), envelope.data() + kTagOffset, kGcmTagSize);
    SecretKey32 data_key;
    Aes256Gcm gcm(kek);
    if (!gcm.decrypt(nonce, aad, envelope.subspan(kCtOffset, 32), tag, data_key.mutable_view()))
        throw EnvelopeOpenError();
    return data_key;
}

KeyEnvelope wrap_key(const SecretKey32& data_key, const eth::PublicKey& recipient, ByteView aad) {
    return wrap_key(data_key, recipient.bytes(), aad);
}

SecretKey32 unwrap_key(ByteView envelope, const eth::PrivateKey& recipient, ByteView aad) {
    return unwrap_key(envelope, SecretKey32::from_bytes(recipient.secret()), aad);
}

SecretKey32 ecdh_shared_x(const eth::PublicKey& pub, const eth::PrivateKey& secret) {
    return ecdh_shared_x(pub.bytes(), SecretKey32::from_bytes(secret.secret()));
}

}  // namespace dossier::crypto
