#include "eth/abi_type.hpp"

#include <cctype>

namespace dossier::eth::abi {
namespace {

/// Static encoding size of a type whose children are already within kMaxStaticSize; throws if
/// the result would exceed it. Dynamic types report 32 (their offset word).
std::size_t checked_head_size(const Type& t) {
    if (t.kind == Type::Kind::FixedArray) {
        const Type& e = t.element();
        if (e.is_dynamic()) return 32;
        const std::size_t each = e.head_size();
        if (t.size > kMaxStaticSize / each) throw AbiError("ABI type '" + t.canonical() + "' is too large");
        return t.size * each;
    }
    if (t.kind == Type::Kind::Tuple) {
        if (t.is_dynamic()) return 32;
        std::size_t total = 0;
        for (const Type& c : t.children) {
            total += c.head_size();
            if (total > kMaxStaticSize) throw AbiError("ABI type '" + t.canonical() + "' is too large");
        }
        return total;
    }
    return 32;
}

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }
bool is_name_char(char c) { return is_name_start(c) || std::isdigit(static_cast<unsigned char>(c)); }

class Parser {
public:
    explicit Parser(std::string_view text) : text_(text) {}

    [[noreturn]] void fail(const std::string& why) const {
        throw AbiError("invalid ABI type or signature '" + std::string(text_) + "' at position " +
                       std::to_string(pos_) + ": " + why);
    }

    void skip_ws() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }
    [[nodiscard]] bool at_end() const { return pos_ == text_.size(); }
    [[nodiscard]] char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
    void expect(char c) {
        if (peek() != c) fail(std::string("expected '") + c + "'");
        ++pos_;
    }

    std::string_view name() {
        const std::size_t start = pos_;
        if (!is_name_start(peek())) fail("expected a name");
        while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
        return text_.substr(start, pos_ - start);
    }

    Type type(std::size_t depth) {
        if (depth > kMaxTypeDepth) fail("types nested too deeply");
        skip_ws();
        Type t;
        if (peek() == '(') {
            ++pos_;
            std::vector<Type> components;
            for (Param& p : params(depth + 1, false)) components.push_back(std::move(p.type));
            if (components.empty()) fail("empty tuples are not supported");
            t = Type::tuple(std::move(components));
        } else {
            t = elementary();
        }
        while (peek() == '[') {
            if (++depth > kMaxTypeDepth) fail("types nested too deeply");
            ++pos_;
            if (peek() == ']') {
                ++pos_;
                t = Type::array(std::move(t));
                continue;
            }
            const std::size_t n = number(kMaxStaticSize / 32);
            if (n == 0) fail("fixed-size arrays of length zero are not supported");
            expect(']');
            t = Type::fixed_array(std::move(t), n);
        }
        return t;
    }

    /// Parses "a, b c, ...)" after the opening parenthesis, through the closing one.
    std::vector<Param> params(std::size_t depth, bool top_level) {
        std::vector<Param> out;
        skip_ws();
        if (peek() == ')') {
            ++pos_;
            return out;
        }
        for (;;) {
            Param p;
            p.type = type(depth);
            for (;;) {
                const std::size_t before = pos_;
                skip_ws();
                if (!is_name_start(peek())) break;
                if (pos_ == before) fail("expected a space before a parameter name");
                const std::string_view w = name();
                if (w == "memory" || w == "calldata" || w == "storage") continue;
                if (w == "indexed" && top_level && !p.indexed && p.name.empty()) {
                    p.indexed = true;
                    continue;
                }
                if (!p.name.empty() || w == "indexed") fail("unexpected word '" + std::string(w) + "'");
                p.name = std::string(w);
            }
            out.push_back(std::move(p));
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            expect(')');
            return out;
        }
    }

private:
    /// Decimal digits without a leading zero, at most `max`.
    std::size_t number(std::size_t max) {
        const std::size_t start = pos_;
        std::size_t v = 0;
        while (std::isdigit(static_cast<unsigned char>(peek()))) {
            v = v * 10 + static_cast<std::size_t>(peek() - '0');
            ++pos_;
            if (v > max) fail("number too large");
        }
        if (pos_ == start) fail("expected a number");
        if (text_[start] == '0' && pos_ - start > 1) fail("number has a leading zero");
        return v;
    }

