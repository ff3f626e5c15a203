#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "eth/uint256.hpp"

using namespace dossier;
using namespace dossier::eth;

TEST(U256, ConversionsRoundTrip) {
    const U256 max = ~U256(0);
    EXPECT_EQ(to_dec(max), "115792089237316195423570985008687907853269984665640564039457584007913129639935");
    EXPECT_EQ(parse_u256(to_dec(max)), max);
    EXPECT_EQ(to_quantity(0), "0x0");
    EXPECT_EQ(to_quantity(0x3e8), "0x3e8");
    EXPECT_EQ(parse_quantity("0x3E8"), 1000);
    EXPECT_EQ(from_be(to_be32(max)), max);
    EXPECT_EQ(to_hex(to_be_minimal(0x0100)), "0x0100");
    EXPECT_TRUE(to_be_minimal(0).empty());
    EXPECT_EQ(U256(0) - 1, max);  // wraps like the EVM
}

TEST(U256, RejectsBadText) {
    EXPECT_THROW((void)parse_u256(""), DecodeError);
    EXPECT_THROW((void)parse_u256("12a"), DecodeError);
    EXPECT_THROW((void)parse_u256("0x"), DecodeError);
    EXPECT_THROW((void)parse_u256("115792089237316195423570985008687907853269984665640564039457584007913129639936"), DecodeError);
    EXPECT_THROW((void)parse_quantity("1000"), DecodeError);
    EXPECT_THROW((void)from_be(Bytes(33, 1)), DecodeError);
    EXPECT_THROW((void)to_u64(U256(1) << 64), DecodeError);
}
