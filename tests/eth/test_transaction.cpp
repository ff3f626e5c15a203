#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "base/hex.hpp"
#include "eth/keccak.hpp"
#include "eth/rlp.hpp"
#include "eth/transaction.hpp"
#include "support/process.hpp"

using namespace dossier;
using namespace dossier::eth;

namespace {

const PrivateKey& eip155_key() {
    static const PrivateKey key =
        PrivateKey::from_hex("0x4646464646464646464646464646464646464646464646464646464646464646");
    return key;
}

Transaction eip155_example() {
    Transaction tx;
    tx.type = TxType::legacy;
    tx.chain_id = 1;
    tx.nonce = 9;
    tx.gas_price = U256(20'000'000'000ULL);
    tx.gas_limit = 21000;
    tx.to = Address::from_hex("0x3535353535353535353535353535353535353535");
    tx.value = U256(1'000'000'000'000'000'000ULL);
    return tx;
}

constexpr std::string_view kEip155Signed =
    "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61"
    "340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9"
    "f3dc64214b297fb1966a3b6d83";

Transaction sample_1559() {
    Transaction tx;
    tx.chain_id = 5;
    tx.nonce = 0;
    tx.max_fee_per_gas = 30;
    tx.max_priority_fee_per_gas = 2;
    tx.gas_limit = 100000;
    tx.to = Address::from_hex("0x3535353535353535353535353535353535353535");
    tx.data = from_hex("0xdeadbeef");
    return tx;
}

U256 random_u256(std::mt19937_64& rng, unsigned max_bits) {
    const unsigned bits = static_cast<unsigned>(rng() % (max_bits + 1));
    U256 v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 64) | U256(rng());
    return bits == 0 ? U256(0) : (v >> (256 - bits));
}

std::uint64_t random_u64(std::mt19937_64& rng) {
    const unsigned bits = static_cast<unsigned>(rng() % 65);
    return bits == 0 ? 0 : (rng() >> (64 - bits));
}

Bytes random_bytes(std::mt19937_64& rng, std::size_t max_len) {
    Bytes b(rng() % (max_len + 1));
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    return b;
}

Address random_address(std::mt19937_64& rng) {
    Address a;
    for (auto& x : a.bytes) x = static_cast<std::uint8_t>(rng());
    return a;
}

std::string access_list_json(const AccessList& list) {
    std::string s = "[";
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (i) s += ",";
        s += "{\"address\":\"" + list[i].address.to_hex() + "\",\"storageKeys\":[";
        for (std::size_t j = 0; j < list[i].storage_keys.size(); ++j)
            s += (j ? ",\"" : "\"") + to_hex(list[i].storage_keys[j]) + "\"";
        s += "]}";
    }
    return s + "]";
}

/// Rebuilds an RLP list from items (used to forge malformed transactions).
Bytes list_of(const std::vector<rlp::Item>& items) { return rlp::encode(rlp::Item::list(items)); }

}  // namespace

