// The Kubo RPC client against a stand-in node built on the JS IPFS libraries (the reference): CIDs
// equal the JS importer's and Dossier's own, reads are verified, and a lying node is caught.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "data_gen.hpp"
#include "ipfs/car.hpp"
#include "ipfs/dagpb.hpp"
#include "ipfs/gateway.hpp"
#include "ipfs/importer.hpp"
#include "ipfs/kubo_client.hpp"
#include "ipfs/local_content_store.hpp"
#include "ipfs/varint.hpp"
#include "net_support.hpp"
#include "support/error_code.hpp"
#include "support/process.hpp"

using namespace dossier;
using namespace dossier::ipfs;
using nettest::generated;
using nettest::same;
using nettest::slurp;
using nettest::StandIn;

namespace {

/// The root CID the JS importer gives `path` ("<chunk> <links>" or "--profile <name>").
std::string js_cid(const std::vector<std::string>& params, const std::string& path) {
    std::vector<std::string> argv = {"node", nettest::script("import.mjs")};
    argv.insert(argv.end(), params.begin(), params.end());
    argv.push_back(path);
    const std::string out = test::run_ok(argv);
    return out.substr(0, out.find(' '));
}

Cid local_cid(const std::string& data, const ImportProfile& profile = ImportProfile::kubo_v1()) {
    auto src = source_from_bytes(as_bytes(data));
    NullBlockWriter w;
    return import_file(*src, w, profile).root;
}

std::string cat_all(KuboClient& c, const Cid& root, std::uint64_t offset = 0, std::optional<std::uint64_t> len = {}) {
    auto s = c.cat(root, offset, len);
    const Bytes b = read_all(*s);
    return std::string(as_chars(b));
}

class KuboClientTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { node_ = std::make_unique<StandIn>(); }
    static void TearDownTestSuite() { node_.reset(); }
    static std::unique_ptr<StandIn> node_;
    test::TempDir dir_;
};
std::unique_ptr<StandIn> KuboClientTest::node_;

}  // namespace

TEST_F(KuboClientTest, VersionAndMultiaddr) {
    KuboClient c(node_->url());
    EXPECT_EQ(c.version(), "0.0.0-js-standin");
    const std::string port = node_->url().substr(node_->url().rfind(':') + 1);
    KuboClient m("/ip4/127.0.0.1/tcp/" + port);
    EXPECT_EQ(m.url(), node_->url());
    EXPECT_EQ(m.version(), "0.0.0-js-standin");
    EXPECT_THROW(KuboClient("ftp://x"), IpfsError);
}

TEST_F(KuboClientTest, AddGivesTheJsImportersCidForEverySizeClass) {
    KuboClient c(node_->url());
    for (const std::uint64_t size : {0ull, 1ull, 262144ull, 262145ull, 3'000'001ull}) {
        const std::string path = dir_.path() + "/f" + std::to_string(size);
        testdata::write_file(path, size + 7, size);
        std::ifstream in(path, std::ios::binary);
        auto src = source_from_istream(in);
        const ImportResult r = c.add(*src);
        EXPECT_EQ(r.root.to_string(), js_cid({"262144", "174"}, path)) << size;
        EXPECT_EQ(r.file_size, size);
        EXPECT_TRUE(same(cat_all(c, r.root), slurp(path))) << size;
        EXPECT_EQ(c.size(r.root), size);
        EXPECT_TRUE(c.has(r.root));
    }
}

TEST_F(KuboClientTest, AddManyGivesTheJsImportersCidForEachFile) {
    // Small files go in one request, a big one on its own; every CID is the reference's.
    KuboClient c(node_->url());
    std::vector<std::string> paths;
    std::vector<std::unique_ptr<std::ifstream>> files;
    std::vector<std::unique_ptr<ByteSource>> sources;
    std::vector<ByteSource*> inputs;
    for (const std::uint64_t size : {5ull, 0ull, 262145ull, 2'000'000ull, 700ull}) {
        paths.push_back(dir_.path() + "/m" + std::to_string(size));
        testdata::write_file(paths.back(), size + 11, size);
        files.push_back(std::make_unique<std::ifstream>(paths.back(), std::ios::binary));
        sources.push_back(source_from_istream(*files.back()));
        inputs.push_back(sources.back().get());
    }
    const std::vector<ImportResult> results = c.add_many(inputs);
    ASSERT_EQ(results.size(), paths.size());
    for (std::size_t i = 0; i < paths.size(); ++i) {
        EXPECT_EQ(results[i].root.to_string(), js_cid({"262144", "174"}, paths[i])) << paths[i];
        EXPECT_TRUE(same(cat_all(c, results[i].root), slurp(paths[i]))) << paths[i];
    }
}

