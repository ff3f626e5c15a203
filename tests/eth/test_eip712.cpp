#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "base/hex.hpp"
#include "eth/eip712.hpp"
#include "eth/keccak.hpp"
#include "eth/uint256.hpp"
#include "support/process.hpp"

using namespace dossier;
using namespace dossier::eth;
using nlohmann::json;

namespace {

/// The "Mail" example of EIP-712 (its reference Example.js), verbatim.
constexpr std::string_view kMail = R"({
  "types": {
    "EIP712Domain": [
      {"name": "name", "type": "string"}, {"name": "version", "type": "string"},
      {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
    "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
    "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"},
             {"name": "contents", "type": "string"}]
  },
  "primaryType": "Mail",
  "domain": {"name": "Ether Mail", "version": "1", "chainId": 1,
             "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
  "message": {
    "from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
    "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
    "contents": "Hello, Bob!"
  }
})";

PrivateKey cow_key() { return PrivateKey::from_bytes(keccak256(as_bytes("cow"))); }

eip712::TypedData mail() { return eip712::TypedData::parse(kMail); }

/// Expects digest() of `j` to throw Eip712Error (whether at parsing or at hashing).
void expect_rejected(const json& j) {
    EXPECT_THROW((void)eip712::digest(eip712::TypedData::from_json(j)), eip712::Eip712Error) << j.dump();
}

}  // namespace

TEST(Eip712, MailExampleFromTheEip) {
    const auto td = mail();
    EXPECT_EQ(eip712::encode_type(td.types, "Mail"), "Mail(Person from,Person to,string contents)Person(string name,address wallet)");
    EXPECT_EQ(to_hex(eip712::type_hash(td.types, "Mail")),
              "0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2");
    EXPECT_EQ(to_hex(eip712::hash_struct(td.types, "Mail", td.message)),
              "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e");
    EXPECT_EQ(to_hex(eip712::domain_separator(td)),
              "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f");
    EXPECT_EQ(to_hex(eip712::digest(td)), "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");
    const Signature sig = eip712::sign(cow_key(), td);
    EXPECT_EQ(sig.recovery_id + 27, 28);
    EXPECT_EQ(to_hex(sig.r), "0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d");
    EXPECT_EQ(to_hex(sig.s), "0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562");
    EXPECT_EQ(recover_address(eip712::digest(td), sig), cow_key().address());
}

TEST(Eip712, DomainTypeIsInferredWhenNotDefined) {
    auto td = mail();
    const Bytes32 explicit_digest = eip712::digest(td);
    td.types.erase("EIP712Domain");
    EXPECT_EQ(eip712::digest(td), explicit_digest);
    td.domain["unknownField"] = 1;
    EXPECT_THROW((void)eip712::digest(td), eip712::Eip712Error);
}

TEST(Eip712, EncodeTypeSortsReferencedTypesAndFollowsArrays) {
    const eip712::Types types = {
        {"Top", {{"z", "Zed[]"}, {"a", "Alpha[2][]"}, {"n", "uint8"}}},
        {"Zed", {{"m", "Mid"}}},
        {"Mid", {{"x", "bytes"}}},
        {"Alpha", {{"s", "string"}}},
        {"Unused", {{"q", "bool"}}},
    };
    EXPECT_EQ(eip712::encode_type(types, "Top"),
              "Top(Zed[] z,Alpha[2][] a,uint8 n)Alpha(string s)Mid(bytes x)Zed(Mid m)");
    // Recursive types are legal (a struct may hold an array of itself).
    const eip712::Types tree = {{"Node", {{"kids", "Node[]"}, {"v", "uint256"}}}};
    EXPECT_EQ(eip712::encode_type(tree, "Node"), "Node(Node[] kids,uint256 v)");
    const json value = {{"v", 1}, {"kids", {{{"v", 2}, {"kids", json::array()}}}}};
    EXPECT_NO_THROW((void)eip712::hash_struct(tree, "Node", value));
    EXPECT_THROW((void)eip712::encode_type(types, "Missing"), eip712::Eip712Error);
}

