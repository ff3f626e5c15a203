#include <gtest/gtest.h>

#include <random>

#include "base/hex.hpp"
#include "crypto/aes_gcm.hpp"
#include "node_ref.hpp"

using namespace dossier;
using namespace dossier::crypto;

namespace {

SecretKey32 key_of(std::string_view hex) { return SecretKey32::from_bytes(from_hex(hex)); }

struct Vector {
    const char* key;
    const char* nonce;
    const char* pt;
    const char* aad;
    const char* ct;
    const char* tag;
};

// The AES-256 test cases with 96-bit IVs of McGrew & Viega, "The Galois/Counter Mode of Operation
// (GCM)", Appendix B (test cases 13 to 16), the vectors NIST's GCM validation started from.
const Vector kVectors[] = {
    {"0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "", "", "",
     "530f8afbc74536b9a963b4f1c4cb738b"},
    {"0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000",
     "00000000000000000000000000000000", "", "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
    {"feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de6"
     "57ba637b391aafd255",
     "",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0a"
     "bcc9f662898015ad",
     "b094dac5d93471bdec1a502270e3cc6c"},
    {"feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de6"
     "57ba637b39",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0a"
     "bcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

}  // namespace

TEST(AesGcm, PublishedVectorsEncrypt) {
    for (const auto& v : kVectors) {
        const Bytes out = aes256gcm_encrypt(key_of(v.key), from_hex_fixed<12>(v.nonce), from_hex(v.pt), from_hex(v.aad));
        EXPECT_EQ(to_hex_raw(out), std::string(v.ct) + v.tag) << v.tag;
    }
}

TEST(AesGcm, PublishedVectorsDecryptAndRejectAlteration) {
    for (const auto& v : kVectors) {
        const Bytes ct = from_hex(std::string(v.ct) + v.tag);
        const auto nonce = from_hex_fixed<12>(v.nonce);
        EXPECT_EQ(to_hex_raw(aes256gcm_decrypt(key_of(v.key), nonce, ct, from_hex(v.aad))), v.pt);
        for (std::size_t i = 0; i < ct.size(); ++i) {
            Bytes bad = ct;
            bad[i] ^= 0x01;
            EXPECT_THROW((void)aes256gcm_decrypt(key_of(v.key), nonce, bad, from_hex(v.aad)), TamperedError) << i;
        }
        Bytes aad = from_hex(v.aad);
        aad.push_back(0);
        EXPECT_THROW((void)aes256gcm_decrypt(key_of(v.key), nonce, ct, aad), TamperedError);
    }
}

TEST(AesGcm, SealOpenRoundTripAndEveryByteIsAuthenticated) {
    const SecretKey32 key = SecretKey32::random();
    const Bytes aad = from_hex("0x0102030405");
    for (std::size_t n : {0, 1, 15, 16, 17, 100}) {
        Bytes pt(n);
        for (std::size_t i = 0; i < n; ++i) pt[i] = static_cast<std::uint8_t>(i);
        const Bytes sealed = seal(key, pt, aad);
        ASSERT_EQ(sealed.size(), sealed_size(n));
        EXPECT_EQ(open(key, sealed, aad), pt);
        EXPECT_EQ(open_secret(key, sealed, aad).view().size(), n);
        for (std::size_t i = 0; i < sealed.size(); ++i) {
            Bytes bad = sealed;
            bad[i] ^= 0x80;
            EXPECT_THROW((void)open(key, bad, aad), TamperedError) << "byte " << i;
        }
        EXPECT_THROW((void)open(SecretKey32::random(), sealed, aad), TamperedError);
        EXPECT_THROW((void)open(key, sealed, {}), TamperedError);
        // Two seals of the same plaintext differ (fresh nonce).
        EXPECT_NE(seal(key, pt, aad), sealed);
    }
    EXPECT_THROW((void)open(key, Bytes(27), aad), DecodeError);
    try {
        (void)open(key, Bytes(28), aad);
        FAIL();
    } catch (const TamperedError& e) {
        EXPECT_EQ(e.code(), ErrorCode::tampered);
        EXPECT_STREQ(e.what(), "ciphertext or header was altered");
    }
}

TEST(AesGcm, FailedDecryptionWipesTheOutput) {
    const SecretKey32 key = SecretKey32::random();
    Aes256Gcm gcm(key);
    const GcmNonce nonce{};
    Bytes pt(64, 0x5a), ct(64);
    GcmTag tag = gcm.encrypt(nonce, {}, pt, ct);
    tag[0] ^= 1;
    Bytes out(64, 0xff);
    EXPECT_FALSE(gcm.decrypt(nonce, {}, ct, tag, out));
    EXPECT_EQ(out, Bytes(64, 0));
    tag[0] ^= 1;
    EXPECT_TRUE(gcm.decrypt(nonce, {}, ct, tag, out));
    EXPECT_EQ(out, pt);
    // In place.
    Bytes buf = pt;
    tag = gcm.encrypt(nonce, {}, buf, buf);
    EXPECT_EQ(buf, ct);
    EXPECT_TRUE(gcm.decrypt(nonce, {}, buf, tag, buf));
    EXPECT_EQ(buf, pt);
    EXPECT_THROW((void)gcm.encrypt(nonce, {}, pt, std::span(out).first(3)), Error);
}

// Differential: 200 random (key, nonce, plaintext, aad) sealed here must match node's AES-256-GCM,
// and node's output must open here.
TEST(AesGcm, MatchesNodeOnRandomInputs) {
    std::mt19937_64 rng(7);
    auto rnd = [&](std::size_t n) {
        Bytes b(n);
        for (auto& x : b) x = static_cast<std::uint8_t>(rng());
        return b;
    };
    nlohmann::json reqs = nlohmann::json::array();
    std::vector<std::array<Bytes, 4>> cases;
    for (int i = 0; i < 200; ++i) {
        std::array<Bytes, 4> c{rnd(32), rnd(12), rnd(rng() % 300), rnd(rng() % 50)};
        reqs.push_back({{"op", "gcm_encrypt"},
                        {"key", to_hex_raw(c[0])},
                        {"nonce", to_hex_raw(c[1])},
                        {"pt", to_hex_raw(c[2])},
                        {"aad", to_hex_raw(c[3])}});
        cases.push_back(std::move(c));
    }
    const auto res = test::node_crypto_ref(reqs);
    ASSERT_EQ(res.size(), cases.size());
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto& c = cases[i];
        const SecretKey32 key = SecretKey32::from_bytes(c[0]);
        GcmNonce nonce{};
        std::copy(c[1].begin(), c[1].end(), nonce.begin());
        const Bytes mine = aes256gcm_encrypt(key, nonce, c[2], c[3]);
        const std::string theirs = res[i]["ct"].get<std::string>() + res[i]["tag"].get<std::string>();
        ASSERT_EQ(to_hex_raw(mine), theirs) << "case " << i;
        EXPECT_EQ(aes256gcm_decrypt(key, nonce, from_hex(theirs), c[3]), c[2]);
    }
}