TEST_F(KuboClientTest, AddWithTheUnixfs2025Profile) {
    KuboClient c(node_->url());
    const std::string path = dir_.path() + "/big";
    testdata::write_file(path, 99, 2'500'000);
    std::ifstream in(path, std::ios::binary);
    auto src = source_from_istream(in);
    AddOptions o;
    o.profile = ImportProfile::unixfs_v1_2025();
    const ImportResult r = c.add(*src, o);
    EXPECT_EQ(r.root.to_string(), js_cid({"--profile", "unixfs-v1-2025"}, path));
    EXPECT_TRUE(same(cat_all(c, r.root), slurp(path)));
}

TEST_F(KuboClientTest, DagPbLeavesAreReadThroughVerifiedBlocks) {
    // Without raw leaves the stream cannot be checked leaf by leaf: the client reads blocks instead.
    KuboClient c(node_->url());
    const std::string data = generated(27, 1'100'000);
    auto src = source_from_bytes(as_bytes(data));
    AddOptions o;
    o.profile = ImportProfile::custom(262144, 174, false, 1);
    const Cid root = c.add(*src, o).root;
    EXPECT_EQ(root, local_cid(data, o.profile));
    EXPECT_TRUE(same(cat_all(c, root), data));
    EXPECT_TRUE(same(cat_all(c, root, 500'000, 1000), data.substr(500'000, 1000)));
}

TEST_F(KuboClientTest, RangedCat) {
    KuboClient c(node_->url());
    const std::string data = generated(5, 1'000'000);
    auto src = source_from_bytes(as_bytes(data));
    const Cid root = c.add(*src).root;
    EXPECT_EQ(cat_all(c, root, 262140, 10), data.substr(262140, 10));
    EXPECT_EQ(cat_all(c, root, 999'990), data.substr(999'990));
    EXPECT_EQ(cat_all(c, root, 2'000'000), "");
}