TEST(Eip712, ValueFormsAgree) {
    const eip712::Types types = {{"T", {{"u", "uint64"}, {"i", "int16"}}}};
    const Bytes32 h = eip712::hash_struct(types, "T", {{"u", 255}, {"i", -2}});
    EXPECT_EQ(eip712::hash_struct(types, "T", {{"u", "255"}, {"i", "-2"}}), h);
    EXPECT_EQ(eip712::hash_struct(types, "T", {{"u", "0xff"}, {"i", "-0x2"}}), h);
    EXPECT_EQ(eip712::hash_struct(types, "T", {{"u", 255.0}, {"i", -2.0}}), h);
    // int16 -2 is the 256-bit two's complement word.
    Bytes expected;
    append(expected, eip712::type_hash(types, "T"));
    append(expected, to_be32(U256(255)));
    append(expected, to_be32(U256(0) - 2));
    EXPECT_EQ(h, keccak256(expected));
}

TEST(Eip712, RejectsValuesThatDoNotFit) {
    const json base = json::parse(kMail);
    auto with_message = [&](const std::string& type, const json& value) {
        json j = base;
        j["types"]["Mail"].push_back({{"name", "extra"}, {"type", type}});
        j["message"]["extra"] = value;
        return j;
    };
    expect_rejected(with_message("uint8", 256));
    expect_rejected(with_message("uint8", -1));
    expect_rejected(with_message("int8", 128));
    expect_rejected(with_message("int8", -129));
    expect_rejected(with_message("uint256", "0x1" + std::string(64, '0')));
    expect_rejected(with_message("uint256", 1.5));
    expect_rejected(with_message("uint256", "12abc"));
    expect_rejected(with_message("bool", 1));
    expect_rejected(with_message("bytes4", "0x010203"));
    expect_rejected(with_message("bytes", "010203"));
    expect_rejected(with_message("address", "0x1234"));
    expect_rejected(with_message("address", "0xcD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"));  // bad EIP-55
    expect_rejected(with_message("string", 5));
    expect_rejected(with_message("uint8[2]", {1, 2, 3}));
    expect_rejected(with_message("uint8[]", 1));
    expect_rejected(with_message("Person", "not an object"));
    expect_rejected(with_message("Nope", 1));
    expect_rejected(with_message("uint7", 1));
    expect_rejected(with_message("bytes33", "0x00"));
    expect_rejected(with_message("uint8[0]", json::array()));
    expect_rejected(with_message("uint8[", 1));
    expect_rejected(with_message("uint 8", 1));
    EXPECT_NO_THROW((void)eip712::digest(eip712::TypedData::from_json(with_message("int8", -128))));
    EXPECT_NO_THROW((void)eip712::digest(eip712::TypedData::from_json(with_message("uint8[2]", {1, 2}))));

    json missing = base;
    missing["message"]["from"].erase("wallet");
    expect_rejected(missing);
    json no_primary = base;
    no_primary["primaryType"] = "Letter";
    expect_rejected(no_primary);
    json twice = base;
    twice["types"]["Person"].push_back({{"name", "name"}, {"type", "string"}});
    expect_rejected(twice);
    EXPECT_THROW((void)eip712::TypedData::parse("{not json"), eip712::Eip712Error);
    EXPECT_THROW((void)eip712::TypedData::parse("[]"), eip712::Eip712Error);

    // Extra members in a value are ignored, as every implementation does.
    json extra = base;
    extra["message"]["unrelated"] = 1;
    EXPECT_EQ(eip712::digest(eip712::TypedData::from_json(extra)), eip712::digest(mail()));
}

TEST(Eip712, DeepNestingIsRejectedNotOverflowed) {
    const eip712::Types tree = {{"Node", {{"kids", "Node[]"}}}};
    json value = {{"kids", json::array()}};
    for (int i = 0; i < 200; ++i) value = {{"kids", json::array({value})}};
    EXPECT_THROW((void)eip712::hash_struct(tree, "Node", value), eip712::Eip712Error);
}

