#include "eth/abi.hpp"

#include <cstring>

#include "base/hex.hpp"
#include "eth/keccak.hpp"

namespace dossier::eth::abi {
namespace {

using K = Type::Kind;

/// A sequence of encoded items: the components of a tuple (types[i]) or the elements of an
/// array (types[0] for every item).
struct Items {
    const Type* types;
    std::size_t count;
    bool same_type;
    [[nodiscard]] const Type& at(std::size_t i) const { return same_type ? types[0] : types[i]; }
};

std::size_t heads_size(const Items& items) {
    if (items.same_type) return items.count == 0 ? 0 : items.count * items.types[0].head_size();
    std::size_t total = 0;
    for (std::size_t i = 0; i < items.count; ++i) total += items.types[i].head_size();
    return total;
}

void put_u64_word(std::uint8_t* dst, std::uint64_t v) {
    std::memset(dst, 0, 24);
    for (int i = 0; i < 8; ++i) dst[24 + i] = static_cast<std::uint8_t>(v >> (56 - 8 * i));
}

/// Big-endian word straight from the integer's 64-bit limbs (to_be32 shifts byte by byte, which
/// dominated encoding time for integer arrays).
void put_u256_word(std::uint8_t* dst, const U256& v) {
    static_assert(sizeof(boost::multiprecision::limb_type) == 8);
    const auto& backend = v.backend();
    const boost::multiprecision::limb_type* limbs = backend.limbs();
    std::memset(dst, 0, 32);
    for (std::size_t i = 0; i < backend.size() && i < 4; ++i)
        for (std::size_t b = 0; b < 8; ++b)
            dst[31 - 8 * i - b] = static_cast<std::uint8_t>(limbs[i] >> (8 * b));
}

/// Writes the one-word encoding of a value type (after checking the value fits the type).
void put_value_word(std::uint8_t* dst, const Type& t, const Value& v) {
    switch (t.kind) {
        case K::Uint:
        case K::Int:
            check_value(t, v);
            put_u256_word(dst, t.kind == K::Uint ? v.as_uint() : v.as_int().bits);
            return;
        case K::Address: {
            const Bytes32 w = v.as_address().to_word();
            std::memcpy(dst, w.data(), 32);
            return;
        }
        case K::Bool: put_u64_word(dst, v.as_bool() ? 1 : 0); return;
        case K::FixedBytes:
            check_value(t, v);
            std::memset(dst, 0, 32);
            std::memcpy(dst, v.as_fixed_bytes().data.data(), t.size);
            return;
        default: break;
    }
}

const Value::List& checked_list(const Type& t, const Value& v) {
    const Value::List& items = v.as_list();
    const std::size_t n = t.kind == K::Tuple ? t.children.size() : t.size;
    if (t.kind != K::Array && items.size() != n)
        throw AbiError("a " + t.canonical() + " value needs " + std::to_string(n) + " elements, got " +
                       std::to_string(items.size()));
    return items;
}

Items items_of(const Type& t, std::size_t count) {
    if (t.kind == K::Tuple) return Items{t.children.data(), t.children.size(), false};
    return Items{&t.element(), count, true};
}

void encode_into(Bytes& out, const Type& t, const Value& v);

/// Writes a static value at out[pos...] (the space is already there).
void put_static(Bytes& out, std::size_t pos, const Type& t, const Value& v) {
    if (t.is_value_type()) {
        put_value_word(out.data() + pos, t, v);
        return;
    }
    const Value::List& list = checked_list(t, v);
    const Items items = items_of(t, list.size());
    for (std::size_t i = 0; i < items.count; ++i) {
        put_static(out, pos, items.at(i), list[i]);
        pos += items.at(i).head_size();
    }
}

/// Appends enc((items...)): the heads, then the tails of the dynamic items.
void encode_sequence(Bytes& out, const Items& items, const Value* values) {
    const std::size_t base = out.size();
    out.resize(base + heads_size(items));
    std::size_t head = base;
    for (std::size_t i = 0; i < items.count; ++i) {
        const Type& t = items.at(i);
        if (t.is_dynamic()) {
            put_u64_word(out.data() + head, out.size() - base);
            encode_into(out, t, values[i]);
            head += 32;
        } else {
            put_static(out, head, t, values[i]);
            head += t.head_size();
        }
    }
}

void append_bytes(Bytes& out, ByteView b) {
    const std::size_t pos = out.size();
    out.resize(pos + 32 + (b.size() + 31) / 32 * 32);
    put_u64_word(out.data() + pos, b.size());
    if (!b.empty()) std::memcpy(out.data() + pos + 32, b.data(), b.size());
}

void encode_into(Bytes& out, const Type& t, const Value& v) {
    switch (t.kind) {
        case K::Bytes: append_bytes(out, v.as_bytes()); return;
        case K::String: append_bytes(out, as_bytes(v.as_string())); return;
        case K::Array: {
            const Value::List& list = v.as_list();
            const std::size_t pos = out.size();
            out.resize(pos + 32);
            put_u64_word(out.data() + pos, list.size());
            encode_sequence(out, items_of(t, list.size()), list.data());
            return;
        }
        case K::FixedArray:
        case K::Tuple:
            if (t.is_dynamic()) {
                const Value::List& list = checked_list(t, v);
                encode_sequence(out, items_of(t, list.size()), list.data());
                return;
            }
            break;
        default: break;
    }
    const std::size_t pos = out.size();
    out.resize(pos + t.head_size());
    put_static(out, pos, t, v);
}

/// Strict decoder over one input buffer; positions are absolute byte offsets into it.
class Decoder {
public:
    explicit Decoder(ByteView data) : data_(data) {}