TEST_F(KuboClientTest, Pins) {
    KuboClient c(node_->url());
    const std::string data = generated(6, 600'000);
    auto src = source_from_bytes(as_bytes(data));
    AddOptions o;
    o.pin = false;
    const Cid root = c.add(*src, o).root;
    auto pinned = [&] {
        const auto p = c.pins();
        return std::find(p.begin(), p.end(), root) != p.end();
    };
    EXPECT_FALSE(pinned());
    c.pin(root);
    EXPECT_TRUE(pinned());
    c.unpin(root);
    EXPECT_FALSE(pinned());
    try {
        c.unpin(root);
        FAIL() << "unpinning twice succeeded";
    } catch (const NodeApiError& e) {
        EXPECT_EQ(e.status(), 500);
        EXPECT_NE(e.message().find("not pinned"), std::string::npos) << e.message();
    }
}

TEST_F(KuboClientTest, MissingContentIsBlockNotFound) {
    KuboClient c(node_->url());
    const Cid absent = local_cid("never added to the node");
    EXPECT_FALSE(c.has(absent));
    EXPECT_THROW((void)c.size(absent), BlockNotFoundError);
    EXPECT_THROW((void)cat_all(c, absent), BlockNotFoundError);
    EXPECT_THROW(c.pin(absent), BlockNotFoundError);
    // A DAG whose root is on the node but not its leaves: a CAR of the root block alone.
    MemoryBlockStore partial;
    const std::string data = generated(8, 700'000);
    auto src = source_from_bytes(as_bytes(data));
    const Cid root = import_file(*src, partial, ImportProfile::kubo_v1()).root;
    const Bytes header = car::encode_header({root});
    const Bytes block = partial.get_required(root);
    Bytes car_bytes = varint::encode(header.size());
    append(car_bytes, header);
    varint::append(car_bytes, root.bytes().size() + block.size());
    append(car_bytes, root.bytes());
    append(car_bytes, block);
    std::istringstream in{std::string(as_chars(car_bytes))};
    EXPECT_EQ(c.import_car(in, false), std::vector<Cid>{root});
    EXPECT_EQ(c.size(root), 700'000u);  // the root alone knows the size
    EXPECT_FALSE(c.has(root));
    EXPECT_THROW(c.pin(root), BlockNotFoundError);
    EXPECT_THROW((void)cat_all(c, root), BlockNotFoundError);
}

TEST_F(KuboClientTest, CarExportIsTheJsCarAndImportRoundTrips) {
    KuboClient c(node_->url());
    const std::string path = dir_.path() + "/car-src";
    testdata::write_file(path, 11, 1'500'000);
    std::ifstream in(path, std::ios::binary);
    auto src = source_from_istream(in);
    const Cid root = c.add(*src).root;
    std::ostringstream ours;
    c.export_car(root, ours);
    const std::string js_car = dir_.path() + "/js.car";
    const std::string js_root = test::run_ok({"node", nettest::script("car_write.mjs"), "262144", "174", path, js_car});
    EXPECT_EQ(js_root, root.to_string());
    EXPECT_TRUE(same(ours.str(), slurp(js_car)));  // byte for byte

    // A CAR of other content imports and reads back through verified blocks.
    MemoryBlockStore local;
    const std::string other_data = generated(12, 400'000);
    auto other = source_from_bytes(as_bytes(other_data));
    const Cid other_root = import_file(*other, local, ImportProfile::kubo_v1()).root;
    std::ostringstream car_bytes;
    (void)car::write(local, other_root, car_bytes);
    std::istringstream car_in(car_bytes.str());
    EXPECT_EQ(c.import_car(car_in), std::vector<Cid>{other_root});
    EXPECT_TRUE(same(cat_all(c, other_root), other_data));
    const auto p = c.pins();
    EXPECT_NE(std::find(p.begin(), p.end(), other_root), p.end());

    // A damaged CAR is refused by the client's own check.
    std::string damaged = car_bytes.str();
    damaged[damaged.size() - 10] ^= 1;
    std::istringstream bad(damaged);
    EXPECT_THROW((void)c.import_car(bad), CarError);
}

TEST(KuboClientErrors, UnreachableNodeNamesTheUrl) {
    const std::string url = "http://127.0.0.1:" + std::to_string(test::free_port());
    KuboClient c(url);
    const auto e = test::expect_code([&] { (void)c.version(); }, ErrorCode::node_unavailable);
    EXPECT_NE(test::message_of(e).find(url), std::string::npos) << test::message_of(e);
    auto src = source_from_bytes(as_bytes(std::string("x")));
    test::expect_code([&] { (void)c.add(*src); }, ErrorCode::node_unavailable);
}

TEST(KuboClientLying, CorruptBlocksAreDetected) {
    StandIn liar("blocks");
    KuboClient c(liar.url());
    const std::string data = generated(21, 800'000);
    auto src = source_from_bytes(as_bytes(data));
    const Cid root = c.add(*src).root;  // the add itself is honest
    EXPECT_EQ(root, local_cid(data));
    try {
        (void)cat_all(c, root);
        FAIL() << "corrupted bytes were accepted";
    } catch (const CorruptBlockError& e) {
        EXPECT_EQ(e.cid(), root.to_string());  // the root block is the first one read
    }
    EXPECT_THROW((void)c.size(root), CorruptBlockError);
    std::ostringstream car_out;
    EXPECT_THROW(c.export_car(root, car_out), CorruptBlockError);
    // The lying node's own cat really does return different bytes: the check is what catches it.
    const auto raw = nettest::post(liar.url() + "/api/v0/cat?arg=" + root.to_string());
    EXPECT_EQ(raw.status, 200);
    EXPECT_EQ(raw.body.size(), data.size());
    EXPECT_FALSE(raw.body == data);
}

TEST(KuboClientLying, ACorruptCatStreamIsDetectedLeafByLeaf) {
    StandIn liar("cat");  // block/get honest, cat lies
    KuboClient c(liar.url());
    const std::string data = generated(25, 900'000);
    auto src = source_from_bytes(as_bytes(data));
    const Cid root = c.add(*src).root;
    MemoryBlockStore m;
    auto again = source_from_bytes(as_bytes(data));
    (void)import_file(*again, m);
    const auto links = dagpb::decode(m.get_required(root)).links;
    for (const std::uint64_t offset : {0ull, 300'000ull}) {  // the lie is in the first leaf sent
        try {
            (void)cat_all(c, root, offset);
            FAIL() << "a corrupted stream was accepted";
        } catch (const CorruptBlockError& e) {
            EXPECT_EQ(e.cid(), links[offset / 262144].hash.to_string());
        }
    }
    // Blocks fetched one by one are honest, and so is everything built from them.
    std::ostringstream car_out;
    c.export_car(root, car_out);
    std::istringstream in(car_out.str());
    MemoryBlockStore n;
    EXPECT_EQ(car::read(in, n).blocks, 5u);
}

TEST(KuboClientLying, AWrongCidFromAddIsDetected) {
    StandIn liar("add");
    KuboClient c(liar.url());
    const std::string data = generated(22, 300'000);
    auto src = source_from_bytes(as_bytes(data));
    const auto e = test::expect_code([&] { (void)c.add(*src); }, ErrorCode::tampered);
    // The sentence names the CID the content has.
    EXPECT_NE(test::message_of(e).find(local_cid(data).to_string()), std::string::npos) << test::message_of(e);
}

TEST(KuboClientLying, AWrongCidFromABatchedAddIsDetected) {
    StandIn liar("add");
    KuboClient c(liar.url());
    const std::string a = generated(23, 100), b = generated(24, 200);
    auto sa = source_from_bytes(as_bytes(a));
    auto sb = source_from_bytes(as_bytes(b));
    std::vector<ByteSource*> inputs{sa.get(), sb.get()};
    const auto e = test::expect_code([&] { (void)c.add_many(inputs); }, ErrorCode::tampered);
    EXPECT_NE(test::message_of(e).find(local_cid(a).to_string()), std::string::npos) << test::message_of(e);
}

TEST(KuboClientProxy, ABlockTheNodeFindsCorruptIsTampered) {
    // A node that checks what it reads (Dossier's gateway; Kubo with HashOnRead) refuses a block
    // whose bytes on its disk no longer match its hash. The client says so (tampered, the code a
    // face shows as an integrity failure), not "node unavailable".
    test::TempDir dir;
    LocalContentStore store(dir.path());
    Gateway gw(store);
    gw.start();
    KuboClient c(gw.url());
    const std::string data = generated(41, 1000);
    auto src = source_from_bytes(as_bytes(data));
    const Cid root = c.add(*src).root;
    EXPECT_TRUE(c.blocks().get(root).has_value());
    const auto path = store.blocks().block_path(root.hash);
    std::string bytes = slurp(path.string());
    bytes[bytes.size() / 2] ^= 0x5a;
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    try {
        (void)c.blocks().get(root);
        FAIL() << "a block the node found corrupt was returned";
    } catch (const CorruptBlockError& e) {
        EXPECT_EQ(e.code(), ErrorCode::tampered);
        EXPECT_EQ(e.cid(), root.to_string());
    }
}

TEST(KuboClientProxy, AGatewayOverARemoteNodeServesOnlyVerifiedBytes) {
    // Dossier's gateway in front of a node through the client: honest node, then a lying one.
    for (const std::string lie : {"", "blocks"}) {
        StandIn node(lie);
        KuboClient c(node.url());
        const std::string data = generated(31, 600'000);
        auto src = source_from_bytes(as_bytes(data));
        const Cid root = c.add(*src).root;
        Gateway gw(c, c.blocks());
        gw.start();
        const auto file = nettest::get(gw.url() + "/ipfs/" + root.to_string());
        const auto raw = nettest::get(gw.url() + "/ipfs/" + root.to_string() + "?format=raw");
        const std::string car_url = gw.url() + "/ipfs/" + root.to_string() + "?format=car";
        if (lie.empty()) {
            const auto car = nettest::get(car_url);
            EXPECT_EQ(file.status, 200);
            EXPECT_TRUE(same(file.body, data));
            EXPECT_TRUE(root.hash.matches(as_bytes(raw.body)));
            std::istringstream in(car.body);
            MemoryBlockStore m;
            EXPECT_EQ(car::read(in, m).roots, std::vector<Cid>{root});
        } else {
            EXPECT_EQ(file.status, 500) << file.body;
            EXPECT_NE(file.body.find("corrupt"), std::string::npos);
            EXPECT_EQ(raw.status, 500);
            // The CAR stream has started (200) when the first block fails its check: it is cut short.
            EXPECT_THROW((void)nettest::get(car_url), std::runtime_error);
        }
    }
}