namespace {

/// Random typed data: a DAG of 1..4 struct types with 1..5 members each, covering every atomic
/// type, bytes, string, nested structs and (nested, fixed and dynamic) arrays, with values in
/// every accepted JSON form.
class TypedDataGenerator {
public:
    explicit TypedDataGenerator(std::uint64_t seed) : rng_(seed) {}

    json make() {
        static const char* const kNames[] = {"Mail", "Person", "Zeta", "alpha", "Grant", "Record", "B", "Audit_1"};
        const std::size_t n = 1 + rng_() % 4;
        std::vector<std::string> names;
        while (names.size() < n) {
            const std::string name = kNames[rng_() % 8];
            if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
        }
        json types = json::object();
        // Type i may refer only to types after it, so every value is finite.
        for (std::size_t i = n; i-- > 0;) {
            json members = json::array();
            const std::size_t count = 1 + rng_() % 5;
            for (std::size_t m = 0; m < count; ++m) {
                std::string type = random_type(names, i);
                members.push_back({{"name", "m" + std::to_string(m)}, {"type", type}});
            }
            types[names[i]] = members;
        }
        json domain = json::object();
        json domain_type = json::array();
        if (rng_() % 2) domain["name"] = random_string(), domain_type.push_back({{"name", "name"}, {"type", "string"}});
        if (rng_() % 2) domain["version"] = std::to_string(rng_() % 10), domain_type.push_back({{"name", "version"}, {"type", "string"}});
        if (rng_() % 2) domain["chainId"] = rng_() % 100000, domain_type.push_back({{"name", "chainId"}, {"type", "uint256"}});
        if (rng_() % 2) domain["verifyingContract"] = random_hex(20), domain_type.push_back({{"name", "verifyingContract"}, {"type", "address"}});
        if (rng_() % 4 == 0) domain["salt"] = random_hex(32), domain_type.push_back({{"name", "salt"}, {"type", "bytes32"}});
        if (rng_() % 2) types["EIP712Domain"] = domain_type;
        json j = {{"types", types}, {"primaryType", names[0]}, {"domain", domain}};
        j["message"] = random_struct(types, names[0], 0);
        return j;
    }

private:
    std::string random_atomic() {
        switch (rng_() % 8) {
            case 0: return "uint" + std::to_string(8 * (1 + rng_() % 32));
            case 1: return "int" + std::to_string(8 * (1 + rng_() % 32));
            case 2: return "address";
            case 3: return "bool";
            case 4: return "bytes" + std::to_string(1 + rng_() % 32);
            case 5: return "bytes";
            case 6: return "string";
            default: return rng_() % 2 ? "uint256" : "bytes32";
        }
    }

    std::string random_type(const std::vector<std::string>& names, std::size_t self) {
        std::string t = (self + 1 < names.size() && rng_() % 3 == 0) ? names[self + 1 + rng_() % (names.size() - self - 1)]
                                                                     : random_atomic();
        const std::size_t dims = rng_() % 6 == 0 ? 2 : (rng_() % 3 == 0 ? 1 : 0);
        for (std::size_t d = 0; d < dims; ++d) t += rng_() % 2 ? "[]" : "[" + std::to_string(1 + rng_() % 3) + "]";
        return t;
    }

    std::string random_hex(std::size_t n) {
        Bytes b(n);
        for (auto& x : b) x = static_cast<std::uint8_t>(rng_());
        return to_hex(b);
    }

    std::string random_string() {
        static const char* const kPieces[] = {"a", "Z", " ", "0", "é", "漢", "\"", "\\", "\n", "{", "🙂", "x"};
        std::string s;
        const std::size_t n = rng_() % 12;
        for (std::size_t i = 0; i < n; ++i) s += kPieces[rng_() % 12];
        return s;
    }

    U256 random_bits(unsigned bits) {
        U256 v = 0;
        for (int i = 0; i < 4; ++i) v = (v << 64) | U256(rng_());
        const unsigned keep = static_cast<unsigned>(rng_() % (bits + 1));
        return keep == 0 ? U256(0) : (v >> (256 - keep));
    }

