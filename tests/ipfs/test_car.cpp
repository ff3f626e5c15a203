// CAR v1: round trips, interoperability both ways with @ipld/car (a JS-written CAR imports and
// exports the same file; a Dossier CAR reads in CarReader with every block re-hashed, and equals
// the JS CAR of the same DAG byte for byte), and a specific error for each kind of damage.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "base/hex.hpp"
#include "data_gen.hpp"
#include "ipfs/car.hpp"
#include "ipfs/exporter.hpp"
#include "ipfs/importer.hpp"
#include "ipfs/local_content_store.hpp"
#include "ipfs/sha256.hpp"
#include "ipfs/varint.hpp"
#include "support/process.hpp"

using namespace dossier;
using namespace dossier::ipfs;

namespace {

std::string script(const std::string& name) { return test::source_dir() + "/tests/ipfs/js/" + name; }

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::string car_of(BlockStore& store, const Cid& root) {
    std::ostringstream out;
    (void)car::write(store, root, out);
    return out.str();
}

/// The CarError message of reading `bytes`, or "accepted".
std::string car_error(const std::string& bytes) {
    std::istringstream in(bytes);
    MemoryBlockStore store;
    try {
        (void)car::read(in, store);
    } catch (const CarError& e) {
        return e.what();
    }
    return "accepted";
}

std::string section(const Bytes& cid_bytes, const Bytes& block) {
    Bytes s = varint::encode(cid_bytes.size() + block.size());
    append(s, cid_bytes);
    append(s, block);
    return std::string(as_chars(s));
}

std::string header(const std::vector<Cid>& roots) {
    const Bytes h = car::encode_header(roots);
    Bytes s = varint::encode(h.size());
    append(s, h);
    return std::string(as_chars(s));
}

}  // namespace

TEST(Car, HeaderEncodingIsCanonicalDagCbor) {
    const Cid root = Cid::raw_of({});
    // {"roots": [42(h'00' || cid)], "version": 1}
    EXPECT_EQ(to_hex(car::encode_header({root})),
              "0xa265726f6f747381d82a582500" + to_hex_raw(root.bytes()) + "6776657273696f6e01");
    EXPECT_EQ(car::decode_header(car::encode_header({root, root})), (std::vector<Cid>{root, root}));
}

TEST(Car, RoundTripThroughTheStore) {
    MemoryBlockStore a;
    testdata::Generator g(1, 50000);
    const ImportResult r = import_file(g, a, ImportProfile::custom(1024, 5));
    const std::string bytes = car_of(a, r.root);
    MemoryBlockStore b;
    std::istringstream in(bytes);
    const car::ReadResult rr = car::read(in, b);
    EXPECT_EQ(rr.roots, std::vector<Cid>{r.root});
    EXPECT_EQ(rr.blocks, r.blocks);
    EXPECT_EQ(b.size(), a.size());
    auto f = open_file(b, r.root);
    testdata::Generator g2(1, 50000);
    EXPECT_EQ(read_all(*f), read_all(g2));
    EXPECT_EQ(car_of(b, r.root), bytes);
}

