#include "ipfs/car.hpp"

#include <algorithm>
#include <string>

#include "ipfs/exporter.hpp"
#include "ipfs/varint.hpp"

namespace dossier::ipfs::car {
namespace {

// --- the dag-cbor subset of a CAR v1 header ---------------------------------------------------

void cbor_head(Bytes& out, std::uint8_t major, std::uint64_t v) {
    const auto m = static_cast<std::uint8_t>(major << 5);
    if (v < 24) {
        out.push_back(static_cast<std::uint8_t>(m | v));
    } else if (v <= 0xff) {
        out.push_back(m | 24);
        out.push_back(static_cast<std::uint8_t>(v));
    } else if (v <= 0xffff) {
        out.push_back(m | 25);
        for (int i = 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    } else if (v <= 0xffffffff) {
        out.push_back(m | 26);
        for (int i = 3; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    } else {
        out.push_back(m | 27);
        for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
}

void cbor_text(Bytes& out, std::string_view s) {
    cbor_head(out, 3, s.size());
    append(out, as_bytes(s));
}

/// A strict reader of canonical (dag-cbor) heads: minimal lengths, definite lengths only.
class CborReader {
public:
    explicit CborReader(ByteView in) : in_(in) {}
    [[nodiscard]] bool done() const { return pos_ == in_.size(); }

    std::uint64_t head(std::uint8_t want_major, const char* what) {
        if (pos_ >= in_.size()) fail(std::string("truncated header at ") + what);
        const std::uint8_t b = in_[pos_++];
        const auto major = static_cast<std::uint8_t>(b >> 5);
        const std::uint8_t info = b & 31;
        if (major != want_major) fail(std::string("header ") + what + " has the wrong CBOR type");
        if (info < 24) return info;
        if (info > 27) fail(std::string("header ") + what + " uses an indefinite or reserved length");
        const std::size_t n = std::size_t{1} << (info - 24);
        if (in_.size() - pos_ < n) fail(std::string("truncated header at ") + what);
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < n; ++i) v = (v << 8) | in_[pos_++];
        const std::uint64_t min = info == 24 ? 24 : (std::uint64_t{1} << (8 * (n / 2)));
        if (v < min) fail(std::string("header ") + what + " is not minimally encoded");
        return v;
    }
    ByteView take(std::uint64_t n, const char* what) {
        if (n > in_.size() - pos_) fail(std::string("truncated header at ") + what);
        ByteView out = in_.subspan(pos_, static_cast<std::size_t>(n));
        pos_ += static_cast<std::size_t>(n);
        return out;
    }
    void expect_text(std::string_view s) {
        const std::uint64_t n = head(3, "map key");
        if (as_chars(take(n, "map key")) != s) fail("header must be the map {roots, version} in canonical order");
    }
    [[noreturn]] static void fail(const std::string& msg) { throw CarError("bad CAR header: " + msg); }

private:
    ByteView in_;
    std::size_t pos_ = 0;
};

/// Buffered reads from a ByteSource with exact-length helpers that report truncation.
class Input {
public:
    explicit Input(ByteSource& src) : src_(src), buf_(1 << 16) {}

    /// Next byte, or -1 at end of stream.
    int byte() {
        if (pos_ == len_ && !refill()) return -1;
        return buf_[pos_++];
    }
    /// Fills `out` completely; returns how many bytes were available (< size at end of stream).
    std::size_t exact(std::span<std::uint8_t> out) {
        std::size_t done = 0;
        while (done < out.size()) {
            if (pos_ == len_ && !refill()) break;
            const std::size_t n = std::min(out.size() - done, len_ - pos_);
            std::copy_n(buf_.begin() + static_cast<std::ptrdiff_t>(pos_), n, out.begin() + static_cast<std::ptrdiff_t>(done));
            pos_ += n;
            done += n;
        }
        return done;
    }
    /// A varint; nullopt if the stream ends cleanly before its first byte.
    std::optional<std::uint64_t> varint(const char* what) {
        Bytes b;
        for (;;) {
            const int c = byte();
            if (c < 0) {
                if (b.empty()) return std::nullopt;
                throw CarError(std::string("truncated CAR: the stream ends inside a ") + what + " varint");
            }
            b.push_back(static_cast<std::uint8_t>(c));
            if ((c & 0x80) == 0) break;
            if (b.size() == varint::kMaxBytes) break;  // let varint::read report the overlong encoding
        }
        std::size_t pos = 0;
        try {
            return varint::read(b, pos);
        } catch (const VarintError& e) {
            throw CarError(std::string("bad ") + what + " varint in CAR: " + e.what());
        }
    }

private:
    bool refill() {
        len_ = src_.read(buf_);
        pos_ = 0;
        return len_ > 0;
    }
    ByteSource& src_;
    Bytes buf_;
    std::size_t pos_ = 0;
    std::size_t len_ = 0;
};

constexpr std::uint64_t kMaxHeader = 1u << 20;

}  // namespace

Bytes encode_header(const std::vector<Cid>& roots) {
    Bytes out;
    cbor_head(out, 5, 2);  // map of 2; keys sorted length-first: "roots" < "version"
    cbor_text(out, "roots");
    cbor_head(out, 4, roots.size());
    for (const Cid& c : roots) {
        cbor_head(out, 6, 42);  // tag 42: CID
        Bytes b{0x00};          // multibase identity prefix
        c.append_to(b);
        cbor_head(out, 2, b.size());
        append(out, b);
    }
    cbor_text(out, "version");
    cbor_head(out, 0, 1);
    return out;
}

std::vector<Cid> decode_header(ByteView cbor) {
    CborReader r(cbor);
    if (r.head(5, "map") != 2) CborReader::fail("header must be a map of exactly {roots, version}");
    r.expect_text("roots");
    const std::uint64_t n = r.head(4, "roots");
    if (n == 0) CborReader::fail("no roots");
    if (n > cbor.size()) CborReader::fail("truncated roots");
    std::vector<Cid> roots;
    for (std::uint64_t i = 0; i < n; ++i) {
        if (r.head(6, "root tag") != 42) CborReader::fail("root is not a CID (tag 42)");
        const ByteView b = r.take(r.head(2, "root bytes"), "root bytes");
        if (b.empty() || b[0] != 0x00) CborReader::fail("root CID without the 0x00 multibase prefix");
        try {
            roots.push_back(Cid::from_bytes(b.subspan(1)));
        } catch (const CidError& e) {
            throw CarError(std::string("unsupported or malformed root CID in CAR header: ") + e.what());
        }
    }
    r.expect_text("version");
    const std::uint64_t version = r.head(0, "version");
    if (version != 1) throw CarError("unsupported CAR version " + std::to_string(version) + " (only CAR v1 is supported)");
    if (!r.done()) CborReader::fail("trailing bytes");
    return roots;
}

std::uint64_t write(BlockStore& store, const Cid& root, std::ostream& out) {
    const Bytes header = encode_header({root});
    Bytes buf = varint::encode(header.size());
    append(buf, header);
    out.write(reinterpret_cast<const char*>(buf.data()), static_cast<std::streamsize>(buf.size()));
    std::uint64_t blocks = 0;
    walk_dag_blocks(store, root, [&](const Cid& cid, const Bytes& block) {
        buf.clear();
        const Bytes cb = cid.bytes();
        varint::append(buf, cb.size() + block.size());
        append(buf, cb);
        out.write(reinterpret_cast<const char*>(buf.data()), static_cast<std::streamsize>(buf.size()));
        out.write(reinterpret_cast<const char*>(block.data()), static_cast<std::streamsize>(block.size()));
        ++blocks;
    });
    out.flush();
    if (!out) throw IpfsError(ErrorCode::io, "error writing the CAR stream");
    return blocks;
}

ReadResult read(ByteSource& src, BlockWriter& out) {
    Input in(src);
    ReadResult result;
    const auto header_len = in.varint("header length");
    if (!header_len) throw CarError("empty CAR stream");
    if (*header_len == 0) throw CarError("bad CAR header: zero length");
    if (*header_len > kMaxHeader) throw CarError("CAR header of " + std::to_string(*header_len) + " bytes is too large");
    Bytes header(static_cast<std::size_t>(*header_len));
    if (in.exact(header) != header.size()) throw CarError("truncated CAR header");
    result.roots = decode_header(header);
    Bytes section;
    for (;;) {
        const auto len = in.varint("section length");
        if (!len) break;
        const std::string where = "CAR section " + std::to_string(result.blocks + 1);
        if (*len == 0) throw CarError(where + " is empty");
        if (*len > kMaxSection)
            throw CarError(where + " has " + std::to_string(*len) + " bytes, more than the 8 MiB limit");
        section.resize(static_cast<std::size_t>(*len));
        const std::size_t got = in.exact(section);
        if (got != section.size())
            throw CarError("truncated CAR: " + where + " needs " + std::to_string(*len) + " bytes, only " +
                           std::to_string(got) + " remain");
        std::size_t pos = 0;
        Cid cid;
        try {
            cid = Cid::read(section, pos);
        } catch (const CidError& e) {
            throw CarError(where + " has an unsupported or malformed CID: " + e.what());
        }
        const ByteView block = ByteView(section).subspan(pos);
        if (!cid.hash.matches(block)) throw CarError("block " + cid.to_string() + " in the CAR does not match its hash");
        out.put(cid, Bytes(block.begin(), block.end()));
        ++result.blocks;
    }
    out.commit();
    return result;
}

ReadResult read(std::istream& in, BlockStore& store) {
    auto src = source_from_istream(in);
    auto w = store.writer();
    return read(*src, *w);
}

}  // namespace dossier::ipfs::car