    [[noreturn]] void fail(std::size_t pos, const std::string& why) const {
        throw AbiError("ABI decoding failed at byte " + std::to_string(pos) + " of " + std::to_string(data_.size()) +
                       ": " + why);
    }

    /// Ensures [pos, pos+n) lies inside the input.
    void need(std::size_t pos, std::size_t n, const char* what) const {
        if (pos > data_.size() || data_.size() - pos < n)
            fail(pos, std::string(what) + " needs " + std::to_string(n) + " bytes but the input ends at byte " +
                          std::to_string(data_.size()));
    }

    /// A word that must hold a length or offset: at most the input size.
    std::size_t read_size(std::size_t pos, const char* what) const {
        need(pos, 32, what);
        const std::uint8_t* w = data_.data() + pos;
        for (int i = 0; i < 24; ++i)
            if (w[i] != 0) fail(pos, std::string(what) + " is larger than the input");
        std::uint64_t v = 0;
        for (int i = 24; i < 32; ++i) v = (v << 8) | w[i];
        if (v > data_.size()) fail(pos, std::string(what) + " " + std::to_string(v) + " is larger than the input");
        return static_cast<std::size_t>(v);
    }

    /// Decodes the items whose encoding starts at `base`; returns the end of their encoding.
    std::size_t sequence(std::size_t base, const Items& items, Value::List& out) const {
        need(base, heads_size(items), "the head of a tuple or array");
        out.reserve(items.count);
        std::size_t head = base;
        std::size_t tail = base + heads_size(items);
        for (std::size_t i = 0; i < items.count; ++i) {
            const Type& t = items.at(i);
            out.emplace_back();
            if (t.is_dynamic()) {
                const std::size_t offset = read_size(head, "offset");
                if (offset != tail - base)
                    fail(head, "offset " + std::to_string(offset) + " of item " + std::to_string(i) +
                                   " is not where the strict encoding puts it (" + std::to_string(tail - base) + ")");
                tail = value(tail, t, out.back());
                head += 32;
            } else {
                head = value(head, t, out.back());
            }
        }
        return tail;
    }

