#include "eth/eip712.hpp"

#include <cmath>
#include <cstring>
#include <set>

#include "base/hex.hpp"
#include "eth/address.hpp"
#include "eth/keccak.hpp"
#include "eth/uint256.hpp"

namespace dossier::eth::eip712 {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& msg) { throw Eip712Error("EIP-712: " + msg); }

bool is_identifier(std::string_view s) {
    if (s.empty()) return false;
    auto head = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$'; };
    if (!head(s[0])) return false;
    for (char c : s)
        if (!head(c) && !(c >= '0' && c <= '9')) return false;
    return true;
}

/// Parses the decimal size suffix of uintN/intN/bytesN; returns 0 if malformed (no digits,
/// leading zero, not a number).
unsigned size_suffix(std::string_view digits) {
    if (digits.empty() || digits.size() > 3 || digits[0] == '0') return 0;
    unsigned n = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return 0;
        n = n * 10 + static_cast<unsigned>(c - '0');
    }
    return n;
}

enum class Kind { uint, sint, address, boolean, fixed_bytes, bytes, string, structure };

struct Atomic {
    Kind kind;
    unsigned size = 0;  ///< bits for integers, bytes for bytesN
};

/// Classifies a type without array suffixes; Kind::structure if it is not an elementary type.
Atomic classify(std::string_view t) {
    if (t == "address") return {Kind::address};
    if (t == "bool") return {Kind::boolean};
    if (t == "string") return {Kind::string};
    if (t == "bytes") return {Kind::bytes};
    if (t.starts_with("uint") || t.starts_with("int")) {
        const bool is_signed = t[0] == 'i';
        const unsigned bits = size_suffix(t.substr(is_signed ? 3 : 4));
        if (bits == 0 || bits > 256 || bits % 8 != 0) fail("invalid integer type '" + std::string(t) + "'");
        return {is_signed ? Kind::sint : Kind::uint, bits};
    }
    if (t.starts_with("bytes")) {
        const unsigned n = size_suffix(t.substr(5));
        if (n == 0 || n > 32) fail("invalid type '" + std::string(t) + "'");
        return {Kind::fixed_bytes, n};
    }
    return {Kind::structure};
}

/// For "T[...]" returns true and splits into element type and length (0 = dynamic).
bool split_array(std::string_view type, std::string_view& element, std::size_t& length) {
    if (type.empty() || type.back() != ']') return false;
    const std::size_t open = type.rfind('[');
    if (open == std::string_view::npos || open == 0) fail("malformed array type '" + std::string(type) + "'");
    element = type.substr(0, open);
    const std::string_view digits = type.substr(open + 1, type.size() - open - 2);
    length = 0;
    if (!digits.empty()) {
        if (digits[0] == '0' || digits.size() > 9) fail("invalid array length in '" + std::string(type) + "'");
        for (char c : digits) {
            if (c < '0' || c > '9') fail("invalid array length in '" + std::string(type) + "'");
            length = length * 10 + static_cast<std::size_t>(c - '0');
        }
    }
    return true;
}

/// The type without any array suffixes ("Person[2][]" -> "Person").
std::string_view base_type(std::string_view type) { return type.substr(0, type.find('[')); }

const std::vector<Member>& struct_members(const Types& types, std::string_view name) {
    const auto it = types.find(std::string(name));
    if (it == types.end()) fail("type '" + std::string(name) + "' is not defined");
    return it->second;
}

/// Checks a member type's syntax and that every struct it names is defined.
void check_member_type(const Types& types, std::string_view type) {
    std::string_view element = type;
    std::size_t length = 0;
    while (split_array(element, element, length)) {
    }
    if (element.find_first_of("[]") != std::string_view::npos) fail("malformed type '" + std::string(type) + "'");
    if (classify(element).kind == Kind::structure) {
        if (!is_identifier(element)) fail("malformed type '" + std::string(type) + "'");
        (void)struct_members(types, element);
    }
}

void collect_dependencies(const Types& types, const std::string& type, std::set<std::string>& found) {
    if (found.contains(type)) return;
    found.insert(type);
    for (const Member& m : struct_members(types, type)) {
        check_member_type(types, m.type);
        const std::string base(base_type(m.type));
        if (classify(base).kind == Kind::structure) collect_dependencies(types, base, found);
    }
}

// ---- values ----

struct Integer {
    bool negative = false;
    U256 magnitude = 0;
};

