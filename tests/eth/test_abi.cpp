#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "base/hex.hpp"
#include "eth/abi.hpp"
#include "eth/keccak.hpp"
#include "support/anvil.hpp"
#include "support/process.hpp"

using namespace dossier;
using namespace dossier::eth;
using namespace dossier::eth::abi;

namespace {

std::vector<Type> types(std::string_view list) { return parse_types(list); }
Value u(std::uint64_t x) { return Value::uint(U256(x)); }
Value str(const std::string& s) { return Value::string(s); }
Value list(Value::List items) { return Value::list(std::move(items)); }
Value fixed(std::string_view hex) { return Value::fixed_bytes(from_hex(hex)); }

std::string cast() { return test::foundry_tool("cast"); }
std::string run_cast(const std::vector<std::string>& args) {
    std::vector<std::string> argv{cast()};
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run_ok(argv);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Types

TEST(AbiType, ParsesAndCanonicalises) {
    EXPECT_EQ(Type::parse("uint").canonical(), "uint256");
    EXPECT_EQ(Type::parse("int").canonical(), "int256");
    EXPECT_EQ(Type::parse("int8").canonical(), "int8");
    EXPECT_EQ(Type::parse("bytes32").canonical(), "bytes32");
    EXPECT_EQ(Type::parse("address[3]").canonical(), "address[3]");
    EXPECT_EQ(Type::parse("uint[][2]").canonical(), "uint256[][2]");
    EXPECT_EQ(Type::parse("( uint , bytes b )[]").canonical(), "(uint256,bytes)[]");
    EXPECT_EQ(Type::parse("((uint8,(bool,string[])),address)[2][]").canonical(), "((uint8,(bool,string[])),address)[2][]");
    EXPECT_EQ(canonical(types("uint, (bool,bytes4)[3] ,string")), "uint256,(bool,bytes4)[3],string");
    EXPECT_TRUE(types("").empty());
}

TEST(AbiType, DynamicAndHeadSize) {
    EXPECT_FALSE(Type::parse("uint256").is_dynamic());
    EXPECT_TRUE(Type::parse("bytes").is_dynamic());
    EXPECT_TRUE(Type::parse("string").is_dynamic());
    EXPECT_TRUE(Type::parse("uint256[]").is_dynamic());
    EXPECT_FALSE(Type::parse("uint256[3]").is_dynamic());
    EXPECT_TRUE(Type::parse("string[3]").is_dynamic());
    EXPECT_FALSE(Type::parse("(uint256,bool[2])").is_dynamic());
    EXPECT_TRUE(Type::parse("(uint256,bytes)").is_dynamic());
    EXPECT_EQ(Type::parse("uint256[3]").head_size(), 96u);
    EXPECT_EQ(Type::parse("(uint256,bool[2])[2]").head_size(), 192u);
    EXPECT_EQ(Type::parse("(uint256,bytes)[2]").head_size(), 32u);
    EXPECT_EQ(Type::parse("bytes").head_size(), 32u);
}

TEST(AbiType, RejectsInvalidTypes) {
    for (const char* bad : {"uint7", "uint264", "uint0", "uint08", "int300", "bytes33", "bytes0", "bytes08", "(uint256",
                            "uint256)", "(uint256,)", "()", "uint256[0]", "uint256[", "uint256[01]", "uint256[-1]",
                            "fixed128x18", "function", "Uint256", "addresss", "", "uint256 x", "uint256[]x",
                            "uint256[99999999999999999999]", "(uint256[1048576])[1048576]"}) {
        EXPECT_THROW((void)Type::parse(bad), AbiError) << bad;
    }
    std::string deep;
    for (int i = 0; i < 40; ++i) deep += "(";
    deep += "uint256";
    for (int i = 0; i < 40; ++i) deep += ")";
    EXPECT_THROW((void)Type::parse(deep), AbiError);
    EXPECT_THROW((void)Type::parse("uint256" + std::string(5000, '[') ), AbiError);
    EXPECT_THROW((void)Type::parse(std::string(100000, '(')), AbiError);
    EXPECT_THROW((void)Type::uint(7), AbiError);
    EXPECT_THROW((void)Type::sint(264), AbiError);
    EXPECT_THROW((void)Type::fixed_bytes(0), AbiError);
    EXPECT_THROW((void)Type::fixed_array(Type::boolean(), 0), AbiError);
    EXPECT_THROW((void)Type::tuple({}), AbiError);
    // An AbiError is a DecodeError.
    EXPECT_THROW((void)Type::parse("uint7"), DecodeError);
}

TEST(AbiType, ParsesDeclarations) {
    const Signature s = Signature::parse(
        "event Granted(address indexed patient, address indexed doctor, (bytes32 id, string[] tags) scope, uint64)");
    EXPECT_EQ(s.name, "Granted");
    EXPECT_EQ(s.canonical(), "Granted(address,address,(bytes32,string[]),uint64)");
    ASSERT_EQ(s.params.size(), 4u);
    EXPECT_TRUE(s.params[0].indexed);
    EXPECT_EQ(s.params[1].name, "doctor");
    EXPECT_FALSE(s.params[2].indexed);
    EXPECT_EQ(s.params[2].name, "scope");
    EXPECT_EQ(Signature::parse("function addRecord(address patient, bytes memory envelope)").canonical(),
              "addRecord(address,bytes)");
    EXPECT_EQ(Signature::parse("f()").canonical(), "f()");
    for (const char* bad : {"f(", "f(uint256", "(uint256)", "f(uint7)", "f(uint256)(bool)", "f(uint256 a b)",
                            "f((uint256 indexed a))", "1f()", "f(uint256 indexed indexed)"}) {
        EXPECT_THROW((void)Signature::parse(bad), AbiError) << bad;
    }
}

// ---------------------------------------------------------------------------------------------
// The examples of the Solidity ABI specification ("Examples" and "Use of Dynamic Types").

TEST(Abi, SpecExampleBaz) {
    const std::vector<Value> args{u(69), Value::boolean(true)};
    EXPECT_EQ(to_hex(selector("baz(uint32,bool)")), "0xcdcd77c0");
    const Bytes call = encode_call("baz(uint32 x, bool y)", args);
    EXPECT_EQ(to_hex(call),
              "0xcdcd77c0"
              "0000000000000000000000000000000000000000000000000000000000000045"
              "0000000000000000000000000000000000000000000000000000000000000001");
    EXPECT_EQ(decode_call("baz(uint32,bool)", call), args);
}

TEST(Abi, SpecExampleBar) {
    const std::vector<Value> args{list({fixed("0x616263"), fixed("0x646566")})};
    const Bytes call = encode_call("bar(bytes3[2])", args);
    EXPECT_EQ(to_hex(call),
              "0xfce353f6"
              "6162630000000000000000000000000000000000000000000000000000000000"
              "6465660000000000000000000000000000000000000000000000000000000000");
    EXPECT_EQ(decode_call("bar(bytes3[2])", call), args);
}

TEST(Abi, SpecExampleSam) {
    const std::vector<Value> args{Value::bytes(Bytes{'d', 'a', 'v', 'e'}), Value::boolean(true), list({u(1), u(2), u(3)})};
    const Bytes call = encode_call("sam(bytes,bool,uint[])", args);
    EXPECT_EQ(to_hex(call),
              "0xa5643bf2"
              "0000000000000000000000000000000000000000000000000000000000000060"
              "0000000000000000000000000000000000000000000000000000000000000001"
              "00000000000000000000000000000000000000000000000000000000000000a0"
              "0000000000000000000000000000000000000000000000000000000000000004"
              "6461766500000000000000000000000000000000000000000000000000000000"
              "0000000000000000000000000000000000000000000000000000000000000003"
              "0000000000000000000000000000000000000000000000000000000000000001"
              "0000000000000000000000000000000000000000000000000000000000000002"
              "0000000000000000000000000000000000000000000000000000000000000003");
    EXPECT_EQ(call.size(), 292u);
    EXPECT_EQ(decode_call("sam(bytes,bool,uint256[])", call), args);
}

TEST(Abi, SpecExampleDynamicTypes) {
    const std::vector<Value> args{u(0x123), list({u(0x456), u(0x789)}), fixed(to_hex(as_bytes("1234567890"))),
                                  Value::bytes(Bytes{'H', 'e', 'l', 'l', 'o', ',', ' ', 'w', 'o', 'r', 'l', 'd', '!'})};
    EXPECT_EQ(to_hex(selector("f(uint,uint32[],bytes10,bytes)")), "0x8be65246");
    const Bytes call = encode_call("f(uint,uint32[],bytes10,bytes)", args);
    EXPECT_EQ(to_hex(call),
              "0x8be65246"
              "0000000000000000000000000000000000000000000000000000000000000123"
              "0000000000000000000000000000000000000000000000000000000000000080"
              "3132333435363738393000000000000000000000000000000000000000000000"
              "00000000000000000000000000000000000000000000000000000000000000e0"
              "0000000000000000000000000000000000000000000000000000000000000002"
              "0000000000000000000000000000000000000000000000000000000000000456"
              "0000000000000000000000000000000000000000000000000000000000000789"
              "000000000000000000000000000000000000000000000000000000000000000d"
              "48656c6c6f2c20776f726c642100000000000000000000000000000000000000");
    EXPECT_EQ(decode_call("f(uint256,uint32[],bytes10,bytes)", call), args);
}

TEST(Abi, SpecExampleNestedArraysAndStrings) {
    const std::vector<Value> args{list({list({u(1), u(2)}), list({u(3)})}), list({str("one"), str("two"), str("three")})};
    EXPECT_EQ(to_hex(selector("g(uint[][],string[])")), "0x2289b18c");
    const Bytes call = encode_call("g(uint[][],string[])", args);
    EXPECT_EQ(to_hex(call),
              "0x2289b18c"
              "0000000000000000000000000000000000000000000000000000000000000040"
              "0000000000000000000000000000000000000000000000000000000000000140"
              "0000000000000000000000000000000000000000000000000000000000000002"
              "0000000000000000000000000000000000000000000000000000000000000040"
              "00000000000000000000000000000000000000000000000000000000000000a0"
              "0000000000000000000000000000000000000000000000000000000000000002"
              "0000000000000000000000000000000000000000000000000000000000000001"
              "0000000000000000000000000000000000000000000000000000000000000002"
              "0000000000000000000000000000000000000000000000000000000000000001"
              "0000000000000000000000000000000000000000000000000000000000000003"
              "0000000000000000000000000000000000000000000000000000000000000003"
              "0000000000000000000000000000000000000000000000000000000000000060"
              "00000000000000000000000000000000000000000000000000000000000000a0"
              "00000000000000000000000000000000000000000000000000000000000000e0"
              "0000000000000000000000000000000000000000000000000000000000000003"
              "6f6e650000000000000000000000000000000000000000000000000000000000"
              "0000000000000000000000000000000000000000000000000000000000000003"
              "74776f0000000000000000000000000000000000000000000000000000000000"
              "0000000000000000000000000000000000000000000000000000000000000005"
              "7468726565000000000000000000000000000000000000000000000000000000");
    EXPECT_EQ(decode_call("g(uint256[][],string[])", call), args);
}

// ---------------------------------------------------------------------------------------------
// Encoding errors and strict decoding

TEST(Abi, EncodeRejectsValuesThatDoNotFitTheirType) {
    EXPECT_THROW((void)encode(types("uint8"), std::vector<Value>{u(256)}), AbiError);
    EXPECT_NO_THROW((void)encode(types("uint8"), std::vector<Value>{u(255)}));
    EXPECT_THROW((void)encode(types("int8"), std::vector<Value>{Value::sint(128)}), AbiError);
    EXPECT_THROW((void)encode(types("int8"), std::vector<Value>{Value::sint(-129)}), AbiError);
    EXPECT_NO_THROW((void)encode(types("int8"), std::vector<Value>{Value::sint(-128)}));
    EXPECT_THROW((void)encode(types("bytes4"), std::vector<Value>{fixed("0x010203")}), AbiError);
    EXPECT_THROW((void)encode(types("uint256[2]"), std::vector<Value>{list({u(1)})}), AbiError);
    EXPECT_THROW((void)encode(types("(uint256,bool)"), std::vector<Value>{list({u(1)})}), AbiError);
    EXPECT_THROW((void)encode(types("string"), std::vector<Value>{u(1)}), AbiError);
    EXPECT_THROW((void)encode(types("uint256,uint256"), std::vector<Value>{u(1)}), AbiError);
    EXPECT_EQ(to_hex(encode(types("int16"), std::vector<Value>{Value::sint(-2)})),
              "0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe");
}

namespace {
// Decoding `hex` (whitespace ignored) as `type_list` must fail with AbiError.
void expect_rejected(std::string_view type_list, std::string hex) {
    std::erase_if(hex, [](char c) { return c == ' ' || c == '\n'; });
    const Bytes data = from_hex(hex);
    EXPECT_THROW((void)decode(types(type_list), data), AbiError) << type_list << " " << hex;
}
constexpr const char* kZero = "0000000000000000000000000000000000000000000000000000000000000000";
constexpr const char* kOne = "0000000000000000000000000000000000000000000000000000000000000001";
std::string word(std::uint64_t v) { return to_hex_raw(to_be32(U256(v))); }
}  // namespace

TEST(Abi, StrictDecodingRejectsMalformedInput) {
    // Well-formed baseline so each rejection below is about one defect.
    const std::vector<Value> sam{Value::bytes(Bytes{'d'}), Value::boolean(true), list({u(7)})};
    const Bytes good = encode(types("bytes,bool,uint256[]"), sam);
    EXPECT_EQ(decode(types("bytes,bool,uint256[]"), good), sam);

    expect_rejected("uint256", "");                                         // truncated
    expect_rejected("uint256", std::string(kOne).substr(0, 62));            // truncated word
    expect_rejected("uint256", std::string(kOne) + "00");                   // trailing byte
    expect_rejected("uint256", std::string(kOne) + kZero);                  // trailing word
    expect_rejected("bool", word(2));                                       // bool not 0/1
    expect_rejected("bool", "01" + std::string(kZero).substr(2));           // bool high byte
    expect_rejected("address", "01" + std::string(kZero).substr(2));        // address high bytes
    expect_rejected("uint8", word(256));                                    // uint8 out of range
    expect_rejected("uint64", "00000000000000000000000000000001" + std::string(32, '0'));
    expect_rejected("int8", word(128));                                     // positive, not sign-extended
    expect_rejected("int8", "ff" + std::string(62, '0'));                   // negative high byte, low byte positive
    expect_rejected("int8", std::string(62, 'f') + "7f");                   // 0x..ff7f is not a valid int8
    expect_rejected("bytes2", "123456" + std::string(58, '0'));             // bytesN non-zero padding
    // bytes: non-zero padding, truncated content, length beyond the input
    expect_rejected("bytes", word(32) + word(1) + "0164" + std::string(60, '0'));
    expect_rejected("bytes", word(32) + word(33) + std::string(64, '0'));
    expect_rejected("bytes", word(32) + "ffffffffffffffff" + std::string(48, '0'));
    // offsets: out of range, pointing into the head, leaving a gap, overlapping
    expect_rejected("bytes", word(1024) + word(0));
    expect_rejected("bytes", word(0) + word(0));
    expect_rejected("bytes", word(64) + kZero + word(0));
    expect_rejected("string,string", word(64) + word(64) + word(0));
    expect_rejected("uint256[],uint256[]", word(64) + word(96) + word(1) + word(0));
    // A huge offset or length in a small input fails quickly and allocates nothing large.
    std::string small = word(32) + "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
    for (int i = 0; i < 30; ++i) small += kZero;
    for (const char* t : {"uint256[]", "bytes", "string[]", "(uint256,bytes)[]", "uint256[][]"}) {
        const auto start = std::chrono::steady_clock::now();
        expect_rejected(t, small);
        expect_rejected(t, word(32) + word(1u << 30) + std::string(64 * 30, '0'));
        EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200)) << t;
    }
    // An array length that fits the input only if elements had no size.
    expect_rejected("uint256[2][]", word(32) + word(3) + std::string(64 * 4, '0'));
    // The well-formed encoding with any single offset/length word bumped is rejected.
    for (std::size_t w : {0u, 2u, 3u, 5u}) {
        Bytes bad = good;
        bad[w * 32 + 31] ^= 0x20;
        EXPECT_THROW((void)decode(types("bytes,bool,uint256[]"), bad), AbiError) << "word " << w;
    }
    // Error messages say what and where.
    try {
        (void)decode(types("bool"), from_hex(word(2)));
        FAIL();
    } catch (const AbiError& e) {
        EXPECT_NE(std::string(e.what()).find("bool"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("byte 31"), std::string::npos) << e.what();
    }
}

TEST(Abi, DecodeCallChecksTheSelector) {
    Bytes call = encode_call("transfer(address,uint256)", std::vector<Value>{Value::address(Address{}), u(5)});
    EXPECT_EQ(to_hex(ByteView(call).subspan(0, 4)), "0xa9059cbb");
    EXPECT_NO_THROW((void)decode_call("transfer(address to, uint256 amount)", call));
    call[0] ^= 1;
    EXPECT_THROW((void)decode_call("transfer(address,uint256)", call), AbiError);
    EXPECT_THROW((void)decode_call("transfer(address,uint256)", Bytes{0xa9, 0x05}), AbiError);
}

// ---------------------------------------------------------------------------------------------
// Text form

TEST(AbiText, ParsesCastStyleArguments) {
    EXPECT_EQ(parse_value(Type::parse("uint256"), "1000"), u(1000));
    EXPECT_EQ(parse_value(Type::parse("uint256"), "0x3e8"), u(1000));
    EXPECT_EQ(parse_value(Type::parse("int8"), "-128"), Value::sint(-128));
    EXPECT_EQ(parse_value(Type::parse("int8"), "0x7f"), Value::sint(127));
    EXPECT_THROW((void)parse_value(Type::parse("int8"), "128"), AbiError);
    EXPECT_THROW((void)parse_value(Type::parse("int8"), "0xff"), AbiError);
    EXPECT_THROW((void)parse_value(Type::parse("uint8"), "256"), AbiError);
    EXPECT_THROW((void)parse_value(Type::parse("uint8"), "-1"), AbiError);
    EXPECT_EQ(parse_value(Type::parse("bool"), "true"), Value::boolean(true));
    EXPECT_THROW((void)parse_value(Type::parse("bool"), "1"), AbiError);
    EXPECT_THROW((void)parse_value(Type::parse("bytes2"), "0x12"), AbiError);
    EXPECT_THROW((void)parse_value(Type::parse("address"), "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"), AbiError);
    const Type t = Type::parse("(uint8,string[],(bool,bytes))[]");
    const Value v = parse_value(t, R"([(1, ["a,b", 'say "hi"', plain text , ""], (true, 0x)), (2,[],(false,0xABcd))])");
    const Value expected = list({list({u(1), list({str("a,b"), str("say \"hi\""), str("plain text"), str("")}),
                                       list({Value::boolean(true), Value::bytes({})})}),
                                 list({u(2), list({}), list({Value::boolean(false), Value::bytes({0xab, 0xcd})})})});
    EXPECT_EQ(v, expected);
    EXPECT_EQ(parse_value(t, format_value(t, v)), v);
    EXPECT_EQ(format_value(t, v),
              R"([(1, ["a,b", 'say "hi"', "plain text", ""], (true, 0x)), (2, [], (false, 0xabcd))])");
    EXPECT_EQ(parse_value(Type::string(), "\"quoted\""), str("quoted"));
    EXPECT_EQ(parse_value(Type::string(), " raw, text "), str(" raw, text "));
    for (const char* bad : {"[1,2", "[1,,2]", "[(1)]", "[1] x", "(1)"})
        EXPECT_THROW((void)parse_value(Type::parse("uint256[]"), bad), AbiError) << bad;
    EXPECT_THROW((void)parse_value(Type::parse("uint256[2]"), "[1]"), AbiError);
    EXPECT_THROW((void)parse_value(Type::parse("(uint256,bool)"), "(1,true,3)"), AbiError);
}

// ---------------------------------------------------------------------------------------------
// Revert data

TEST(AbiRevert, ClassifiesRevertData) {
    const std::string not_authorized = run_cast({"calldata", "Error(string)", "not authorized"});
    Revert r = decode_revert(from_hex(not_authorized));
    EXPECT_EQ(r.kind, Revert::Kind::Error);
    EXPECT_EQ(r.reason, "not authorized");
    EXPECT_EQ(r.message(), "reverted: not authorized");
    EXPECT_EQ(to_hex(r.selector), "0x08c379a0");
    EXPECT_EQ(to_hex(r.data), not_authorized);

    r = decode_revert(from_hex(run_cast({"calldata", "Panic(uint256)", "17"})));
    EXPECT_EQ(r.kind, Revert::Kind::Panic);
    EXPECT_EQ(r.panic_code, 0x11);
    EXPECT_EQ(r.message(), "panic 0x11: arithmetic overflow or underflow");
    EXPECT_EQ(decode_revert(from_hex(run_cast({"calldata", "Panic(uint256)", "1"}))).message(),
              "panic 0x01: assertion failed");

    const std::vector<std::string> known{"NotPatient()", "NotGranted(address patient, uint64 id, string why)"};
    r = decode_revert(from_hex(run_cast({"calldata", "NotPatient()"})), known);
    EXPECT_EQ(r.kind, Revert::Kind::Custom);
    EXPECT_EQ(r.message(), "custom error NotPatient()");
    r = decode_revert(from_hex(run_cast({"calldata", "NotGranted(address,uint64,string)",
                                         "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "7", "expired"})),
                      known);
    EXPECT_EQ(r.kind, Revert::Kind::Custom);
    EXPECT_EQ(r.message(), "custom error NotGranted(0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed, 7, \"expired\")");

    EXPECT_EQ(decode_revert({}).kind, Revert::Kind::Empty);
    EXPECT_EQ(decode_revert({}).message(), "reverted without a reason");
    r = decode_revert(from_hex(run_cast({"calldata", "NotPatient()"})));  // not in the known list
    EXPECT_EQ(r.kind, Revert::Kind::Unknown);
    EXPECT_EQ(r.message(), "reverted with unrecognised error " + to_hex(r.selector) + " (4 bytes)");
    EXPECT_EQ(decode_revert(Bytes{0x01, 0x02}).kind, Revert::Kind::Unknown);
    // Error(string) with a truncated or non-strict body is not trusted as a reason.
    Bytes truncated = from_hex(not_authorized);
    truncated.pop_back();
    EXPECT_EQ(decode_revert(truncated).kind, Revert::Kind::Unknown);
    EXPECT_THROW((void)decode_revert(Bytes{1, 2, 3, 4}, std::vector<std::string>{"Bad("}), AbiError);
}

// ---------------------------------------------------------------------------------------------
// Events

TEST(AbiEvent, DecodesAHandBuiltLog) {
    const std::string decl =
        "RecordAdded(address indexed patient, bytes32 indexed recordId, string indexed label, uint64 version, bytes envelope)";
    const std::string patient = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    const std::string record_id = "0x0101010101010101010101010101010101010101010101010101010101010101";
    std::vector<Bytes32> topics{
        from_hex_fixed<32>(run_cast({"keccak", "RecordAdded(address,bytes32,string,uint64,bytes)"})),
        from_hex_fixed<32>(run_cast({"abi-encode", "f(address)", patient})),
        from_hex_fixed<32>(record_id),
        // An indexed string's topic is keccak-256 of its UTF-8 bytes (cast keccak of hex input).
        from_hex_fixed<32>(run_cast({"keccak", to_hex(as_bytes("label text"))})),
    };
    const Bytes data = from_hex(run_cast({"abi-encode", "f(uint64,bytes)", "7", "0x1234"}));
    EXPECT_EQ(event_topic(decl), topics[0]);
    EXPECT_EQ(topic_of(Type::string(), str("label text")), topics[3]);

    const std::vector<Value> v = decode_log(decl, topics, data);
    ASSERT_EQ(v.size(), 5u);
    EXPECT_EQ(v[0], Value::address(Address::from_hex(patient)));
    EXPECT_EQ(v[1], fixed(record_id));
    EXPECT_EQ(v[2], Value::fixed_bytes(Bytes(topics[3].begin(), topics[3].end())));
    EXPECT_EQ(v[3], u(7));
    EXPECT_EQ(v[4], Value::bytes({0x12, 0x34}));
    // The same with the indexed flags given separately.
    EXPECT_EQ(decode_log("RecordAdded(address,bytes32,string,uint64,bytes)", {true, true, true, false, false}, topics, data), v);

    // Wrong topic0, wrong topic count, malformed indexed word, malformed data.
    auto bad = topics;
    bad[0][0] ^= 1;
    EXPECT_THROW((void)decode_log(decl, bad, data), AbiError);
    EXPECT_THROW((void)decode_log(decl, std::vector<Bytes32>(topics.begin(), topics.end() - 1), data), AbiError);
    bad = topics;
    bad[1][0] = 1;  // address with non-zero high bytes
    EXPECT_THROW((void)decode_log(decl, bad, data), AbiError);
    Bytes bad_data = data;
    bad_data.push_back(0);
    EXPECT_THROW((void)decode_log(decl, topics, bad_data), AbiError);
}

TEST(AbiEvent, IndexedArrayTopicIsTheHashOfTheInPlaceEncoding) {
    // For arrays of value types the in-place encoding equals abi.encodePacked of the array.
    const std::string packed = run_cast({"abi-encode", "--packed", "f(uint256[])", "[1,2]"});
    EXPECT_EQ(to_hex(topic_of(Type::parse("uint256[]"), list({u(1), u(2)}))), run_cast({"keccak", packed}));
    // Nested strings are padded to 32 bytes, without length.
    const Bytes32 t = topic_of(Type::parse("(uint8,string)"), list({u(1), str("ab")}));
    EXPECT_EQ(to_hex(t), to_hex(keccak256(from_hex(word(1) + "6162" + std::string(60, '0')))));
    EXPECT_EQ(topic_of(Type::parse("int8"), Value::sint(-1)), from_hex_fixed<32>("0x" + std::string(64, 'f')));
}

// Real logs: a contract compiled by solc and run on anvil emits events with indexed strings,
// bytes, arrays and structs; decode_log must read them and topic_of must reproduce solc's hashes.
// (cast abi-encode-event hashes an indexed string's ABI encoding instead of its contents, so it
// cannot serve as the reference for those topics; solc is the reference.)
TEST(AbiEvent, DecodesRealLogsOfACompiledContractOnAnvil) {
    test::TempDir dir;
    std::ofstream(dir.path() + "/Emitter.sol") << R"(// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
contract Emitter {
    struct S { uint8 a; string b; }
    event Logged(address indexed who, string indexed label, uint256[] indexed refs, bytes32 id, string note, int16 delta);
    event Nested(S indexed s, S[] items, bytes indexed blob);
    function emitAll() external {
        uint256[] memory refs = new uint256[](2);
        refs[0] = 1;
        refs[1] = 2;
        emit Logged(msg.sender, "label text", refs, bytes32(uint256(7)), "a note", -5);
        S[] memory items = new S[](2);
        items[0] = S(1, "x");
        items[1] = S(2, "");
        emit Nested(S(3, "abc"), items, hex"010203");
    }
}
)";
    (void)test::run_ok({"sh", "-c", "cd \"$1\" && \"$2\" --bin --optimize -o out Emitter.sol", "sh", dir.path(),
                        test::node_tool("solcjs")},
                       {}, std::chrono::minutes(2));
    std::string bin;
    for (const auto& f : std::filesystem::directory_iterator(dir.path() + "/out"))
        if (f.path().string().ends_with("Emitter.bin")) std::getline(std::ifstream(f.path()), bin);
    ASSERT_FALSE(bin.empty());

    test::Anvil anvil;
    const auto send = [&](std::vector<std::string> args) {
        std::vector<std::string> argv{"send", "--rpc-url", anvil.url(), "--private-key", test::Anvil::kDevKey, "--json"};
        argv.insert(argv.end(), args.begin(), args.end());
        return nlohmann::json::parse(run_cast(argv));
    };
    const std::string contract = send({"--create", "0x" + bin}).at("contractAddress").get<std::string>();
    const nlohmann::json logs = send({contract, "emitAll()"}).at("logs");
    ASSERT_EQ(logs.size(), 2u);
    const auto topics_of = [](const nlohmann::json& log) {
        std::vector<Bytes32> t;
        for (const auto& x : log.at("topics")) t.push_back(from_hex_fixed<32>(x.get<std::string>()));
        return t;
    };

    const std::vector<Bytes32> t0 = topics_of(logs[0]);
    const std::vector<Value> logged = decode_log(
        "Logged(address indexed who, string indexed label, uint256[] indexed refs, bytes32 id, string note, int16 delta)",
        t0, from_hex(logs[0].at("data").get<std::string>()));
    ASSERT_EQ(logged.size(), 6u);
    EXPECT_EQ(logged[0], Value::address(Address::from_hex(test::Anvil::kDevAddress)));
    EXPECT_EQ(t0[2], topic_of(Type::string(), str("label text")));
    EXPECT_EQ(logged[1], Value::fixed_bytes(Bytes(t0[2].begin(), t0[2].end())));
    EXPECT_EQ(t0[3], topic_of(Type::parse("uint256[]"), list({u(1), u(2)})));
    EXPECT_EQ(logged[3], Value::fixed_bytes(from_hex(word(7))));
    EXPECT_EQ(logged[4], str("a note"));
    EXPECT_EQ(logged[5], Value::sint(-5));

    const std::vector<Bytes32> t1 = topics_of(logs[1]);
    const std::vector<Value> nested = decode_log("Nested((uint8 a, string b) indexed s, (uint8,string)[] items, bytes indexed blob)",
                                                 t1, from_hex(logs[1].at("data").get<std::string>()));
    ASSERT_EQ(nested.size(), 3u);
    EXPECT_EQ(t1[0], event_topic("Nested((uint8,string),(uint8,string)[],bytes)"));
    EXPECT_EQ(t1[1], topic_of(Type::parse("(uint8,string)"), list({u(3), str("abc")})));
    EXPECT_EQ(t1[2], topic_of(Type::bytes(), Value::bytes({1, 2, 3})));
    EXPECT_EQ(nested[1], list({list({u(1), str("x")}), list({u(2), str("")})}));
}

// ---------------------------------------------------------------------------------------------
// Differential test against foundry's cast: 1,000 random type lists (every elementary type,
// nested dynamic arrays, fixed arrays and tuples) with random values. Each case runs
// `cast abi-encode` and `cast calldata` on our text form of the values, all through one shell
// script on stdin; our encode/encode_call must match byte for byte, and our strict decoder must
// give the values back from cast's output.

namespace {

class RandomAbi {
public:
    explicit RandomAbi(std::uint64_t seed) : rng_(seed) {}

    Type type(int depth) {
        switch (pick(depth >= 3 ? 8 : 12)) {
            case 0: return Type::uint(8 * (1 + pick(32)));
            case 1: return Type::sint(8 * (1 + pick(32)));
            case 2: return Type::address();
            case 3: return Type::boolean();
            case 4: return Type::fixed_bytes(1 + pick(32));
            case 5: return Type::bytes();
            case 6: return Type::string();
            case 7: return Type::uint();
            case 8:
            case 9: return Type::array(type(depth + 1));
            case 10: return Type::fixed_array(type(depth + 1), 1 + pick(3));
            default: {
                std::vector<Type> components(1 + pick(3));
                for (Type& c : components) c = type(depth + 1);
                return Type::tuple(std::move(components));
            }
        }
    }

    Value value(const Type& t) {
        switch (t.kind) {
            case Type::Kind::Uint: return Value::uint(integer(t.size));
            case Type::Kind::Int: {
                U256 x = integer(t.size);
                if (pick(2) == 0) x |= ~U256(0) << (t.size - 1);  // negative half the time
                else if (t.size < 256 && bit_test(x, static_cast<unsigned>(t.size - 1)))
                    x |= ~U256(0) << t.size;  // sign-extend
                return Value::sint(Int{x});
            }
            case Type::Kind::Address: {
                Address a;
                for (auto& b : a.bytes) b = byte();
                return Value::address(a);
            }
            case Type::Kind::Bool: return Value::boolean(pick(2) == 1);
            case Type::Kind::FixedBytes: return Value::fixed_bytes(random_bytes(t.size));
            case Type::Kind::Bytes: return Value::bytes(random_bytes(pick(4) == 0 ? 0 : pick(70)));
            case Type::Kind::String: return Value::string(text());
            case Type::Kind::Array: {
                Value::List items(pick(4));
                for (Value& v : items) v = value(t.element());
                return Value::list(std::move(items));
            }
            case Type::Kind::FixedArray: {
                Value::List items(t.size);
                for (Value& v : items) v = value(t.element());
                return Value::list(std::move(items));
            }
            case Type::Kind::Tuple: {
                Value::List items;
                for (const Type& c : t.children) items.push_back(value(c));
                return Value::list(std::move(items));
            }
        }
        return {};
    }

private:
    std::size_t pick(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }
    std::uint8_t byte() { return static_cast<std::uint8_t>(rng_()); }
    Bytes random_bytes(std::size_t n) {
        Bytes b(n);
        for (auto& x : b) x = byte();
        return b;
    }
    /// Edge values (0, 1, max) a third of the time, small numbers a third, random bits otherwise.
    U256 integer(std::size_t bits) {
        const U256 max = bits == 256 ? ~U256(0) : (U256(1) << bits) - 1;
        switch (pick(6)) {
            case 0: return 0;
            case 1: return max;
            case 2: return max >> 1;  // largest positive intN
            case 3: return U256(pick(1000)) & max;
            default: {
                U256 x = 0;
                for (int i = 0; i < 4; ++i) x = (x << 64) | U256(rng_());
                return x & (max >> pick(bits));
            }
        }
    }
    /// Text cast reads back verbatim: no quotes or backslashes (cast has no escapes), no
    /// leading or trailing spaces (cast trims a top-level argument's end).
    std::string text() {
        static const std::vector<std::string> kAlphabet = {
            "a", "b", "z", "Q", "0", "7", " ", ",", ".", ";", ":", "-", "_", "!", "?", "(", ")", "[", "]",
            "{", "}", "#", "=", "é", "ü", "中", "€", "🩺"};
        std::string s;
        const std::size_t n = pick(4) == 0 ? 0 : pick(24);
        for (std::size_t i = 0; i < n; ++i) s += kAlphabet[pick(kAlphabet.size())];
        while (!s.empty() && s.front() == ' ') s.erase(0, 1);
        while (!s.empty() && s.back() == ' ') s.pop_back();
        return s;
    }

    std::mt19937_64 rng_;
};

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace

TEST(AbiDifferential, MatchesCastOnRandomTypesAndValues) {
    constexpr int kCases = 1000;
    RandomAbi gen(20240601);
    struct Case {
        std::vector<Type> types;
        std::vector<Value> values;
        std::string signature;
        std::string args;  // shell words, for messages
    };
    std::vector<Case> cases;
    std::string script;
    for (int i = 0; i < kCases; ++i) {
        Case c;
        const std::size_t n = 1 + static_cast<std::size_t>(i % 4);
        for (std::size_t k = 0; k < n; ++k) {
            c.types.push_back(gen.type(0));
            c.values.push_back(gen.value(c.types.back()));
            const std::string text = format_value(c.types.back(), c.values.back());
            ASSERT_LT(text.size(), 50000u);
            // Our text form reads back as the same value.
            ASSERT_EQ(parse_value(c.types.back(), text), c.values.back()) << c.types.back().canonical() << " " << text;
            c.args += " " + shell_quote(text);
        }
        c.signature = "f(" + canonical(c.types) + ")";
        script += "\"$1\" abi-encode " + shell_quote(c.signature) + " --" + c.args + " || echo ERR\n";
        script += "\"$1\" calldata " + shell_quote(c.signature) + " --" + c.args + " || echo ERR\n";
        cases.push_back(std::move(c));
    }
    const std::string out = test::run_ok({"sh", "-s", cast()}, script, std::chrono::minutes(5));
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos <= out.size()) {
        const std::size_t nl = out.find('\n', pos);
        lines.push_back(out.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
        if (nl == std::string::npos) break;
        pos = nl + 1;
    }
    ASSERT_EQ(lines.size(), 2u * kCases);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const Case& c = cases[i];
        SCOPED_TRACE("case " + std::to_string(i) + ": " + c.signature + c.args);
        const std::string& cast_encoded = lines[2 * i];
        const std::string& cast_calldata = lines[2 * i + 1];
        ASSERT_EQ(to_hex(encode(c.types, c.values)), cast_encoded);
        ASSERT_EQ(to_hex(encode_call(c.signature, c.values)), cast_calldata);
        ASSERT_EQ(decode(c.types, from_hex(cast_encoded)), c.values);
        ASSERT_EQ(decode_call(c.signature, from_hex(cast_calldata)), c.values);
    }
}
