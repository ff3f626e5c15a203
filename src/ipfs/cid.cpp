#include "ipfs/cid.hpp"

#include <cstdio>

#include "ipfs/varint.hpp"

namespace dossier::ipfs {
namespace {

std::string hex_code(std::uint64_t code) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(code));
    return buf;
}

void check_codec(std::uint64_t codec) {
    if (codec == kCodecRaw || codec == kCodecDagPb) return;
    std::string name;
    switch (codec) {
        case 0x71: name = " (dag-cbor)"; break;
        case 0x0129: name = " (dag-json)"; break;
        case 0x0200: name = " (json)"; break;
        case 0x51: name = " (cbor)"; break;
        case 0x72: name = " (libp2p-key)"; break;
        default: break;
    }
    throw CidError("unsupported CID codec " + hex_code(codec) + name + " (supported: raw 0x55, dag-pb 0x70)");
}

}  // namespace

Cid Cid::v1(std::uint64_t codec, const Multihash& mh) {
    check_codec(codec);
    return Cid{1, codec, mh};
}

Cid Cid::read(ByteView in, std::size_t& pos) {
    // CIDv0 is a bare sha2-256 multihash: it starts 0x12 0x20.
    if (in.size() - pos >= 2 && in[pos] == 0x12 && in[pos + 1] == 0x20) {
        try {
            return v0(Multihash::read(in, pos));
        } catch (const MultihashError& e) {
            throw CidError(std::string("malformed CIDv0: ") + e.what());
        }
    }
    std::uint64_t version = 0;
    std::uint64_t codec = 0;
    try {
        version = varint::read(in, pos);
        if (version != 1) throw CidError("unsupported CID version " + std::to_string(version));
        codec = varint::read(in, pos);
    } catch (const VarintError& e) {
        throw CidError(std::string("malformed CID: ") + e.what());
    }
    check_codec(codec);
    try {
        return Cid{1, codec, Multihash::read(in, pos)};
    } catch (const MultihashError& e) {
        throw CidError(std::string("CID with a bad multihash: ") + e.what());
    }
}

Cid Cid::from_bytes(ByteView bytes) {
    std::size_t pos = 0;
    Cid c = read(bytes, pos);
    if (pos != bytes.size()) throw CidError("trailing bytes after CID");
    return c;
}

Cid Cid::parse(std::string_view text) {
    if (text.size() == 46 && text.substr(0, 2) == "Qm") {
        Bytes b;
        try {
            b = multibase::decode_base58btc(text);
        } catch (const MultibaseError& e) {
            throw CidError(std::string("malformed CIDv0 text: ") + e.what());
        }
        if (b.size() != 34 || b[0] != 0x12 || b[1] != 0x20) throw CidError("malformed CIDv0 text");
        return from_bytes(b);
    }
    if (text.empty()) throw CidError("empty CID text");
    Bytes b;
    try {
        b = multibase::decode(text);
    } catch (const MultibaseError& e) {
        throw CidError(std::string("malformed CID text: ") + e.what());
    }
    // "z" + base58 of a bare multihash would be a v0 CID in multibase: not a valid text form.
    if (!b.empty() && b[0] == 0x12) throw CidError("CIDv0 must be written in bare base58btc (Qm...)");
    Cid c = from_bytes(b);
    // The encoding must round-trip (base32 is single-case and canonical; base58 has leading-zero
    // rules): reject text that decodes but is not how this CID is written.
    if (c.to_string(static_cast<multibase::Base>(text[0])) != text) throw CidError("non-canonical CID text");
    return c;
}

void Cid::append_to(Bytes& out) const {
    if (version == 0) {
        hash.append_to(out);
        return;
    }
    out.push_back(0x01);
    varint::append(out, codec);
    hash.append_to(out);
}

Bytes Cid::bytes() const {
    Bytes out;
    out.reserve(37);
    append_to(out);
    return out;
}

std::string Cid::to_string() const { return to_string(multibase::Base::Base32Lower); }

std::string Cid::to_string(multibase::Base base) const {
    if (version == 0) return multibase::base58btc(bytes());
    return multibase::encode(base, bytes());
}

}  // namespace dossier::ipfs
