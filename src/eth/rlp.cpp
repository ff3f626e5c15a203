#include "eth/rlp.hpp"

#include <string>

namespace dossier::eth::rlp {
namespace {

void put_header(Bytes& out, std::size_t len, std::uint8_t short_base, std::uint8_t long_base) {
    if (len <= 55) {
        out.push_back(static_cast<std::uint8_t>(short_base + len));
        return;
    }
    const Bytes len_bytes = minimal_be(len);
    out.push_back(static_cast<std::uint8_t>(long_base + len_bytes.size()));
    append(out, len_bytes);
}

void encode_into(Bytes& out, const Item& item) {
    if (!item.is_list) {
        append(out, encode_string(item.bytes));
        return;
    }
    Bytes payload;
    for (const Item& child : item.items) encode_into(payload, child);
    put_header(out, payload.size(), 0xc0, 0xf7);
    append(out, payload);
}

struct Header {
    bool is_list;
    std::size_t offset;  // payload start relative to the item start
    std::size_t length;  // payload length
};

Header read_header(ByteView in) {
    if (in.empty()) throw RlpError("RLP: unexpected end of input");
    const std::uint8_t b = in[0];
    if (b < 0x80) return {false, 0, 1};
    auto long_length = [&](std::size_t n_len) -> std::size_t {
        if (in.size() < 1 + n_len) throw RlpError("RLP: truncated length prefix");
        if (in[1] == 0) throw RlpError("RLP: length prefix has a leading zero");
        if (n_len > sizeof(std::size_t)) throw RlpError("RLP: length does not fit in memory");
        std::size_t len = 0;
        for (std::size_t i = 0; i < n_len; ++i) len = (len << 8) | in[1 + i];
        if (len <= 55) throw RlpError("RLP: long form used for a length under 56");
        return len;
    };
    std::size_t offset, length;
    bool is_list;
    if (b <= 0xb7) {
        is_list = false, offset = 1, length = b - 0x80u;
        if (length == 1 && (in.size() < 2 || in[1] < 0x80)) {
            if (in.size() < 2) throw RlpError("RLP: truncated string");
            throw RlpError("RLP: single byte below 0x80 must be encoded as itself");
        }
    } else if (b <= 0xbf) {
        const std::size_t n_len = b - 0xb7u;
        is_list = false, offset = 1 + n_len, length = long_length(n_len);
    } else if (b <= 0xf7) {
        is_list = true, offset = 1, length = b - 0xc0u;
    } else {
        const std::size_t n_len = b - 0xf7u;
        is_list = true, offset = 1 + n_len, length = long_length(n_len);
    }
    if (length > in.size() - offset) throw RlpError("RLP: item is longer than the input");
    return {is_list, offset, length};
}

Item decode_item(ByteView in, std::size_t& consumed, std::size_t depth) {
    if (depth > kMaxDepth) throw RlpError("RLP: lists nested too deeply");
    const Header h = read_header(in);
    consumed = h.offset + h.length;
    ByteView payload = in.subspan(h.offset, h.length);
    if (!h.is_list) return Item::string(Bytes(payload.begin(), payload.end()));
    Item list = Item::list({});
    while (!payload.empty()) {
        std::size_t used = 0;
        list.items.push_back(decode_item(payload, used, depth + 1));
        payload = payload.subspan(used);
    }
    return list;
}

}  // namespace

Bytes minimal_be(std::uint64_t value) {
    Bytes out;
    for (int shift = 56; shift >= 0; shift -= 8) {
        const auto byte = static_cast<std::uint8_t>(value >> shift);
        if (byte != 0 || !out.empty()) out.push_back(byte);
    }
    return out;
}

Bytes encode_string(ByteView payload) {
    Bytes out;
    if (payload.size() == 1 && payload[0] < 0x80) {
        out.push_back(payload[0]);
        return out;
    }
    out.reserve(payload.size() + 9);
    put_header(out, payload.size(), 0x80, 0xb7);
    append(out, payload);
    return out;
}

Bytes encode_uint(std::uint64_t value) { return encode_string(minimal_be(value)); }

Bytes encode_list_of_encoded(ByteView concatenated_items) {
    Bytes out;
    out.reserve(concatenated_items.size() + 9);
    put_header(out, concatenated_items.size(), 0xc0, 0xf7);
    append(out, concatenated_items);
    return out;
}

Bytes encode(const Item& item) {
    Bytes out;
    encode_into(out, item);
    return out;
}

Item decode(ByteView data) {
    std::size_t consumed = 0;
    Item item = decode_item(data, consumed, 0);
    if (consumed != data.size())
        throw RlpError("RLP: " + std::to_string(data.size() - consumed) + " trailing bytes after the item");
    return item;
}

std::uint64_t to_uint64(const Item& item) {
    if (item.is_list) throw RlpError("RLP: expected an integer, got a list");
    if (item.bytes.size() > 8) throw RlpError("RLP: integer wider than 64 bits");
    if (!item.bytes.empty() && item.bytes[0] == 0) throw RlpError("RLP: integer has a leading zero");
    std::uint64_t v = 0;
    for (std::uint8_t b : item.bytes) v = (v << 8) | b;
    return v;
}

}  // namespace dossier::eth::rlp
