#include "eth/abi_revert.hpp"

#include "base/hex.hpp"
#include "eth/abi.hpp"

namespace dossier::eth::abi {
namespace {

constexpr FixedBytes<4> kErrorSelector{0x08, 0xc3, 0x79, 0xa0};  // Error(string)
constexpr FixedBytes<4> kPanicSelector{0x4e, 0x48, 0x7b, 0x71};  // Panic(uint256)

/// Solidity's documented panic codes.
const char* panic_meaning(const U256& code) {
    if (code > 0xff) return "unknown panic code";
    switch (static_cast<unsigned>(code)) {
        case 0x00: return "generic compiler-inserted panic";
        case 0x01: return "assertion failed";
        case 0x11: return "arithmetic overflow or underflow";
        case 0x12: return "division or modulo by zero";
        case 0x21: return "conversion to an out-of-range enum value";
        case 0x22: return "incorrectly encoded storage byte array";
        case 0x31: return "pop() on an empty array";
        case 0x32: return "array index out of bounds";
        case 0x41: return "too much memory allocated";
        case 0x51: return "call to a zero-initialized internal function";
        default: return "unknown panic code";
    }
}

/// "Name(arg, ...)" with strings quoted, as the arguments of a tuple are written.
std::string describe_custom(const Signature& sig, std::vector<Value> args) {
    if (args.empty()) return sig.name + "()";
    return sig.name + format_value(Type::tuple(sig.types()), Value::list(std::move(args)));
}

}  // namespace

std::string Revert::message() const {
    switch (kind) {
        case Kind::Empty: return "reverted without a reason";
        case Kind::Error: return "reverted: " + reason;
        case Kind::Panic: {
            const Bytes code = to_be_minimal(panic_code);
            return "panic " + (code.empty() ? std::string("0x00") : to_hex(code)) + ": " + panic_meaning(panic_code);
        }
        case Kind::Custom: return "custom error " + reason;
        case Kind::Unknown: break;
    }
    if (data.size() < 4) return "reverted with unrecognised data " + to_hex(data);
    return "reverted with unrecognised error " + to_hex(selector) + " (" + std::to_string(data.size()) + " bytes)";
}

Revert decode_revert(ByteView data, std::span<const std::string> known_custom_error_signatures) {
    Revert r;
    r.data.assign(data.begin(), data.end());
    if (data.empty()) return r;
    r.kind = Revert::Kind::Unknown;
    if (data.size() < 4) return r;
    std::copy(data.begin(), data.begin() + 4, r.selector.begin());
    const ByteView args = data.subspan(4);
    try {
        if (r.selector == kErrorSelector) {
            const Type t[] = {Type::string()};
            r.reason = decode(t, args).at(0).as_string();
            r.kind = Revert::Kind::Error;
            return r;
        }
        if (r.selector == kPanicSelector) {
            const Type t[] = {Type::uint()};
            r.panic_code = decode(t, args).at(0).as_uint();
            r.kind = Revert::Kind::Panic;
            return r;
        }
    } catch (const AbiError&) {
        return r;  // a standard selector with malformed arguments stays Unknown
    }
    for (const std::string& text : known_custom_error_signatures) {
        const Signature sig = Signature::parse(text);
        if (selector(sig.canonical()) != r.selector) continue;
        try {
            r.reason = describe_custom(sig, decode(sig.types(), args));
            r.kind = Revert::Kind::Custom;
            return r;
        } catch (const AbiError&) {
            continue;  // malformed arguments: keep looking, else Unknown
        }
    }
    return r;
}

}  // namespace dossier::eth::abi