TEST(Transaction, Eip155PublishedExample) {
    const Transaction tx = eip155_example();
    EXPECT_EQ(to_hex(signing_payload(tx)),
              "0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080");
    EXPECT_EQ(to_hex(signing_hash(tx)), "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
    const SignedTransaction signed_tx = sign(tx, eip155_key());
    EXPECT_EQ(to_hex(signed_tx.raw), kEip155Signed);
    EXPECT_EQ(signed_tx.hash, keccak256(signed_tx.raw));
    EXPECT_EQ(signed_tx.from.to_checksum(), "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");

    const DecodedTransaction d = decode_signed(from_hex(kEip155Signed));
    EXPECT_EQ(d.tx, tx);
    EXPECT_EQ(d.from, signed_tx.from);
    EXPECT_EQ(d.hash, signed_tx.hash);
    EXPECT_EQ(d.signature.recovery_id, 0);  // v = 37 = 1 * 2 + 35 + 0
    EXPECT_EQ(encode_signed(d.tx, d.signature), from_hex(kEip155Signed));
}

TEST(Transaction, Eip1559RoundTrip) {
    Transaction tx = sample_1559();
    tx.access_list = {{Address::from_hex("0x3535353535353535353535353535353535353535"), {Bytes32{}, Bytes32{1}}},
                      {Address{}, {}}};
    const SignedTransaction s = sign(tx, eip155_key());
    EXPECT_EQ(s.raw[0], 0x02);
    const DecodedTransaction d = decode_signed(s.raw);
    EXPECT_EQ(d.tx, tx);
    EXPECT_EQ(d.from, eip155_key().address());
    EXPECT_EQ(d.hash, s.hash);

    tx.to.reset();  // contract creation
    tx.data = from_hex("0x6000");
    const DecodedTransaction created = decode_signed(sign(tx, eip155_key()).raw);
    EXPECT_FALSE(created.tx.to.has_value());
    EXPECT_EQ(created.tx, tx);
}

TEST(Transaction, FieldsThatDoNotApplyAreRejected) {
    Transaction legacy = eip155_example();
    legacy.max_fee_per_gas = 1;
    EXPECT_THROW((void)signing_hash(legacy), TransactionError);
    legacy = eip155_example();
    legacy.access_list.push_back({});
    EXPECT_THROW((void)signing_hash(legacy), TransactionError);
    Transaction typed = sample_1559();
    typed.gas_price = 1;
    EXPECT_THROW((void)signing_hash(typed), TransactionError);
    typed = sample_1559();
    typed.chain_id = 0;
    EXPECT_THROW((void)sign(typed, eip155_key()), TransactionError);
}

TEST(Transaction, DecoderRejectsMalformedInput) {
    const Bytes good = from_hex(kEip155Signed);
    EXPECT_THROW((void)decode_signed({}), TransactionError);
    Bytes trailing = good;
    trailing.push_back(0);
    EXPECT_THROW((void)decode_signed(trailing), TransactionError);
    for (std::size_t cut = 0; cut < good.size(); ++cut)
        EXPECT_THROW((void)decode_signed(ByteView(good).first(cut)), TransactionError) << cut;
    Bytes type1 = sign(sample_1559(), eip155_key()).raw;
    type1[0] = 0x01;
    EXPECT_THROW((void)decode_signed(type1), TransactionError);
    EXPECT_THROW((void)decode_signed(from_hex("0x8100")), TransactionError);

    auto items = rlp::decode(good).items;
    auto with = [&](std::size_t i, rlp::Item item) {
        auto copy = items;
        copy[i] = std::move(item);
        return list_of(copy);
    };
    // A nonce with a leading zero byte is not canonical.
    EXPECT_THROW((void)decode_signed(with(0, rlp::Item::string({0x00, 0x09}))), TransactionError);
    // `to` of 19 bytes.
    EXPECT_THROW((void)decode_signed(with(3, rlp::Item::string(Bytes(19, 0x35)))), TransactionError);
    // A list where a string belongs.
    EXPECT_THROW((void)decode_signed(with(5, rlp::Item::list({}))), TransactionError);
    // Pre-EIP-155 v = 27.
    EXPECT_THROW((void)decode_signed(with(6, rlp::Item::string({27}))), TransactionError);
    // r = 0.
    EXPECT_THROW((void)decode_signed(with(7, rlp::Item::string({}))), TransactionError);
    // High s: n - s with the other parity is the same ECDSA signature, malleated.
    const U256 n = parse_u256("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    const U256 s = from_be(items[8].bytes);
    auto high = items;
    high[6] = rlp::Item::string({38});
    high[8] = rlp::Item::string(to_be_minimal(n - s));
    EXPECT_THROW((void)decode_signed(list_of(high)), TransactionError);
    // r >= n.
    EXPECT_THROW((void)decode_signed(with(7, rlp::Item::string(to_be_minimal(n)))), TransactionError);
    // Eight fields instead of nine.
    auto short_list = items;
    short_list.pop_back();
    EXPECT_THROW((void)decode_signed(list_of(short_list)), TransactionError);
    // A changed field still decodes but recovers a different sender.
    const DecodedTransaction changed = decode_signed(with(0, rlp::Item::string({10})));
    EXPECT_NE(changed.from, eip155_key().address());
}

// Differential test against foundry's cast: 1,000 random transactions (legacy EIP-155 and
// EIP-1559, calls and creations, random calldata, access lists, values and fees), each built and
// signed offline by `cast mktx`, compared byte for byte with Dossier's, then decoded back.
TEST(Transaction, MatchesCastMktx) {
    std::mt19937_64 rng(987654321);
    struct Case {
        Transaction tx;
        Bytes32 key;
    };
    std::vector<Case> cases;
    std::string script;
    for (int i = 0; i < 1000; ++i) {
        Case c;
        for (auto& x : c.key) x = static_cast<std::uint8_t>(rng());
        Transaction& tx = c.tx;
        tx.type = (rng() % 3 == 0) ? TxType::legacy : TxType::eip1559;
        // Chain ids up to 2^32 (alloy caps EIP-155 v arithmetic at 64 bits); fees below 2^128 (alloy
        // holds them as u128). Small ids come from well-known EIP-1559 chains: for a few known
        // chains without EIP-1559, cast silently builds another transaction type.
        static constexpr std::uint64_t kKnown[] = {1, 5, 10, 137, 8453, 17000, 31337, 11155111};
        tx.chain_id = (rng() % 4 == 0) ? kKnown[rng() % 8] : (1ULL << 24) + (rng() >> 32);
        tx.nonce = random_u64(rng);
        if (tx.nonce == std::numeric_limits<std::uint64_t>::max()) tx.nonce--;  // EIP-2681 bound
        tx.gas_limit = random_u64(rng);
        tx.value = random_u256(rng, 256);
        const bool create = rng() % 8 == 0;
        if (!create) tx.to = random_address(rng);
        tx.data = random_bytes(rng, create ? 300 : 200);
        if (create && tx.data.empty()) tx.data.push_back(0x00);
        if (tx.type == TxType::legacy) {
            tx.gas_price = random_u256(rng, 127);
        } else {
            tx.max_fee_per_gas = random_u256(rng, 127);
            tx.max_priority_fee_per_gas = tx.max_fee_per_gas == 0 ? U256(0) : random_u256(rng, 127) % (tx.max_fee_per_gas + 1);
            const std::size_t entries = rng() % 4;
            for (std::size_t e = 0; e < entries; ++e) {
                AccessListEntry entry{random_address(rng), {}};
                const std::size_t keys = rng() % 3;
                for (std::size_t k = 0; k < keys; ++k) {
                    Bytes32 key{};
                    for (auto& x : key) x = static_cast<std::uint8_t>(rng());
                    entry.storage_keys.push_back(key);
                }
                tx.access_list.push_back(std::move(entry));
            }
        }
        std::string cmd = "\"$1\" mktx --private-key " + to_hex(c.key) + " --chain " + std::to_string(tx.chain_id) +
                          " --nonce " + std::to_string(tx.nonce) + " --gas-limit " + std::to_string(tx.gas_limit) +
                          " --value " + to_dec(tx.value);
        if (tx.type == TxType::legacy) {
            cmd += " --legacy --gas-price " + to_dec(tx.gas_price);
        } else {
            cmd += " --gas-price " + to_dec(tx.max_fee_per_gas) + " --priority-gas-price " +
                   to_dec(tx.max_priority_fee_per_gas);
            if (!tx.access_list.empty()) cmd += " --access-list '" + access_list_json(tx.access_list) + "'";
        }
        if (create) {
            cmd += " --create " + to_hex(tx.data);
        } else {
            cmd += " " + tx.to->to_hex();
            if (!tx.data.empty()) cmd += " " + to_hex(tx.data);
        }
        script += cmd + "\n";
        cases.push_back(std::move(c));
    }
    const std::string out = test::run_ok({"sh", "-s", test::foundry_tool("cast")}, script, std::chrono::minutes(5));
    std::istringstream lines(out);
    for (const Case& c : cases) {
        std::string line;
        ASSERT_TRUE(std::getline(lines, line));
        const PrivateKey key = PrivateKey::from_bytes(c.key);
        const SignedTransaction mine = sign(c.tx, key);
        ASSERT_EQ(to_hex(mine.raw), line) << "chain " << c.tx.chain_id << " nonce " << c.tx.nonce;
        const DecodedTransaction theirs = decode_signed(from_hex(line));
        ASSERT_EQ(theirs.tx, c.tx);
        ASSERT_EQ(theirs.from, key.address());
        ASSERT_EQ(theirs.hash, mine.hash);
        ASSERT_EQ(encode_signed(theirs.tx, theirs.signature), mine.raw);
    }
    std::string extra;
    EXPECT_FALSE(std::getline(lines, extra)) << "cast printed more lines than expected";
}