Integer parse_integer(const json& v, const std::string& path) {
    Integer out;
    if (v.is_number_unsigned()) {
        out.magnitude = v.get<std::uint64_t>();
    } else if (v.is_number_integer()) {
        const std::int64_t i = v.get<std::int64_t>();
        out.negative = i < 0;
        out.magnitude = i < 0 ? U256(static_cast<std::uint64_t>(-(i + 1)) + 1) : U256(static_cast<std::uint64_t>(i));
    } else if (v.is_number_float()) {
        const double d = v.get<double>();
        // JSON numbers beyond 2^53 have already lost precision: the signer must send a string.
        if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9007199254740992.0)
            fail(path + ": number is not an exact integer (send large integers as strings)");
        out.negative = d < 0;
        out.magnitude = static_cast<std::uint64_t>(std::fabs(d));
    } else if (v.is_string()) {
        std::string_view s = v.get_ref<const std::string&>();
        if (!s.empty() && s[0] == '-') {
            out.negative = true;
            s.remove_prefix(1);
        }
        try {
            out.magnitude = parse_u256(s);
        } catch (const DecodeError&) {
            fail(path + ": '" + v.get<std::string>() + "' is not an integer");
        }
    } else {
        fail(path + ": expected an integer (number or string)");
    }
    if (out.magnitude == 0) out.negative = false;
    return out;
}

Bytes hex_value(const json& v, const std::string& path) {
    if (!v.is_string()) fail(path + ": expected a 0x-hex string");
    const std::string& s = v.get_ref<const std::string&>();
    if (s.size() < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) fail(path + ": expected a 0x-hex string");
    try {
        return dossier::from_hex(s);
    } catch (const DecodeError&) {
        fail(path + ": '" + s + "' is not valid hex");
    }
}

Bytes32 encode_value(const Types& types, std::string_view type, const json& v, const std::string& path,
                     std::size_t depth);

Bytes32 hash_struct_at(const Types& types, const std::string& type, const json& v, const std::string& path,
                       std::size_t depth) {
    if (depth > kMaxDepth) fail(path + ": value nested too deeply");
    if (!v.is_object()) fail(path + ": expected an object of type " + type);
    const auto& members = struct_members(types, type);
    Keccak256 h;
    h.update(type_hash(types, type));
    for (const Member& m : members) {
        const std::string member_path = path + "." + m.name;
        const auto it = v.find(m.name);
        if (it == v.end()) fail(member_path + ": missing");
        h.update(encode_value(types, m.type, *it, member_path, depth + 1));
    }
    return h.final();
}

Bytes32 encode_value(const Types& types, std::string_view type, const json& v, const std::string& path,
                     std::size_t depth) {
    if (depth > kMaxDepth) fail(path + ": value nested too deeply");
    std::string_view element;
    std::size_t length = 0;
    if (split_array(type, element, length)) {
        if (!v.is_array()) fail(path + ": expected an array of " + std::string(element));
        if (length != 0 && v.size() != length)
            fail(path + ": expected " + std::to_string(length) + " elements, got " + std::to_string(v.size()));
        Keccak256 h;
        for (std::size_t i = 0; i < v.size(); ++i)
            h.update(encode_value(types, element, v[i], path + "[" + std::to_string(i) + "]", depth + 1));
        return h.final();
    }
    const Atomic a = classify(type);
    Bytes32 word{};
    switch (a.kind) {
        case Kind::structure:
            return hash_struct_at(types, std::string(type), v, path, depth + 1);
        case Kind::string:
            if (!v.is_string()) fail(path + ": expected a string");
            return keccak256(as_bytes(v.get_ref<const std::string&>()));
        case Kind::bytes:
            return keccak256(hex_value(v, path));
        case Kind::fixed_bytes: {
            const Bytes b = hex_value(v, path);
            if (b.size() != a.size)
                fail(path + ": expected " + std::to_string(a.size) + " bytes, got " + std::to_string(b.size()));
            std::memcpy(word.data(), b.data(), b.size());  // left-aligned, zero-padded on the right
            return word;
        }
        case Kind::boolean:
            if (!v.is_boolean()) fail(path + ": expected true or false");
            word[31] = v.get<bool>() ? 1 : 0;
            return word;
        case Kind::address: {
            if (!v.is_string()) fail(path + ": expected an address string");
            try {
                return Address::from_hex(v.get_ref<const std::string&>()).to_word();
            } catch (const DecodeError& e) {
                fail(path + ": " + e.what());
            }
        }
        case Kind::uint: {
            const Integer i = parse_integer(v, path);
            if (i.negative) fail(path + ": negative value for " + std::string(type));
            if (a.size < 256 && i.magnitude >= (U256(1) << a.size)) fail(path + ": value out of range for " + std::string(type));
            return to_be32(i.magnitude);
        }
        case Kind::sint: {
            const Integer i = parse_integer(v, path);
            const U256 half = U256(1) << (a.size - 1);
            if (i.negative ? i.magnitude > half : i.magnitude >= half)
                fail(path + ": value out of range for " + std::string(type));
            return to_be32(i.negative ? U256(0) - i.magnitude : i.magnitude);  // two's complement
        }
    }
    fail(path + ": unsupported type");
}

