#include "eth/abi_value.hpp"

#include <algorithm>

#include <cctype>

#include "base/hex.hpp"

namespace dossier::eth::abi {

Int Int::from(std::int64_t v) noexcept {
    if (v >= 0) return Int{U256(static_cast<std::uint64_t>(v))};
    // -(v+1) is representable for every negative v, including INT64_MIN.
    const U256 magnitude_minus_one(static_cast<std::uint64_t>(-(v + 1)));
    return Int{U256(0) - magnitude_minus_one - 1};
}

U256 Int::magnitude() const noexcept { return negative() ? U256(0) - bits : bits; }

namespace {

template <typename T>
const T& get_as(const Value& value, const char* expected) {
    if (const T* p = std::get_if<T>(&value.v)) return *p;
    throw AbiError(std::string("expected a ") + expected + " value, got a " + value.kind_name());
}

}  // namespace

const U256& Value::as_uint() const { return get_as<U256>(*this, "uint"); }
const Int& Value::as_int() const { return get_as<Int>(*this, "int"); }
const Address& Value::as_address() const { return get_as<Address>(*this, "address"); }
bool Value::as_bool() const { return get_as<bool>(*this, "bool"); }
const BytesN& Value::as_fixed_bytes() const { return get_as<BytesN>(*this, "bytesN"); }

Bytes32 Value::as_bytes32() const {
    const Bytes& b = as_fixed_bytes().data;
    Bytes32 out{};
    std::copy_n(b.begin(), std::min(b.size(), out.size()), out.begin());
    return out;
}
const Bytes& Value::as_bytes() const { return get_as<Bytes>(*this, "bytes"); }
const std::string& Value::as_string() const { return get_as<std::string>(*this, "string"); }
const Value::List& Value::as_list() const { return get_as<List>(*this, "list"); }

const char* Value::kind_name() const noexcept {
    static constexpr const char* kNames[] = {"uint", "int", "address", "bool", "bytesN", "bytes", "string", "list"};
    return kNames[v.index()];
}

void check_value(const Type& type, const Value& value) {
    using K = Type::Kind;
    switch (type.kind) {
        case K::Uint: {
            const U256& x = value.as_uint();
            if (type.size < 256 && (x >> type.size) != 0)
                throw AbiError("value " + to_dec(x) + " does not fit " + type.canonical());
            return;
        }
        case K::Int: {
            const Int& x = value.as_int();
            if (type.size == 256) return;
            const U256 limit = U256(1) << (type.size - 1);
            if (x.bits >= limit && x.bits < U256(0) - limit)
                throw AbiError("value " + format_value(Type::sint(), value) + " does not fit " + type.canonical());
            return;
        }
        case K::Address: (void)value.as_address(); return;
        case K::Bool: (void)value.as_bool(); return;
        case K::FixedBytes:
            if (value.as_fixed_bytes().data.size() != type.size)
                throw AbiError("a " + type.canonical() + " value must have " + std::to_string(type.size) +
                               " bytes, got " + std::to_string(value.as_fixed_bytes().data.size()));
            return;
        case K::Bytes: (void)value.as_bytes(); return;
        case K::String: (void)value.as_string(); return;
        case K::Array:
            for (const Value& e : value.as_list()) check_value(type.element(), e);
            return;
        case K::FixedArray:
        case K::Tuple: {
            const Value::List& items = value.as_list();
            const std::size_t n = type.kind == K::Tuple ? type.children.size() : type.size;
            if (items.size() != n)
                throw AbiError("a " + type.canonical() + " value needs " + std::to_string(n) + " elements, got " +
                               std::to_string(items.size()));
            for (std::size_t i = 0; i < n; ++i)
                check_value(type.kind == K::Tuple ? type.children[i] : type.element(), items[i]);
            return;
        }
    }
}

namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool is_quote(char c) { return c == '"' || c == '\''; }

Value scalar_from_text(const Type& type, std::string_view text) {
    using K = Type::Kind;
    try {
        switch (type.kind) {
            case K::Uint: {
                Value v = Value::uint(parse_u256(text));
                check_value(type, v);
                return v;
            }
            case K::Int: {
                const bool neg = !text.empty() && text.front() == '-';
                const U256 magnitude = parse_u256(neg ? text.substr(1) : text);
                const U256 limit = U256(1) << (type.size - 1);
                if (neg ? magnitude > limit : magnitude >= limit)
                    throw AbiError("value " + std::string(text) + " does not fit " + type.canonical());
                return Value::sint(Int{neg ? U256(0) - magnitude : magnitude});
            }
            case K::Address: return Value::address(Address::from_hex(text));
            case K::Bool:
                if (text == "true") return Value::boolean(true);
                if (text == "false") return Value::boolean(false);
                throw AbiError("a bool is true or false, got '" + std::string(text) + "'");
            case K::FixedBytes: {
                Value v = Value::fixed_bytes(from_hex(text));
                check_value(type, v);
                return v;
            }
            case K::Bytes: return Value::bytes(from_hex(text));
            case K::String: return Value::string(std::string(text));
            default: break;
        }
    } catch (const AbiError&) {
        throw;
    } catch (const DecodeError& e) {
        throw AbiError("invalid " + type.canonical() + " value '" + std::string(text) + "': " + e.what());
    }
    throw AbiError("expected '[' or '(' for a " + type.canonical() + " value");
}

/// Reads nested values of arrays and tuples from text.
class TextParser {
public:
    explicit TextParser(std::string_view text) : text_(text) {}