TEST(Car, InteropWithIpldCarBothWays) {
    test::TempDir dir;
    for (std::uint64_t size : {0ull, 1000ull, 3000000ull}) {
        const std::string file = dir.path() + "/f" + std::to_string(size);
        const std::string js_car = file + ".js.car";
        const std::string our_car = file + ".our.car";
        testdata::write_file(file, size, size);
        // JS writes, Dossier reads (verifying every block) and exports the same content.
        const std::string js_root = test::run_ok({"node", script("car_write.mjs"), "262144", "174", file, js_car});
        LocalContentStore cs(dir.path() + "/store" + std::to_string(size));
        std::ifstream in(js_car, std::ios::binary);
        const auto roots = cs.import_car(in);
        ASSERT_EQ(roots.size(), 1u);
        EXPECT_EQ(roots[0].to_string(), js_root);
        auto content = cs.cat(roots[0]);
        testdata::Generator g(size, size);
        EXPECT_EQ(read_all(*content), read_all(g));
        // Dossier imports the same file to the same root and writes the same CAR, byte for byte.
        testdata::Generator g2(size, size);
        EXPECT_EQ(cs.add(g2).root, roots[0]);
        {
            std::ofstream out(our_car, std::ios::binary);
            cs.export_car(roots[0], out);
        }
        EXPECT_EQ(slurp(our_car), slurp(js_car)) << size;
        // CarReader reads Dossier's CAR, re-hashes every block, and reassembles the file.
        const std::string js = test::run_ok({"node", script("car_read.mjs"), our_car});
        testdata::Generator g3(size, size);
        const Bytes all = read_all(g3);
        EXPECT_NE(js.find("roots=" + js_root + " "), std::string::npos) << js;
        EXPECT_NE(js.find(" bytes=" + std::to_string(size) + " sha256=" + to_hex_raw(sha256(all))), std::string::npos) << js;
    }
}

TEST(Car, EachKindOfDamageIsASpecificError) {
    MemoryBlockStore a;
    testdata::Generator g(2, 5000);
    const Cid root = import_file(g, a, ImportProfile::custom(1024, 5)).root;
    const std::string good = car_of(a, root);
    EXPECT_EQ(car_error(good), "accepted");
    const std::size_t hlen = header({root}).size();

    EXPECT_EQ(car_error(""), "empty CAR stream");
    EXPECT_NE(car_error(good.substr(0, 1)).find("truncated CAR header"), std::string::npos);
    EXPECT_NE(car_error(good.substr(0, hlen + 4)).find("truncated CAR: CAR section 1 needs"), std::string::npos);
    EXPECT_NE(car_error(good.substr(0, good.size() - 1)).find("truncated CAR"), std::string::npos);
    // A section length that ends mid-varint, and a non-minimal one.
    EXPECT_NE(car_error(good.substr(0, hlen) + "\x80").find("inside a section length varint"), std::string::npos);
    EXPECT_NE(car_error(good.substr(0, hlen) + std::string("\x81\x00", 2)).find("bad section length varint"), std::string::npos);
    EXPECT_NE(car_error(good.substr(0, hlen) + std::string("\x00", 1)).find("is empty"), std::string::npos);
    EXPECT_NE(car_error(good.substr(0, hlen) + "\x80\x80\x80\x10").find("more than the 8 MiB limit"), std::string::npos);
    // A flipped byte in a block: the message names the block.
    std::string flipped = good;
    flipped.back() = static_cast<char>(flipped.back() ^ 1);
    EXPECT_NE(car_error(flipped).find("does not match its hash"), std::string::npos) << car_error(flipped);
    // A dag-cbor CID and a sha2-512 CID in a section.
    const Bytes blk{0xa0};
    Bytes cbor_cid = Cid::raw_of(blk).bytes();
    cbor_cid[1] = 0x71;
    EXPECT_NE(car_error(header({root}) + section(cbor_cid, blk)).find("0x71 (dag-cbor)"), std::string::npos);
    Bytes sha512 = from_hex("0x01551340");
    sha512.resize(68, 1);
    EXPECT_NE(car_error(header({root}) + section(sha512, blk)).find("unsupported multihash function 0x13"), std::string::npos);
    // Header damage: version 2, no roots, keys out of order, not a map.
    std::string v2 = header({root});
    v2.back() = 2;
    EXPECT_NE(car_error(v2).find("unsupported CAR version 2"), std::string::npos);
    EXPECT_NE(car_error(std::string("\x11\xa2\x65roots\x80\x67version\x01", 18)).find("no roots"), std::string::npos);
    EXPECT_NE(car_error(std::string("\x0a\xa2\x67version\x01", 11)).find("canonical order"), std::string::npos);
    EXPECT_NE(car_error(std::string("\x01\x01", 2)).find("wrong CBOR type"), std::string::npos);
}