Types with_domain_type(const TypedData& data) {
    Types types = data.types;
    if (types.contains("EIP712Domain")) return types;
    if (!data.domain.is_object()) fail("domain must be an object");
    static const std::pair<const char*, const char*> kFields[] = {
        {"name", "string"}, {"version", "string"}, {"chainId", "uint256"}, {"verifyingContract", "address"},
        {"salt", "bytes32"}};
    std::vector<Member> members;
    for (const auto& [name, type] : kFields)
        if (data.domain.contains(name)) members.push_back({name, type});
    for (const auto& [key, value] : data.domain.items()) {
        bool known = false;
        for (const auto& f : kFields) known |= key == f.first;
        if (!known) fail("domain field '" + key + "' is not an EIP712Domain field (define EIP712Domain in types)");
    }
    types["EIP712Domain"] = std::move(members);
    return types;
}

}  // namespace

std::string encode_type(const Types& types, const std::string& type) {
    std::set<std::string> deps;
    collect_dependencies(types, type, deps);
    deps.erase(type);
    std::string out;
    auto one = [&](const std::string& name) {
        out += name + "(";
        const auto& members = struct_members(types, name);
        for (std::size_t i = 0; i < members.size(); ++i) {
            if (i) out += ",";
            out += members[i].type + " " + members[i].name;
        }
        out += ")";
    };
    one(type);
    for (const std::string& d : deps) one(d);  // std::set iterates in sorted (byte) order
    return out;
}

Bytes32 type_hash(const Types& types, const std::string& type) { return keccak256(as_bytes(encode_type(types, type))); }

Bytes encode_data(const Types& types, const std::string& type, const json& value) {
    if (!value.is_object()) fail("expected an object of type " + type);
    Bytes out;
    for (const Member& m : struct_members(types, type)) {
        const auto it = value.find(m.name);
        if (it == value.end()) fail(m.name + ": missing");
        append(out, encode_value(types, m.type, *it, m.name, 1));
    }
    return out;
}

Bytes32 hash_struct(const Types& types, const std::string& type, const json& value) {
    return hash_struct_at(types, type, value, type, 0);
}

Bytes32 domain_separator(const TypedData& data) {
    return hash_struct_at(with_domain_type(data), "EIP712Domain", data.domain, "domain", 0);
}

Bytes32 digest(const TypedData& data) {
    Bytes buf{0x19, 0x01};
    append(buf, domain_separator(data));
    // A request whose primary type is the domain itself signs the domain alone (EIP-712 reference
    // implementations and wallets agree on this).
    if (data.primary_type != "EIP712Domain")
        append(buf, hash_struct_at(data.types, data.primary_type, data.message, "message", 0));
    return keccak256(buf);
}

Signature sign(const PrivateKey& key, const TypedData& data) { return sign_hash(key, digest(data)); }

TypedData TypedData::from_json(const json& j) {
    if (!j.is_object()) fail("typed data must be a JSON object");
    TypedData out;
    const auto types = j.find("types");
    if (types == j.end() || !types->is_object()) fail("'types' must be an object");
    for (const auto& [name, members] : types->items()) {
        if (!is_identifier(name)) fail("type name '" + name + "' is not an identifier");
        if (!members.is_array()) fail("types." + name + " must be an array of {name, type}");
        std::vector<Member>& list = out.types[name];
        std::set<std::string> seen;
        for (const json& m : members) {
            if (!m.is_object() || !m.contains("name") || !m.contains("type") || !m["name"].is_string() ||
                !m["type"].is_string())
                fail("types." + name + " members must be objects with string 'name' and 'type'");
            Member member{m["name"].get<std::string>(), m["type"].get<std::string>()};
            if (!is_identifier(member.name)) fail("types." + name + ": member name '" + member.name + "' is not an identifier");
            if (!seen.insert(member.name).second) fail("types." + name + ": member '" + member.name + "' is defined twice");
            list.push_back(std::move(member));
        }
    }
    for (const auto& [name, members] : out.types)
        for (const Member& m : members) check_member_type(out.types, m.type);
    const auto primary = j.find("primaryType");
    if (primary == j.end() || !primary->is_string()) fail("'primaryType' must be a string");
    out.primary_type = primary->get<std::string>();
    if (!out.types.contains(out.primary_type)) fail("primaryType '" + out.primary_type + "' is not defined in types");
    const auto domain = j.find("domain");
    if (domain == j.end() || !domain->is_object()) fail("'domain' must be an object");
    out.domain = *domain;
    const auto message = j.find("message");
    if (message == j.end() || !message->is_object()) fail("'message' must be an object");
    out.message = *message;
    return out;
}

TypedData TypedData::parse(std::string_view json_text) {
    json j;
    try {
        j = json::parse(json_text);
    } catch (const json::exception& e) {
        fail(std::string("typed data is not valid JSON: ") + e.what());
    }
    return from_json(j);
}

}  // namespace dossier::eth::eip712
