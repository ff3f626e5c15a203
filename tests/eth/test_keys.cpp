#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <sstream>
#include <type_traits>
#include <vector>

#include "base/hex.hpp"
#include "eth/keccak.hpp"
#include "eth/keys.hpp"
#include "eth/uint256.hpp"
#include "support/process.hpp"

using namespace dossier;
using namespace dossier::eth;

namespace {

constexpr std::string_view kOrder = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

Bytes32 random_bytes32(std::mt19937_64& rng) {
    Bytes32 b{};
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    return b;
}

/// Splits `out` into lines.
std::vector<std::string> lines_of(const std::string& out) {
    std::vector<std::string> lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace

TEST(Keys, KnownAddresses) {
    // Private key 1: the generator point G.
    EXPECT_EQ(PrivateKey::from_hex("0x0000000000000000000000000000000000000000000000000000000000000001")
                  .address()
                  .to_checksum(),
              "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
    // The EIP-155 example key.
    EXPECT_EQ(PrivateKey::from_hex("4646464646464646464646464646464646464646464646464646464646464646")
                  .address()
                  .to_checksum(),
              "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
    // The EIP-712 example's signer, keccak256("cow").
    const PrivateKey cow = PrivateKey::from_bytes(keccak256(as_bytes("cow")));
    EXPECT_EQ(cow.address().to_checksum(), "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826");
    EXPECT_EQ(address_of(cow.public_key()), cow.address());
}

TEST(Keys, PrivateKeyRange) {
    EXPECT_THROW((void)PrivateKey::from_bytes(Bytes(32, 0)), KeyError);
    EXPECT_THROW((void)PrivateKey::from_hex(kOrder), KeyError);
    EXPECT_THROW((void)PrivateKey::from_hex(std::string(64, 'f')), KeyError);
    EXPECT_THROW((void)PrivateKey::from_bytes(Bytes(31, 1)), KeyError);
    EXPECT_THROW((void)PrivateKey::from_bytes(Bytes(33, 1)), KeyError);
    EXPECT_THROW((void)PrivateKey::from_hex("zz"), KeyError);
    // n - 1 is the largest valid key.
    EXPECT_NO_THROW((void)PrivateKey::from_hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140"));
}

TEST(Keys, GenerateGivesDistinctValidKeys) {
    const PrivateKey a = PrivateKey::generate();
    const PrivateKey b = PrivateKey::generate();
    EXPECT_FALSE(a == b);
    EXPECT_NE(a.address(), b.address());
    EXPECT_TRUE(a == PrivateKey::from_bytes(a.secret()));
}

// The secret lives in one place: no silent copies, only moves (which wipe the source) and clone().
static_assert(!std::is_copy_constructible_v<PrivateKey>);
static_assert(!std::is_copy_assignable_v<PrivateKey>);
static_assert(std::is_nothrow_move_constructible_v<PrivateKey>);
static_assert(std::is_nothrow_move_assignable_v<PrivateKey>);

TEST(Keys, MoveWipesTheSourceAndCloneCopiesDeliberately) {
    const std::string hex = "4646464646464646464646464646464646464646464646464646464646464646";
    const PrivateKey other = PrivateKey::generate();
    const auto expect_unusable = [&other](const PrivateKey& moved_from) {
        EXPECT_TRUE(moved_from.empty());
        for (const auto& use : std::vector<std::function<void()>>{
                 [&] { (void)moved_from.secret(); },
                 [&] { (void)moved_from.public_key(); },
                 [&] { (void)moved_from.address(); },
                 [&] { (void)moved_from.clone(); },
                 [&] { (void)(moved_from == other); },
                 [&] { (void)(other == moved_from); },
                 [&] { (void)sign_hash(moved_from, keccak256(as_bytes("x"))); },
             }) {
            try {
                use();
                ADD_FAILURE() << "a moved-from key was usable";
            } catch (const Error& e) {
                EXPECT_EQ(e.code(), ErrorCode::internal) << e.what();
            }
        }
    };

    PrivateKey a = PrivateKey::from_hex(hex);
    EXPECT_FALSE(a.empty());
    const PrivateKey b = std::move(a);
    EXPECT_EQ(to_hex(b.secret()), "0x" + hex);
    expect_unusable(a);  // NOLINT(bugprone-use-after-move): that is the point

    PrivateKey c = PrivateKey::generate();
    const Address c_address = c.address();
    PrivateKey d = PrivateKey::generate();
    d = std::move(c);  // d's own secret is wiped and replaced
    EXPECT_EQ(d.address(), c_address);
    expect_unusable(c);  // NOLINT(bugprone-use-after-move)

    // A moved-from key can be assigned again.
    a = PrivateKey::from_hex(hex);
    EXPECT_FALSE(a.empty());
    EXPECT_TRUE(a == b);

    const PrivateKey copy = b.clone();
    EXPECT_TRUE(copy == b);
    EXPECT_EQ(copy.secret(), b.secret());
    EXPECT_NE(copy.secret().data(), b.secret().data());  // a second buffer, not a view
    EXPECT_EQ(copy.address(), b.address());
    EXPECT_EQ(sign_hash(copy, keccak256(as_bytes("m"))), sign_hash(b, keccak256(as_bytes("m"))));
}

TEST(Keys, PrintingNeverShowsTheSecret) {
    const PrivateKey key = PrivateKey::from_hex("4646464646464646464646464646464646464646464646464646464646464646");
    std::ostringstream os;
    os << key;
    EXPECT_EQ(os.str(), "PrivateKey(<redacted>)");
    EXPECT_EQ(os.str().find("4646"), std::string::npos);
    EXPECT_EQ(testing::PrintToString(key), "PrivateKey(<redacted>)");
}

TEST(Keys, PublicKeyForms) {
    const PublicKey pub = PrivateKey::from_hex(std::string(63, '0') + "1").public_key();
    EXPECT_EQ(to_hex(pub.bytes()),
              "0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
              "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
    EXPECT_EQ(PublicKey::from_bytes(pub.uncompressed()), pub);
    EXPECT_EQ(PublicKey::from_bytes(pub.compressed()), pub);
    EXPECT_EQ(PublicKey::from_bytes(pub.bytes()), pub);
    EXPECT_EQ(pub.compressed()[0], 0x02);
    FixedBytes<64> off = pub.bytes();
    off[63] ^= 1;  // (x, y+1) is not on the curve
    EXPECT_THROW((void)PublicKey::from_bytes(off), KeyError);
    const auto full = pub.uncompressed();
    Bytes wrong_prefix(full.begin(), full.end());
    wrong_prefix[0] = 0x05;
    EXPECT_THROW((void)PublicKey::from_bytes(wrong_prefix), KeyError);
    EXPECT_THROW((void)PublicKey::from_bytes(Bytes(63, 1)), KeyError);
}

TEST(Keys, SignRecoverRoundTripAndRejections) {
    std::mt19937_64 rng(7);
    for (int i = 0; i < 50; ++i) {
        const PrivateKey key = PrivateKey::from_bytes(random_bytes32(rng));
        const Bytes32 hash = random_bytes32(rng);
        const Signature sig = sign_hash(key, hash);
        EXPECT_TRUE(sig.has_low_s());
        EXPECT_EQ(sign_hash(key, hash), sig) << "RFC 6979 signing is deterministic";
        EXPECT_EQ(recover(hash, sig), key.public_key());
        EXPECT_EQ(recover_address(hash, sig), key.address());
        EXPECT_EQ(Signature::from_bytes(sig.to_bytes()), sig);

        // The malleated twin (n - s, flipped parity) is valid ECDSA but not acceptable to Ethereum.
        Signature high = sig;
        const U256 n = parse_u256("0x" + std::string(kOrder));
        high.s = to_be32(n - from_be(sig.s));
        high.recovery_id ^= 1;
        EXPECT_FALSE(high.has_low_s());
        EXPECT_THROW((void)recover(hash, high), KeyError);

        // A different hash recovers a different key.
        Bytes32 other = hash;
        other[0] ^= 1;
        try {
            EXPECT_NE(recover(other, sig), key.public_key());
        } catch (const KeyError&) {
            // No key at all also proves the signature does not cover `other`.
        }
    }
    Signature bad;
    bad.s[31] = 1;  // r = 0
    EXPECT_THROW((void)recover(Bytes32{}, bad), KeyError);
    bad = Signature{};
    bad.r = from_hex_fixed<32>(kOrder);  // r = n
    bad.s[31] = 1;
    EXPECT_THROW((void)recover(Bytes32{}, bad), KeyError);
    bad.r[0] = 0;
    bad.recovery_id = 2;
    EXPECT_THROW((void)recover(Bytes32{}, bad), KeyError);
}

TEST(Keys, SignatureBytes) {
    Signature sig;
    sig.r[0] = 0xaa;
    sig.s[31] = 0xbb;
    sig.recovery_id = 1;
    const auto b = sig.to_bytes();
    EXPECT_EQ(b[64], 28);
    Bytes zero_one(b.begin(), b.end());
    zero_one[64] = 1;
    EXPECT_EQ(Signature::from_bytes(zero_one), sig);
    zero_one[64] = 29;
    EXPECT_THROW((void)Signature::from_bytes(zero_one), KeyError);
    EXPECT_THROW((void)Signature::from_bytes(Bytes(64)), KeyError);
    EXPECT_THROW((void)Signature::from_hex("0xzz"), KeyError);
}

TEST(Keys, PersonalMessageHash) {
    // keccak256("\x19Ethereum Signed Message:\n5hello"), as every wallet computes it.
    Bytes prefixed;
    append(prefixed, as_bytes("\x19" "Ethereum Signed Message:\n5hello"));
    EXPECT_EQ(personal_message_hash(as_bytes("hello")), keccak256(prefixed));
    EXPECT_EQ(to_hex(personal_message_hash(as_bytes("hello"))),
              "0x50b2c43fd39106bafbba0da34fc430e1f91e3c96ea2acee2bc34119f92b37750");
}

// Differential test against foundry's cast, 1,000 random keys: address derivation, raw-hash
// signing and personal-message signing, in one shell script (three cast calls per key).
TEST(Keys, MatchesCastOnRandomKeys) {
    std::mt19937_64 rng(20240601);
    struct Case {
        Bytes32 key, hash;
        Bytes message;
    };
    std::vector<Case> cases;
    std::string script;
    for (int i = 0; i < 1000; ++i) {
        Case c{random_bytes32(rng), random_bytes32(rng), Bytes(rng() % 200)};
        for (auto& x : c.message) x = static_cast<std::uint8_t>(rng());
        const std::string k = to_hex(c.key);
        script += "\"$1\" wallet address --private-key " + k + "\n";
        script += "\"$1\" wallet sign --no-hash --private-key " + k + " " + to_hex(c.hash) + "\n";
        // cast decodes a 0x-prefixed message as hex; "0x" alone would be signed as text, so the
        // empty message is sent as text (empty string) instead.
        script += "\"$1\" wallet sign --private-key " + k + " '" + (c.message.empty() ? "" : to_hex(c.message)) +
                  "'\n";
        cases.push_back(std::move(c));
    }
    const auto lines =
        lines_of(test::run_ok({"sh", "-s", test::foundry_tool("cast")}, script, std::chrono::minutes(5)));
    ASSERT_EQ(lines.size(), 3 * cases.size());
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const PrivateKey key = PrivateKey::from_bytes(cases[i].key);
        ASSERT_EQ(key.address().to_checksum(), lines[3 * i]) << "key " << to_hex(cases[i].key);
        const Signature sig = sign_hash(key, cases[i].hash);
        ASSERT_EQ(to_hex(sig.to_bytes()), lines[3 * i + 1]) << "key " << to_hex(cases[i].key);
        ASSERT_EQ(to_hex(sign_personal_message(key, cases[i].message).to_bytes()), lines[3 * i + 2])
            << "message " << to_hex(cases[i].message);
        // cast's signatures recover to the key in Dossier too.
        ASSERT_EQ(recover_address(cases[i].hash, Signature::from_hex(lines[3 * i + 1])), key.address());
    }
}