    json integer_json(bool negative, const U256& magnitude) {
        const std::string sign = negative ? "-" : "";
        switch (rng_() % 3) {
            case 0:
                if (magnitude < (U256(1) << 53))
                    return negative ? json(-static_cast<std::int64_t>(magnitude)) : json(static_cast<std::uint64_t>(magnitude));
                [[fallthrough]];
            case 1: return sign + to_dec(magnitude);
            default: return sign + to_quantity(magnitude);
        }
    }

    json random_value(const json& types, const std::string& type, std::size_t depth) {
        if (type.back() == ']') {
            const std::size_t open = type.rfind('[');
            const std::string element = type.substr(0, open);
            const std::string len = type.substr(open + 1, type.size() - open - 2);
            const std::size_t n = len.empty() ? rng_() % 3 : std::stoul(len);
            json arr = json::array();
            for (std::size_t i = 0; i < n; ++i) arr.push_back(random_value(types, element, depth + 1));
            return arr;
        }
        if (types.contains(type)) return random_struct(types, type, depth + 1);
        if (type == "address") return rng_() % 2 ? random_hex(20) : Address::from_hex(random_hex(20)).to_checksum();
        if (type == "bool") return rng_() % 2 == 0;
        if (type == "string") return random_string();
        if (type == "bytes") return random_hex(rng_() % 70);
        if (type.starts_with("bytes")) return random_hex(std::stoul(type.substr(5)));
        if (type.starts_with("uint")) return integer_json(false, random_bits(static_cast<unsigned>(std::stoul(type.substr(4)))));
        const unsigned bits = static_cast<unsigned>(std::stoul(type.substr(3)));
        const bool negative = rng_() % 2;
        U256 magnitude = random_bits(bits - 1);  // below 2^(bits-1): in range either way
        if (negative && rng_() % 8 == 0) magnitude = U256(1) << (bits - 1);  // the minimum value
        return integer_json(negative && magnitude != 0, magnitude);
    }

    json random_struct(const json& types, const std::string& type, std::size_t depth) {
        json obj = json::object();
        for (const json& m : types[type]) obj[m["name"].get<std::string>()] = random_value(types, m["type"], depth);
        return obj;
    }

    std::mt19937_64 rng_;
};

}  // namespace

// Differential test against foundry's cast: 1,000 random typed-data documents, each signed by a
// random key with `cast wallet sign --data --from-file`; RFC 6979 makes both signatures
// deterministic, so they must be byte-identical.
TEST(Eip712, MatchesCastOnRandomTypedData) {
    test::TempDir dir;
    TypedDataGenerator gen(424242);
    std::mt19937_64 rng(99);
    std::vector<std::pair<eip712::TypedData, Bytes32>> cases;
    std::string script;
    for (int i = 0; i < 1000; ++i) {
        const json j = gen.make();
        const std::string path = dir.path() + "/" + std::to_string(i) + ".json";
        std::ofstream(path) << j.dump();
        Bytes32 key{};
        for (auto& x : key) x = static_cast<std::uint8_t>(rng());
        script += "\"$1\" wallet sign --data --from-file --private-key " + to_hex(key) + " " + path + "\n";
        cases.emplace_back(eip712::TypedData::from_json(j), key);
    }
    const std::string out = test::run_ok({"sh", "-s", test::foundry_tool("cast")}, script, std::chrono::minutes(5));
    std::istringstream lines(out);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        std::string line;
        ASSERT_TRUE(std::getline(lines, line));
        const PrivateKey key = PrivateKey::from_bytes(cases[i].second);
        const Signature mine = eip712::sign(key, cases[i].first);
        ASSERT_EQ(to_hex(mine.to_bytes()), line) << "typed data " << cases[i].first.message.dump();
        ASSERT_EQ(recover_address(eip712::digest(cases[i].first), Signature::from_hex(line)), key.address());
    }
}
