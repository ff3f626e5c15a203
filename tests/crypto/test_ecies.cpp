#include <gtest/gtest.h>

#include <random>

#include "base/hex.hpp"
#include "crypto/ecies.hpp"
#include "node_ref.hpp"
#include "support/error_code.hpp"

using namespace dossier;
using namespace dossier::crypto;

namespace {

SecretKey32 valid_secret() {
    // Random 32 bytes are a valid scalar except with probability ~2^-128; public_key_of checks.
    SecretKey32 s = SecretKey32::random();
    (void)public_key_of(s);
    return s;
}

const Bytes kAad = from_hex("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00000003");  // patient || epoch

}  // namespace

TEST(Ecies, GeneratorPublicKey) {
    const SecretKey32 one = SecretKey32::from_bytes(from_hex("0x" + std::string(63, '0') + "1"));
    EXPECT_EQ(to_hex(public_key_of(one)),
              "0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b4"
              "48a68554199c47d08ffb10d4b8");
    test::expect_code([&] { (void)public_key_of(SecretKey32{}); }, ErrorCode::invalid_input);
    // The group order n itself is not a valid scalar.
    test::expect_code(
        [&] {
            (void)public_key_of(
                SecretKey32::from_bytes(from_hex("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")));
        },
        ErrorCode::invalid_input);
}

TEST(Ecies, SharedSecretIsSymmetric) {
    for (int i = 0; i < 20; ++i) {
        const SecretKey32 a = valid_secret(), b = valid_secret();
        EXPECT_TRUE(ecdh_shared_x(public_key_of(b), a) == ecdh_shared_x(public_key_of(a), b));
    }
}

TEST(Ecies, RoundTripAndFormat) {
    const SecretKey32 recipient = valid_secret();
    const PublicKeyXY pub = public_key_of(recipient);
    for (int i = 0; i < 20; ++i) {
        const SecretKey32 data_key = SecretKey32::random();
        const KeyEnvelope env = wrap_key(data_key, pub, kAad);
        ASSERT_EQ(env.size(), 94u);
        EXPECT_EQ(env[0], 1);
        EXPECT_TRUE(env[1] == 0x02 || env[1] == 0x03);
        EXPECT_TRUE(unwrap_key(env, recipient, kAad) == data_key);
        EXPECT_NE(wrap_key(data_key, pub, kAad), env);  // fresh ephemeral key each time
    }
}

