#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "base/hex.hpp"
#include "crypto/random.hpp"

using namespace dossier;
using namespace dossier::crypto;

TEST(Random, BytesDifferAndAreNotConstant) {
    std::set<Bytes> seen;
    for (int i = 0; i < 100; ++i) seen.insert(random_bytes(16));
    EXPECT_EQ(seen.size(), 100u);
    // A 4 KiB draw has roughly balanced bits (mean 0.5, sd ~0.0028): a stuck generator fails.
    const Bytes big = random_bytes(4096);
    std::size_t ones = 0;
    for (auto b : big) ones += static_cast<std::size_t>(__builtin_popcount(b));
    EXPECT_NEAR(static_cast<double>(ones) / (4096.0 * 8), 0.5, 0.02);
    EXPECT_TRUE(random_bytes(0).empty());
}

TEST(Random, LargeRequestsAreFilledCompletely) {
    // getrandom returns at most 32 MiB per call; the loop must fill the rest.
    Bytes big(40u << 20, 0);
    random_bytes(big);
    std::size_t zeros_in_tail = 0;
    for (std::size_t i = big.size() - 4096; i < big.size(); ++i) zeros_in_tail += big[i] == 0;
    EXPECT_LT(zeros_in_tail, 64u);
}

TEST(SecretKey32, NeverPrintsItsBytes) {
    const Bytes raw = from_hex("0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    const SecretKey32 k = SecretKey32::from_bytes(raw);
    std::ostringstream os;
    os << k;
    EXPECT_EQ(os.str(), "Secret(32 bytes, redacted)");
    EXPECT_EQ(::testing::PrintToString(k), "Secret(32 bytes, redacted)");
    SecretBytes s = SecretBytes::copy_of(raw);
    std::ostringstream os2;
    os2 << s;
    EXPECT_EQ(os2.str(), "Secret(32 bytes, redacted)");
    EXPECT_EQ(to_hex(k.view()), to_hex(raw));
}

TEST(SecretKey32, WrongLengthIsAnError) {
    EXPECT_THROW((void)SecretKey32::from_bytes(Bytes(31)), Error);
    EXPECT_THROW((void)SecretKey32::from_bytes(Bytes(33)), Error);
}

TEST(SecretKey32, MoveWipesTheSourceAndComparisonWorks) {
    SecretKey32 a = SecretKey32::random();
    const SecretKey32 copy = a;
    EXPECT_TRUE(copy == a);
    SecretKey32 b = std::move(a);
    EXPECT_TRUE(b == copy);
    EXPECT_EQ(a.view().size(), 32u);
    for (auto x : a.view()) EXPECT_EQ(x, 0);  // NOLINT(bugprone-use-after-move): the point of the test
    EXPECT_FALSE(SecretKey32::random() == SecretKey32::random());
}

TEST(SecretKey32, ClearWipesInPlace) {
    SecretKey32 k = SecretKey32::random();
    const std::uint8_t* p = k.data();
    k.clear();
    for (std::size_t i = 0; i < 32; ++i) EXPECT_EQ(p[i], 0);
}

TEST(SecretBytes, CopyMoveAndWipe) {
    SecretBytes a = SecretBytes::random(100);
    SecretBytes b = a;
    EXPECT_TRUE(a == b);
    SecretBytes c = std::move(a);
    EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move)
    EXPECT_TRUE(c == b);
    EXPECT_FALSE(c == SecretBytes::random(100));
    EXPECT_FALSE(c == SecretBytes::random(99));
    c = SecretBytes(3);
    EXPECT_EQ(c.size(), 3u);
    for (auto x : c.view()) EXPECT_EQ(x, 0);
}

TEST(ConstantTime, Equality) {
    EXPECT_TRUE(equal_constant_time(Bytes{}, Bytes{}));
    EXPECT_TRUE(equal_constant_time(Bytes{1, 2, 3}, Bytes{1, 2, 3}));
    EXPECT_FALSE(equal_constant_time(Bytes{1, 2, 3}, Bytes{1, 2, 4}));
    EXPECT_FALSE(equal_constant_time(Bytes{1, 2, 3}, Bytes{1, 2}));
}
