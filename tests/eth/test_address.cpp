#include <gtest/gtest.h>

#include "eth/address.hpp"

using namespace dossier;
using dossier::eth::Address;

// The EIP-55 specification's test addresses.
TEST(Address, Eip55Vectors) {
    for (const char* s : {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                          "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"}) {
        const Address a = Address::from_hex(s);
        EXPECT_EQ(a.to_checksum(), s);
    }
}

TEST(Address, RejectsBadChecksumAndLength) {
    EXPECT_THROW((void)Address::from_hex("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"), DecodeError);
    EXPECT_NO_THROW((void)Address::from_hex("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));
    EXPECT_THROW((void)Address::from_hex("0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea"), DecodeError);
    Bytes32 w{};
    w[0] = 1;
    EXPECT_THROW((void)Address::from_word(w), DecodeError);
}
