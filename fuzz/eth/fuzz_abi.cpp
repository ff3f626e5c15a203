// libFuzzer target: the ABI codec on hostile input. The first byte picks what to exercise:
// strict decoding against one of a fixed set of type lists (nested dynamic ones included; if it
// succeeds, re-encoding must give back exactly the input), revert data classification, event
// log decoding, the type parser, and the value text parser. Everything else must fail with
// AbiError, never crash, never allocate beyond what the input justifies.
#include <cstdlib>
#include <string>
#include <vector>

#include "eth/abi.hpp"

using namespace dossier;
using namespace dossier::eth::abi;

namespace {

const std::vector<std::vector<Type>>& type_lists() {
    static const std::vector<std::vector<Type>> lists = [] {
        std::vector<std::vector<Type>> out;
        for (const char* text : {"uint256", "bool,address,int8,bytes3,uint40", "bytes", "string[]", "uint256[][]",
                                 "(uint8,bytes)[]", "(bytes32,(string,uint16[2])[])[2],bool",
                                 "address,bytes32,bytes32,bytes", "uint64[3][][2]", "int256,string,(bool[],bytes4)",
                                 "string,uint256[]", "((bytes[],int16)[],string[2])[]"})
            out.push_back(parse_types(text));
        return out;
    }();
    return lists;
}

const std::vector<std::string> kCustomErrors = {"NotPatient()", "NotGranted(address,uint64,string)",
                                                "Bad(bytes[],(uint8,string))"};
const char* kEvent = "E(address indexed a, string indexed s, (uint8,bytes) indexed t, uint64 v, bytes b)";

void check_round_trip(const std::vector<Type>& types, ByteView input) {
    std::vector<Value> values;
    try {
        values = decode(types, input);
    } catch (const AbiError&) {
        return;
    }
    const Bytes again = encode(types, values);
    if (!std::equal(again.begin(), again.end(), input.begin(), input.end())) std::abort();
    for (std::size_t i = 0; i < types.size(); ++i) (void)format_value(types[i], values[i]);
}

void check_log(ByteView input) {
    std::vector<Bytes32> topics{event_topic(kEvent)};
    for (int i = 0; i < 3 && input.size() >= 32; ++i) {
        Bytes32 t;
        std::copy(input.begin(), input.begin() + 32, t.begin());
        topics.push_back(t);
        input = input.subspan(32);
    }
    try {
        (void)decode_log(kEvent, topics, input);
    } catch (const AbiError&) {
    }
}

void check_type_text(std::string_view text) {
    Type t;
    try {
        t = Type::parse(text);
    } catch (const AbiError&) {
        return;
    }
    if (Type::parse(t.canonical()) != t) std::abort();
    (void)t.is_dynamic();
    (void)t.head_size();
}

void check_value_text(std::string_view text) {
    static const Type t = Type::parse("(uint8,int16,string[],(bool,bytes2,address)[],bytes)[]");
    Value v;
    try {
        v = parse_value(t, text);
    } catch (const AbiError&) {
        return;
    }
    const Type one[] = {t};
    const Value val[] = {v};
    if (decode(one, encode(one, val)).at(0) != v) std::abort();
    (void)format_value(t, v);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const ByteView input(data + 1, size - 1);
    const std::size_t n_lists = type_lists().size();
    const std::size_t mode = data[0] % (n_lists + 4);
    if (mode < n_lists) {
        check_round_trip(type_lists()[mode], input);
    } else if (mode == n_lists) {
        const Revert r = decode_revert(input, kCustomErrors);
        (void)r.message();
    } else if (mode == n_lists + 1) {
        check_log(input);
    } else if (mode == n_lists + 2) {
        check_type_text(as_chars(input));
    } else {
        check_value_text(as_chars(input));
    }
    return 0;
}
