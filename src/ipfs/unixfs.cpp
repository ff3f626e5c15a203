#include "ipfs/unixfs.hpp"

#include <limits>

#include "ipfs/protobuf.hpp"

namespace dossier::ipfs::unixfs {

Bytes encode(const Data& d) {
    Bytes out;
    out.reserve((d.data ? d.data->size() : 0) + 16 + 10 * d.blocksizes.size());
    pb::put_uint(out, 1, static_cast<std::uint64_t>(d.type));
    if (d.data) pb::put_bytes(out, 2, *d.data);
    if (d.filesize) pb::put_uint(out, 3, *d.filesize);
    for (std::uint64_t b : d.blocksizes) pb::put_uint(out, 4, b);
    if (d.hash_type) pb::put_uint(out, 5, *d.hash_type);
    if (d.fanout) pb::put_uint(out, 6, *d.fanout);
    if (d.mode) pb::put_uint(out, 7, *d.mode);
    if (d.mtime) {
        Bytes t;
        // int64 seconds: protobuf encodes negatives as 10-byte two's complement varints.
        pb::put_uint(t, 1, static_cast<std::uint64_t>(d.mtime->seconds));
        if (d.mtime->nanos) {
            pb::put_tag(t, 2, pb::kFixed32);
            for (int i = 0; i < 4; ++i) t.push_back(static_cast<std::uint8_t>(*d.mtime->nanos >> (8 * i)));
        }
        pb::put_bytes(out, 8, t);
    }
    return out;
}

namespace {

Mtime decode_mtime(ByteView bytes) {
    pb::Reader<UnixFsError> r(bytes, "UnixFS mtime");
    Mtime m;
    bool have_seconds = false;
    while (!r.done()) {
        pb::WireType wt{};
        const std::uint32_t field = r.tag(wt);
        if (field == 1 && wt == pb::kVarint && !have_seconds) {
            m.seconds = static_cast<std::int64_t>(r.varint());
            have_seconds = true;
        } else if (field == 2 && wt == pb::kFixed32 && !m.nanos) {
            const ByteView b = r.fixed32();
            m.nanos = std::uint32_t{b[0]} | std::uint32_t{b[1]} << 8 | std::uint32_t{b[2]} << 16 | std::uint32_t{b[3]} << 24;
            if (*m.nanos > 999999999u) r.fail("FractionalNanoseconds out of range");
        } else {
            r.fail("unknown, duplicate or mistyped field " + std::to_string(field));
        }
    }
    return m;
}

}  // namespace

Data decode(ByteView bytes) {
    pb::Reader<UnixFsError> r(bytes, "UnixFS data");
    Data d;
    bool have_type = false;
    auto single = [&](bool present, pb::WireType wt, pb::WireType want, const char* name) {
        if (present) r.fail(std::string("duplicate ") + name);
        if (wt != want) r.fail(std::string(name) + " has the wrong wire type");
    };
    while (!r.done()) {
        pb::WireType wt{};
        const std::uint32_t field = r.tag(wt);
        switch (field) {
            case 1: {
                single(have_type, wt, pb::kVarint, "Type");
                const std::uint64_t t = r.varint();
                if (t > 5) r.fail("unknown Type " + std::to_string(t));
                d.type = static_cast<Type>(t);
                have_type = true;
                break;
            }
            case 2: {
                single(d.data.has_value(), wt, pb::kLen, "Data");
                const ByteView v = r.bytes();
                d.data = Bytes(v.begin(), v.end());
                break;
            }
            case 3:
                single(d.filesize.has_value(), wt, pb::kVarint, "filesize");
                d.filesize = r.varint();
                break;
            case 4:
                if (wt == pb::kVarint) {
                    d.blocksizes.push_back(r.varint());
                } else if (wt == pb::kLen) {  // packed encoding: a parser must accept both
                    const ByteView packed = r.bytes();
                    pb::Reader<UnixFsError> p(packed, "UnixFS packed blocksizes");
                    while (!p.done()) d.blocksizes.push_back(p.varint());
                } else {
                    r.fail("blocksizes has the wrong wire type");
                }
                break;
            case 5:
                single(d.hash_type.has_value(), wt, pb::kVarint, "hashType");
                d.hash_type = r.varint();
                break;
            case 6:
                single(d.fanout.has_value(), wt, pb::kVarint, "fanout");
                d.fanout = r.varint();
                break;
            case 7: {
                single(d.mode.has_value(), wt, pb::kVarint, "mode");
                const std::uint64_t m = r.varint();
                if (m > std::numeric_limits<std::uint32_t>::max()) r.fail("mode out of range");
                d.mode = static_cast<std::uint32_t>(m);
                break;
            }
            case 8:
                single(d.mtime.has_value(), wt, pb::kLen, "mtime");
                d.mtime = decode_mtime(r.bytes());
                break;
            default: r.fail("unknown field " + std::to_string(field));
        }
    }
    if (!have_type) r.fail("missing required field Type");
    return d;
}

}  // namespace dossier::ipfs::unixfs