    Value nested(const Type& type, std::size_t depth) {
        skip_ws();
        if (type.kind == Type::Kind::Array || type.kind == Type::Kind::FixedArray || type.kind == Type::Kind::Tuple)
            return container(type, depth);
        if (type.kind == Type::Kind::String && pos_ < text_.size() && is_quote(text_[pos_])) {
            const char q = text_[pos_++];
            const std::size_t end = text_.find(q, pos_);
            if (end == std::string_view::npos) fail("unterminated quoted string");
            const std::string_view s = text_.substr(pos_, end - pos_);
            pos_ = end + 1;
            return Value::string(std::string(s));
        }
        const std::size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != ']' && text_[pos_] != ')') ++pos_;
        return scalar_from_text(type, trim(text_.substr(start, pos_ - start)));
    }

    Value container(const Type& type, std::size_t depth) {
        if (depth > kMaxTypeDepth) fail("values nested too deeply");
        const bool tuple = type.kind == Type::Kind::Tuple;
        const char open = tuple ? '(' : '[', close = tuple ? ')' : ']';
        skip_ws();
        if (pos_ >= text_.size() || text_[pos_] != open)
            fail(std::string("expected '") + open + "' to start a " + type.canonical() + " value");
        ++pos_;
        Value::List items;
        skip_ws();
        if (pos_ < text_.size() && text_[pos_] == close) {
            ++pos_;
        } else {
            for (;;) {
                if (tuple && items.size() >= type.children.size()) fail("too many tuple components");
                items.push_back(nested(tuple ? type.children[items.size()] : type.element(), depth + 1));
                skip_ws();
                if (pos_ < text_.size() && text_[pos_] == ',') {
                    ++pos_;
                    continue;
                }
                if (pos_ < text_.size() && text_[pos_] == close) {
                    ++pos_;
                    break;
                }
                fail(std::string("expected ',' or '") + close + "'");
            }
        }
        Value v = Value::list(std::move(items));
        check_value(type, v);
        return v;
    }

    void skip_ws() {
        while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
    }
    [[nodiscard]] bool at_end() const { return pos_ == text_.size(); }

    [[noreturn]] void fail(const std::string& why) const {
        throw AbiError("invalid ABI value text '" + std::string(text_) + "' at position " + std::to_string(pos_) +
                       ": " + why);
    }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

std::string quote(const std::string& s) {
    if (s.find('"') == std::string::npos) return '"' + s + '"';
    if (s.find('\'') == std::string::npos) return '\'' + s + '\'';
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

void format_into(std::string& out, const Type& type, const Value& value, bool top_level) {
    using K = Type::Kind;
    switch (type.kind) {
        case K::Uint: out += to_dec(value.as_uint()); return;
        case K::Int: {
            const Int& x = value.as_int();
            if (x.negative()) out += '-';
            out += to_dec(x.magnitude());
            return;
        }
        case K::Address: out += value.as_address().to_checksum(); return;
        case K::Bool: out += value.as_bool() ? "true" : "false"; return;
        case K::FixedBytes: out += to_hex(value.as_fixed_bytes().data); return;
        case K::Bytes: out += to_hex(value.as_bytes()); return;
        case K::String: {
            const std::string& s = value.as_string();
            const bool quoted_look = s.size() >= 2 && is_quote(s.front()) && s.front() == s.back();
            out += (top_level && !quoted_look) ? s : quote(s);
            return;
        }
        case K::Array:
        case K::FixedArray:
        case K::Tuple: {
            const bool tuple = type.kind == K::Tuple;
            const Value::List& items = value.as_list();
            if (tuple && items.size() != type.children.size())
                throw AbiError("a " + type.canonical() + " value needs " + std::to_string(type.children.size()) +
                               " components, got " + std::to_string(items.size()));
            out += tuple ? '(' : '[';
            for (std::size_t i = 0; i < items.size(); ++i) {
                if (i) out += ", ";
                format_into(out, tuple ? type.children[i] : type.element(), items[i], false);
            }
            out += tuple ? ')' : ']';
            return;
        }
    }
}

}  // namespace

Value parse_value(const Type& type, std::string_view text) {
    using K = Type::Kind;
    if (type.kind == K::String) {
        if (text.size() >= 2 && is_quote(text.front()) && text.front() == text.back())
            return Value::string(std::string(text.substr(1, text.size() - 2)));
        return Value::string(std::string(text));
    }
    if (type.kind != K::Array && type.kind != K::FixedArray && type.kind != K::Tuple)
        return scalar_from_text(type, trim(text));
    TextParser p(text);
    Value v = p.container(type, 0);
    p.skip_ws();
    if (!p.at_end()) p.fail("unexpected text after the value");
    return v;
}

std::string format_value(const Type& type, const Value& value) {
    std::string out;
    format_into(out, type, value, true);
    return out;
}

}  // namespace dossier::eth::abi