TEST(Ecies, EnvelopeContextIsPatientAndEpoch) {
    const auto patient = eth::Address::from_hex("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    EXPECT_EQ(to_hex(key_envelope_aad(patient, 3)), to_hex(kAad));
    EXPECT_EQ(to_hex(key_envelope_aad(patient, 0x01020304)).substr(42), "01020304");
    const eth::PrivateKey doctor = eth::PrivateKey::generate();
    const SecretKey32 data_key = SecretKey32::random();
    const KeyEnvelope env = wrap_key(data_key, doctor.public_key(), key_envelope_aad(patient, 3));
    EXPECT_TRUE(unwrap_key(env, doctor, key_envelope_aad(patient, 3)) == data_key);
    EXPECT_THROW((void)unwrap_key(env, doctor, key_envelope_aad(patient, 4)), EnvelopeOpenError);
    const auto other = eth::Address::from_hex("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
    EXPECT_THROW((void)unwrap_key(env, doctor, key_envelope_aad(other, 3)), EnvelopeOpenError);
}

TEST(Ecies, WorksWithAccountKeys) {
    const eth::PrivateKey doctor = eth::PrivateKey::generate();
    const SecretKey32 data_key = SecretKey32::random();
    const KeyEnvelope env = wrap_key(data_key, doctor.public_key(), kAad);
    EXPECT_TRUE(unwrap_key(env, doctor, kAad) == data_key);
    EXPECT_THROW((void)unwrap_key(env, eth::PrivateKey::generate(), kAad), EnvelopeOpenError);
    // The same scalar through either interface.
    const SecretKey32 raw = SecretKey32::from_bytes(doctor.secret());
    EXPECT_EQ(public_key_of(raw), doctor.public_key().bytes());
    const eth::PrivateKey other = eth::PrivateKey::generate();
    EXPECT_TRUE(ecdh_shared_x(other.public_key(), doctor) == ecdh_shared_x(doctor.public_key(), other));
}

TEST(Ecies, WrongKeyAndWrongContextFail) {
    const SecretKey32 recipient = valid_secret();
    const SecretKey32 data_key = SecretKey32::random();
    const KeyEnvelope env = wrap_key(data_key, public_key_of(recipient), kAad);
    EXPECT_THROW((void)unwrap_key(env, valid_secret(), kAad), EnvelopeOpenError);
    Bytes other = kAad;
    other.back() ^= 1;  // another epoch
    EXPECT_THROW((void)unwrap_key(env, recipient, other), EnvelopeOpenError);
    EXPECT_THROW((void)unwrap_key(env, recipient, {}), EnvelopeOpenError);
    test::expect_code([&] { (void)unwrap_key(env, SecretKey32{}, kAad); }, ErrorCode::invalid_input);
}

TEST(Ecies, TamperingAnyByteOrBitFails) {
    const SecretKey32 recipient = valid_secret();
    const SecretKey32 data_key = SecretKey32::random();
    const KeyEnvelope env = wrap_key(data_key, public_key_of(recipient), kAad);
    int malformed = 0, refused = 0;
    for (std::size_t i = 0; i < env.size(); ++i) {
        for (int bit = 0; bit < 8; ++bit) {
            KeyEnvelope bad = env;
            bad[i] ^= static_cast<std::uint8_t>(1u << bit);
            try {
                (void)unwrap_key(bad, recipient, kAad);
                ADD_FAILURE() << "byte " << i << " bit " << bit << " accepted";
            } catch (const MalformedEnvelopeError&) {
                EXPECT_LT(i, 34u) << "only the version and the ephemeral key are parsed";
                ++malformed;
            } catch (const EnvelopeOpenError&) {
                EXPECT_GE(i, 1u);
                ++refused;
            }
        }
    }
    EXPECT_GT(malformed, 8);  // the version byte, the point prefix, and x values that are off the curve
    EXPECT_GT(refused, 60 * 8);
}

TEST(Ecies, MalformedEnvelopes) {
    const SecretKey32 recipient = valid_secret();
    const KeyEnvelope env = wrap_key(SecretKey32::random(), public_key_of(recipient), kAad);
    EXPECT_THROW((void)unwrap_key(ByteView(env).first(93), recipient, kAad), MalformedEnvelopeError);
    Bytes longer(env.begin(), env.end());
    longer.push_back(0);
    EXPECT_THROW((void)unwrap_key(longer, recipient, kAad), MalformedEnvelopeError);
    EXPECT_THROW((void)unwrap_key(Bytes{}, recipient, kAad), MalformedEnvelopeError);
    KeyEnvelope v2 = env;
    v2[0] = 2;
    EXPECT_THROW((void)unwrap_key(v2, recipient, kAad), MalformedEnvelopeError);
    KeyEnvelope uncompressed_prefix = env;
    uncompressed_prefix[1] = 0x04;
    EXPECT_THROW((void)unwrap_key(uncompressed_prefix, recipient, kAad), MalformedEnvelopeError);
    PublicKeyXY off_curve{};
    off_curve[63] = 1;
    test::expect_code([&] { (void)wrap_key(SecretKey32::random(), off_curve, kAad); }, ErrorCode::invalid_input);
}

// Differential: the ECDH x-coordinate and public keys against node's crypto.createECDH('secp256k1')
// (node's bundled OpenSSL), on 100 random key pairs.
TEST(Ecies, SharedSecretMatchesNode) {
    nlohmann::json reqs = nlohmann::json::array();
    std::vector<std::pair<SecretKey32, SecretKey32>> pairs;
    for (int i = 0; i < 100; ++i) {
        pairs.emplace_back(valid_secret(), valid_secret());
        const auto& [a, b] = pairs.back();
        reqs.push_back({{"op", "ecdh"}, {"secret", to_hex_raw(a.view())}, {"pub", to_hex_raw(public_key_of(b))}});
        reqs.push_back({{"op", "pubkey"}, {"secret", to_hex_raw(a.view())}});
    }
    const auto res = test::node_crypto_ref(reqs);
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const auto& [a, b] = pairs[i];
        EXPECT_EQ(to_hex_raw(ecdh_shared_x(public_key_of(b), a).view()), res[2 * i]["x"].get<std::string>());
        EXPECT_EQ(to_hex_raw(public_key_of(a)), res[2 * i + 1]["pub"].get<std::string>());
    }
}

// Differential: the envelope format re-implemented in JavaScript from this header's description
// (node's ECDH, hkdfSync and AES-256-GCM) gives byte-identical envelopes for the same ephemeral
// key and nonce, opens envelopes made here, and makes envelopes that open here.
TEST(Ecies, EnvelopeMatchesIndependentImplementation) {
    struct Case {
        SecretKey32 recipient, data_key, eph;
        GcmNonce nonce;
        Bytes aad;
        KeyEnvelope random_env;
    };
    std::vector<Case> cases;
    nlohmann::json reqs = nlohmann::json::array();
    std::mt19937_64 rng(3);
    for (int i = 0; i < 50; ++i) {
        Case c{valid_secret(), SecretKey32::random(), valid_secret(), random_array<12>(), random_bytes(rng() % 60), {}};
        const PublicKeyXY pub = public_key_of(c.recipient);
        c.random_env = wrap_key(c.data_key, pub, c.aad);
        reqs.push_back({{"op", "ecies_wrap"},
                        {"pub", to_hex_raw(pub)},
                        {"key", to_hex_raw(c.data_key.view())},
                        {"aad", to_hex_raw(c.aad)},
                        {"eph", to_hex_raw(c.eph.view())},
                        {"nonce", to_hex_raw(c.nonce)}});
        reqs.push_back({{"op", "ecies_unwrap"},
                        {"secret", to_hex_raw(c.recipient.view())},
                        {"env", to_hex_raw(c.random_env)},
                        {"aad", to_hex_raw(c.aad)}});
        cases.push_back(std::move(c));
    }
    const auto res = test::node_crypto_ref(reqs);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const Case& c = cases[i];
        const KeyEnvelope mine = wrap_key_with(c.data_key, public_key_of(c.recipient), c.aad, c.eph, c.nonce);
        const std::string theirs = res[2 * i]["env"].get<std::string>();
        EXPECT_EQ(to_hex_raw(mine), theirs) << i;
        EXPECT_TRUE(unwrap_key(from_hex(theirs), c.recipient, c.aad) == c.data_key);
        ASSERT_FALSE(res[2 * i + 1]["key"].is_null()) << "node could not open envelope " << i;
        EXPECT_EQ(res[2 * i + 1]["key"].get<std::string>(), to_hex_raw(c.data_key.view()));
    }
}
