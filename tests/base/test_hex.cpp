#include <gtest/gtest.h>

#include "base/hex.hpp"

using namespace dossier;

TEST(Hex, RoundTripsAndAcceptsBothCases) {
    EXPECT_EQ(to_hex(from_hex("0xDEADbeef")), "0xdeadbeef");
    EXPECT_EQ(to_hex(Bytes{}), "0x");
    EXPECT_EQ(from_hex("").size(), 0u);
    EXPECT_EQ(to_hex_raw(from_hex("00ff10")), "00ff10");
}

TEST(Hex, RejectsMalformedInput) {
    EXPECT_THROW((void)from_hex("0x123"), DecodeError);
    EXPECT_THROW((void)from_hex("0xzz"), DecodeError);
    EXPECT_THROW((void)from_hex("0x 1"), DecodeError);
    EXPECT_THROW((void)from_hex_fixed<4>("0x0102"), DecodeError);
}