    Type elementary() {
        const std::size_t start = pos_;
        while (std::isalpha(static_cast<unsigned char>(peek()))) ++pos_;
        const std::string_view word = text_.substr(start, pos_ - start);
        const bool has_digits = std::isdigit(static_cast<unsigned char>(peek()));
        auto width = [&](std::size_t max) { return has_digits ? number(max * 10) : std::size_t{0}; };
        if (word == "uint" || word == "int") {
            const std::size_t bits = has_digits ? width(256) : 256;
            if (bits == 0 || bits > 256 || bits % 8 != 0)
                fail("integer width must be a multiple of 8 from 8 to 256");
            return word == "uint" ? Type::uint(bits) : Type::sint(bits);
        }
        if (word == "bytes") {
            if (!has_digits) return Type::bytes();
            const std::size_t n = width(32);
            if (n == 0 || n > 32) fail("fixed bytes length must be from 1 to 32");
            return Type::fixed_bytes(n);
        }
        if (!has_digits) {
            if (word == "address") return Type::address();
            if (word == "bool") return Type::boolean();
            if (word == "string") return Type::string();
            if (word == "function" || word == "fixed" || word == "ufixed") fail("type '" + std::string(word) + "' is not supported");
        }
        pos_ = start;
        fail(word.empty() ? "expected a type" : "unknown type");
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

Type Type::parse(std::string_view text) {
    Parser p(text);
    Type t = p.type(0);
    p.skip_ws();
    if (!p.at_end()) p.fail("unexpected text after the type");
    return t;
}

namespace {
std::size_t checked_bits(std::size_t bits) {
    if (bits == 0 || bits > 256 || bits % 8 != 0)
        throw AbiError("integer width " + std::to_string(bits) + " is not a multiple of 8 from 8 to 256");
    return bits;
}
}  // namespace

Type Type::uint(std::size_t bits) { return Type{Kind::Uint, checked_bits(bits), {}}; }
Type Type::sint(std::size_t bits) { return Type{Kind::Int, checked_bits(bits), {}}; }
Type Type::address() { return Type{Kind::Address, 0, {}}; }
Type Type::boolean() { return Type{Kind::Bool, 0, {}}; }
Type Type::fixed_bytes(std::size_t n) {
    if (n == 0 || n > 32) throw AbiError("bytes" + std::to_string(n) + " is not a type: N must be from 1 to 32");
    return Type{Kind::FixedBytes, n, {}};
}
Type Type::bytes() { return Type{Kind::Bytes, 0, {}}; }
Type Type::string() { return Type{Kind::String, 0, {}}; }
Type Type::array(Type element) {
    Type t{Kind::Array, 0, {}};
    t.children.push_back(std::move(element));
    return t;
}
Type Type::fixed_array(Type element, std::size_t length) {
    if (length == 0) throw AbiError("fixed-size arrays of length zero are not supported");
    Type t{Kind::FixedArray, length, {}};
    t.children.push_back(std::move(element));
    (void)checked_head_size(t);
    return t;
}
Type Type::tuple(std::vector<Type> components) {
    if (components.empty()) throw AbiError("empty tuples are not supported");
    Type t{Kind::Tuple, 0, std::move(components)};
    (void)checked_head_size(t);
    return t;
}

std::string Type::canonical() const {
    switch (kind) {
        case Kind::Uint: return "uint" + std::to_string(size);
        case Kind::Int: return "int" + std::to_string(size);
        case Kind::Address: return "address";
        case Kind::Bool: return "bool";
        case Kind::FixedBytes: return "bytes" + std::to_string(size);
        case Kind::Bytes: return "bytes";
        case Kind::String: return "string";
        case Kind::Array: return element().canonical() + "[]";
        case Kind::FixedArray: return element().canonical() + "[" + std::to_string(size) + "]";
        case Kind::Tuple: return "(" + abi::canonical(children) + ")";
    }
    return {};
}

bool Type::is_dynamic() const noexcept {
    switch (kind) {
        case Kind::Bytes:
        case Kind::String:
        case Kind::Array: return true;
        case Kind::FixedArray:
        case Kind::Tuple:
            for (const Type& c : children)
                if (c.is_dynamic()) return true;
            return false;
        default: return false;
    }
}

std::size_t Type::head_size() const noexcept {
    if (is_dynamic()) return 32;
    if (kind == Kind::FixedArray) return size * children.front().head_size();
    if (kind == Kind::Tuple) {
        std::size_t total = 0;
        for (const Type& c : children) total += c.head_size();
        return total;
    }
    return 32;
}

bool Type::is_value_type() const noexcept {
    return kind == Kind::Uint || kind == Kind::Int || kind == Kind::Address || kind == Kind::Bool ||
           kind == Kind::FixedBytes;
}

std::vector<Type> parse_types(std::string_view list) {
    // Parse "(list)" as a tuple's components so that names and whitespace rules are the same.
    Parser p(list);
    p.skip_ws();
    if (p.at_end()) return {};
    std::vector<Type> out;
    for (;;) {
        out.push_back(p.type(1));
        p.skip_ws();
        if (p.at_end()) return out;
        p.expect(',');
    }
}

std::string canonical(const std::vector<Type>& types) {
    std::string out;
    for (std::size_t i = 0; i < types.size(); ++i) {
        if (i) out += ',';
        out += types[i].canonical();
    }
    return out;
}

Signature Signature::parse(std::string_view text) {
    Parser p(text);
    p.skip_ws();
    Signature sig;
    sig.name = std::string(p.name());
    if (sig.name == "function" || sig.name == "event" || sig.name == "error") {
        p.skip_ws();
        sig.name = std::string(p.name());
    }
    p.skip_ws();
    p.expect('(');
    sig.params = p.params(1, true);
    p.skip_ws();
    if (!p.at_end()) p.fail("unexpected text after the parameter list");
    return sig;
}

std::string Signature::canonical() const { return name + "(" + abi::canonical(types()) + ")"; }

std::vector<Type> Signature::types() const {
    std::vector<Type> out;
    out.reserve(params.size());
    for (const Param& p : params) out.push_back(p.type);
    return out;
}

}  // namespace dossier::eth::abi