    /// Decodes a value of type t whose encoding starts at pos; returns the end of its encoding.
    std::size_t value(std::size_t pos, const Type& t, Value& out) const {
        switch (t.kind) {
            case K::Bytes:
            case K::String: {
                const std::size_t len = read_size(pos, "length");
                const std::size_t padded = (len + 31) / 32 * 32;
                need(pos + 32, padded, "byte string");
                const std::uint8_t* p = data_.data() + pos + 32;
                for (std::size_t i = len; i < padded; ++i)
                    if (p[i] != 0) fail(pos + 32 + i, "non-zero padding after a byte string");
                if (t.kind == K::Bytes) out.v = Bytes(p, p + len);
                else out.v = std::string(reinterpret_cast<const char*>(p), len);
                return pos + 32 + padded;
            }
            case K::Array: {
                const std::size_t n = read_size(pos, "array length");
                const std::size_t room = data_.size() - pos - 32;
                if (n > room / t.element().head_size())
                    fail(pos, "array length " + std::to_string(n) + " does not fit in the input");
                Value::List list;
                const std::size_t end = sequence(pos + 32, items_of(t, n), list);
                out.v = std::move(list);
                return end;
            }
            case K::FixedArray:
            case K::Tuple: {
                Value::List list;
                const std::size_t end = sequence(pos, items_of(t, t.size), list);
                out.v = std::move(list);
                return end;
            }
            default: break;
        }
        need(pos, 32, t.canonical().c_str());
        out = word(pos, t);
        return pos + 32;
    }

private:
    Value word(std::size_t pos, const Type& t) const {
        const std::uint8_t* w = data_.data() + pos;
        auto zeros = [&](std::size_t from, std::size_t to, const char* what) {
            for (std::size_t i = from; i < to; ++i)
                if (w[i] != 0) fail(pos + i, std::string("non-zero high bytes in ") + what);
        };
        switch (t.kind) {
            case K::Uint:
                zeros(0, 32 - t.size / 8, "a uint value (out of range)");
                return Value::uint(word_u256(w));
            case K::Int: {
                const std::size_t first = 32 - t.size / 8;
                const std::uint8_t fill = (w[first] & 0x80) ? 0xff : 0x00;
                for (std::size_t i = 0; i < first; ++i)
                    if (w[i] != fill) fail(pos + i, "an " + t.canonical() + " value is not sign-extended (out of range)");
                return Value::sint(Int{word_u256(w)});
            }
            case K::Address: {
                zeros(0, 12, "an address");
                Address a;
                std::memcpy(a.bytes.data(), w + 12, 20);
                return Value::address(a);
            }
            case K::Bool:
                zeros(0, 31, "a bool");
                if (w[31] > 1) fail(pos + 31, "a bool must be 0 or 1");
                return Value::boolean(w[31] == 1);
            case K::FixedBytes:
                for (std::size_t i = t.size; i < 32; ++i)
                    if (w[i] != 0) fail(pos + i, "non-zero padding after a " + t.canonical() + " value");
                return Value::fixed_bytes(Bytes(w, w + t.size));
            default: fail(pos, "internal error: not a value type");
        }
    }

    /// Fills the integer's 64-bit limbs directly (four 256-bit shifts cost more than the rest of
    /// decoding a word).
    static U256 word_u256(const std::uint8_t* w) {
        U256 v;
        auto& backend = v.backend();
        backend.resize(4, 4);
        boost::multiprecision::limb_type* limbs = backend.limbs();
        for (std::size_t limb = 0; limb < 4; ++limb) {
            std::uint64_t x = 0;
            for (std::size_t i = 0; i < 8; ++i) x = (x << 8) | w[8 * (3 - limb) + i];
            limbs[limb] = x;
        }
        backend.normalize();
        return v;
    }

    ByteView data_;
};

}  // namespace

Bytes encode(std::span<const Type> types, std::span<const Value> values) {
    if (types.size() != values.size())
        throw AbiError("encoding " + std::to_string(types.size()) + " types needs as many values, got " +
                       std::to_string(values.size()));
    Bytes out;
    encode_sequence(out, Items{types.data(), types.size(), false}, values.data());
    return out;
}

std::vector<Value> decode(std::span<const Type> types, ByteView data) {
    const Decoder d(data);
    Value::List out;
    const std::size_t end = d.sequence(0, Items{types.data(), types.size(), false}, out);
    if (end != data.size()) d.fail(end, std::to_string(data.size() - end) + " bytes follow the encoding");
    return out;
}

FixedBytes<4> selector(std::string_view signature) {
    const Bytes32 h = keccak256(as_bytes(Signature::parse(signature).canonical()));
    return {h[0], h[1], h[2], h[3]};
}

Bytes encode_call(std::string_view signature, std::span<const Value> values) {
    const Signature sig = Signature::parse(signature);
    const Bytes32 h = keccak256(as_bytes(sig.canonical()));
    Bytes out(h.begin(), h.begin() + 4);
    const std::vector<Type> types = sig.types();
    if (types.size() != values.size())
        throw AbiError(sig.canonical() + " takes " + std::to_string(types.size()) + " arguments, got " +
                       std::to_string(values.size()));
    encode_sequence(out, Items{types.data(), types.size(), false}, values.data());
    return out;
}

std::vector<Value> decode_call(std::string_view signature, ByteView calldata) {
    const Signature sig = Signature::parse(signature);
    const FixedBytes<4> expected = selector(sig.canonical());
    if (calldata.size() < 4 || !std::equal(expected.begin(), expected.end(), calldata.begin()))
        throw AbiError("calldata does not start with the selector " + to_hex(expected) + " of " + sig.canonical());
    return decode(sig.types(), calldata.subspan(4));
}

}  // namespace dossier::eth::abi
