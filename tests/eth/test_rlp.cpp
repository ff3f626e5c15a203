#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "eth/rlp.hpp"

using namespace dossier;
namespace rlp = dossier::eth::rlp;

// Examples from the Ethereum wiki / Yellow Paper appendix B.
TEST(Rlp, PublishedExamples) {
    EXPECT_EQ(to_hex(rlp::encode_string(as_bytes("dog"))), "0x83646f67");
    const rlp::Item cat_dog = rlp::Item::list({rlp::Item::string(Bytes{'c', 'a', 't'}), rlp::Item::string(Bytes{'d', 'o', 'g'})});
    EXPECT_EQ(to_hex(rlp::encode(cat_dog)), "0xc88363617483646f67");
    EXPECT_EQ(to_hex(rlp::encode_string({})), "0x80");
    EXPECT_EQ(to_hex(rlp::encode(rlp::Item::list({}))), "0xc0");
    EXPECT_EQ(to_hex(rlp::encode_uint(0)), "0x80");
    EXPECT_EQ(to_hex(rlp::encode_uint(15)), "0x0f");
    EXPECT_EQ(to_hex(rlp::encode_uint(1024)), "0x820400");
    // The set-theoretic representation of three: [ [], [[]], [ [], [[]] ] ]
    const auto e = rlp::Item::list({});
    const auto three = rlp::Item::list({e, rlp::Item::list({e}), rlp::Item::list({e, rlp::Item::list({e})})});
    EXPECT_EQ(to_hex(rlp::encode(three)), "0xc7c0c1c0c3c0c1c0");
    const std::string lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit";
    EXPECT_EQ(to_hex(rlp::encode_string(as_bytes(lorem))).substr(0, 6), "0xb838");
    EXPECT_EQ(rlp::decode(rlp::encode(three)), three);
    EXPECT_EQ(rlp::decode(rlp::encode_string(as_bytes(lorem))).bytes.size(), lorem.size());
}

TEST(Rlp, StrictDecodingRejectsNonCanonicalInput) {
    const char* bad[] = {
        "0x",          // empty
        "0x8100",      // single byte < 0x80 wrapped
        "0x8105",      // same
        "0xb801ff",    // long form for a short string
        "0xb90000",    // length with leading zero
        "0x83646f",    // truncated
        "0x83646f6700",// trailing byte
        "0xc2",        // truncated list
        "0xc1c0c0",    // list shorter than contents => trailing
        "0xf800",      // long list form for length 0
        "0xbf0000000000000001",  // absurd length
    };
    for (const char* h : bad) EXPECT_THROW((void)rlp::decode(from_hex(h)), rlp::RlpError) << h;
    EXPECT_THROW((void)rlp::to_uint64(rlp::decode(from_hex("0x820001"))), rlp::RlpError);
}

TEST(Rlp, DeepNestingIsRejectedNotRecursedForever) {
    Bytes deep(100000, 0xc0);
    // Not canonical anyway, but must produce an error, not a stack overflow.
    EXPECT_THROW((void)rlp::decode(deep), rlp::RlpError);
}
