#include <gtest/gtest.h>

#include <random>

#include "base/hex.hpp"
#include "crypto/hkdf.hpp"
#include "node_ref.hpp"

using namespace dossier;
using namespace dossier::crypto;

namespace {
Bytes range(int from, int to) {
    Bytes b;
    for (int i = from; i < to; ++i) b.push_back(static_cast<std::uint8_t>(i));
    return b;
}
std::string okm(ByteView ikm, ByteView salt, ByteView info, std::size_t n) {
    return to_hex_raw(hkdf_sha256(ikm, salt, info, n).view());
}
}  // namespace

// RFC 5869 appendix A, test cases 1 to 3 (the SHA-256 ones).
TEST(Hkdf, Rfc5869TestCase1) {
    EXPECT_EQ(okm(Bytes(22, 0x0b), range(0x00, 0x0d), range(0xf0, 0xfa), 42),
              "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST(Hkdf, Rfc5869TestCase2LongInputs) {
    EXPECT_EQ(okm(range(0x00, 0x50), range(0x60, 0xb0), range(0xb0, 0x100), 82),
              "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275"
              "600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87");
}

TEST(Hkdf, Rfc5869TestCase3EmptySaltAndInfo) {
    EXPECT_EQ(okm(Bytes(22, 0x0b), {}, {}, 42),
              "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    // The RFC's default salt is HashLen zeros: the same result.
    EXPECT_EQ(okm(Bytes(22, 0x0b), Bytes(32, 0), {}, 42), okm(Bytes(22, 0x0b), {}, {}, 42));
}

TEST(Hkdf, KeyHelperAndLengthLimits) {
    const SecretKey32 k = hkdf_sha256_key(Bytes(22, 0x0b), range(0, 13), range(0xf0, 0xfa));
    EXPECT_EQ(to_hex_raw(k.view()), "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
    EXPECT_THROW((void)hkdf_sha256(Bytes(32, 1), {}, {}, 0), Error);
    EXPECT_THROW((void)hkdf_sha256(Bytes(32, 1), {}, {}, kHkdfSha256MaxLength + 1), Error);
    EXPECT_EQ(hkdf_sha256(Bytes(32, 1), {}, {}, kHkdfSha256MaxLength).size(), kHkdfSha256MaxLength);
}

TEST(Hkdf, MatchesNodeOnRandomInputs) {
    std::mt19937_64 rng(11);
    auto rnd = [&](std::size_t n) {
        Bytes b(n);
        for (auto& x : b) x = static_cast<std::uint8_t>(rng());
        return b;
    };
    nlohmann::json reqs = nlohmann::json::array();
    std::vector<std::array<Bytes, 3>> cases;
    std::vector<std::size_t> lengths;
    for (int i = 0; i < 100; ++i) {
        std::array<Bytes, 3> c{rnd(i == 0 ? 0 : 1 + rng() % 80), rnd(rng() % 80), rnd(rng() % 80)};
        const std::size_t n = 1 + rng() % 200;
        reqs.push_back({{"op", "hkdf"},
                        {"ikm", to_hex_raw(c[0])},
                        {"salt", to_hex_raw(c[1])},
                        {"info", to_hex_raw(c[2])},
                        {"length", n}});
        cases.push_back(std::move(c));
        lengths.push_back(n);
    }
    const auto res = test::node_crypto_ref(reqs);
    for (std::size_t i = 0; i < cases.size(); ++i)
        EXPECT_EQ(okm(cases[i][0], cases[i][1], cases[i][2], lengths[i]), res[i]["okm"].get<std::string>()) << i;
}
