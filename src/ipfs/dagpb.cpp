#include "ipfs/dagpb.hpp"

#include "ipfs/protobuf.hpp"

namespace dossier::ipfs::dagpb {

Bytes encode(const Node& node) {
    Bytes out;
    std::size_t reserve = node.data ? node.data->size() + 8 : 0;
    reserve += node.links.size() * 48;
    out.reserve(reserve);
    Bytes link;
    for (const Link& l : node.links) {
        link.clear();
        Bytes cid = l.hash.bytes();
        pb::put_bytes(link, 1, cid);
        if (l.name) pb::put_bytes(link, 2, as_bytes(*l.name));
        if (l.tsize) pb::put_uint(link, 3, *l.tsize);
        pb::put_bytes(out, 2, link);
    }
    if (node.data) pb::put_bytes(out, 1, *node.data);
    return out;
}

namespace {

Link decode_link(ByteView bytes) {
    pb::Reader<DagPbError> r(bytes, "dag-pb link");
    std::optional<Cid> hash;
    std::optional<std::string> name;
    std::optional<std::uint64_t> tsize;
    std::uint32_t last = 0;
    while (!r.done()) {
        pb::WireType wt{};
        const std::uint32_t field = r.tag(wt);
        if (field <= last) r.fail(field == last ? "duplicate field" : "fields out of order (Hash, Name, Tsize)");
        last = field;
        switch (field) {
            case 1: {
                if (wt != pb::kLen) r.fail("Hash has the wrong wire type");
                try {
                    hash = Cid::from_bytes(r.bytes());
                } catch (const CidError& e) {
                    r.fail(std::string("bad Hash: ") + e.what());
                }
                break;
            }
            case 2: {
                if (wt != pb::kLen) r.fail("Name has the wrong wire type");
                const ByteView n = r.bytes();
                name = std::string(as_chars(n));
                break;
            }
            case 3:
                if (wt != pb::kVarint) r.fail("Tsize has the wrong wire type");
                tsize = r.varint();
                break;
            default: r.fail("unknown field " + std::to_string(field));
        }
    }
    if (!hash) r.fail("link without Hash");
    return Link{*hash, std::move(name), tsize};
}

}  // namespace

Node decode(ByteView block) {
    pb::Reader<DagPbError> r(block, "dag-pb node");
    Node node;
    while (!r.done()) {
        pb::WireType wt{};
        const std::uint32_t field = r.tag(wt);
        if (field == 2) {
            if (wt != pb::kLen) r.fail("Links has the wrong wire type");
            if (node.data) r.fail("Data before Links");
            node.links.push_back(decode_link(r.bytes()));
        } else if (field == 1) {
            if (wt != pb::kLen) r.fail("Data has the wrong wire type");
            if (node.data) r.fail("duplicate Data");
            const ByteView d = r.bytes();
            node.data = Bytes(d.begin(), d.end());
        } else {
            r.fail("unknown field " + std::to_string(field));
        }
    }
    return node;
}

}  // namespace dossier::ipfs::dagpb
