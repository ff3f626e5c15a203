// The loopback gateway over the embedded FsBlockStore: every trustless route and Kubo RPC command
// with its error statuses, checked with plain libcurl requests, the JS IPFS libraries (importer
// CIDs, @ipld/car), and Dossier's own Kubo client (round trips, 100 MB streamed both ways).
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "base/hex.hpp"
#include "data_gen.hpp"
#include "ipfs/car.hpp"
#include "ipfs/dagpb.hpp"
#include "ipfs/exporter.hpp"
#include "ipfs/gateway.hpp"
#include "ipfs/importer.hpp"
#include "ipfs/kubo_client.hpp"
#include "ipfs/local_content_store.hpp"
#include "ipfs/sha256.hpp"
#include "net_support.hpp"
#include "support/error_code.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DOSSIER_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(DOSSIER_TEST_ASAN)
/// AddressSanitizer keeps up to 256 MB of freed memory in quarantine, which would hide what the
/// bounded-memory test measures; a small quarantine keeps RSS close to the real working set.
extern "C" const char* __asan_default_options() { return "quarantine_size_mb=4:thread_local_quarantine_size_kb=64"; }
#endif

using namespace dossier;
using namespace dossier::ipfs;
using nettest::generated;
using nettest::same;
using nettest::slurp;
using json = nlohmann::json;
using nettest::HttpResult;

namespace {

std::string js_cid(const std::string& path) {
    const std::string out = test::run_ok({"node", nettest::script("import.mjs"), "262144", "174", path});
    return out.substr(0, out.find(' '));
}

class GatewayTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = std::make_unique<test::TempDir>();
        store_ = std::make_unique<LocalContentStore>(dir_->path() + "/repo");
        gateway_ = std::make_unique<Gateway>(*store_);
        gateway_->start();
    }
    static void TearDownTestSuite() {
        gateway_.reset();
        store_.reset();
        dir_.reset();
    }

    static std::string url(const std::string& path) { return gateway_->url() + path; }

    /// Adds `data` straight into the store (not through HTTP).
    static Cid add_local(const std::string& data, bool pin = true) {
        auto src = source_from_bytes(as_bytes(data));
        AddOptions o;
        o.pin = pin;
        return store_->add(*src, o).root;
    }

    /// POST /api/v0/add with one file part read from `path`.
    static HttpResult add_http(const std::string& path, const std::string& query, const std::string& filename = "f.bin") {
        nettest::Request r;
        r.method = "POST";
        r.url = url("/api/v0/add" + query);
        r.multipart.push_back({"file", filename, path, ""});
        return nettest::http(r);
    }

    static std::unique_ptr<test::TempDir> dir_;
    static std::unique_ptr<LocalContentStore> store_;
    static std::unique_ptr<Gateway> gateway_;
    test::TempDir tmp_;
};
std::unique_ptr<test::TempDir> GatewayTest::dir_;
std::unique_ptr<LocalContentStore> GatewayTest::store_;
std::unique_ptr<Gateway> GatewayTest::gateway_;

void expect_gateway_error(const HttpResult& r, long status) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json");
    const json j = json::parse(r.body);
    EXPECT_EQ(j["status"], status);
    EXPECT_FALSE(j["error"].get<std::string>().empty());
}

/// Kubo's error shape; returns the Message.
std::string expect_rpc_error(const HttpResult& r, long status) {
    EXPECT_EQ(r.status, status) << r.body;
    const json j = json::parse(r.body);
    EXPECT_EQ(j["Type"], "error");
    EXPECT_EQ(j["Code"], status == 400 ? 1 : 0);
    return j["Message"].get<std::string>();
}

}  // namespace

TEST_F(GatewayTest, BindsLoopbackOnAnEphemeralPort) {
    EXPECT_GT(gateway_->port(), 0);
    EXPECT_EQ(gateway_->url(), "http://127.0.0.1:" + std::to_string(gateway_->port()));
    // The same port cannot be taken twice.
    GatewayOptions o;
    o.port = gateway_->port();
    Gateway second(*store_, o);
    test::expect_code([&] { second.start(); }, ErrorCode::io);
}

TEST_F(GatewayTest, MultipartAddGivesTheJsImportersCid) {
    for (const std::uint64_t size : {0ull, 1ull, 262144ull, 262145ull, 5'000'000ull}) {
        const std::string path = tmp_.path() + "/in" + std::to_string(size);
        testdata::write_file(path, size + 3, size);
        const HttpResult r = add_http(path, "?cid-version=1&raw-leaves=true&chunker=size-262144&pin=true&quieter=true", "in.bin");
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.header("content-type"), "application/json");
        ASSERT_EQ(std::count(r.body.begin(), r.body.end(), '\n'), 1) << r.body;
        const json j = json::parse(r.body);
        EXPECT_EQ(j["Name"], "in.bin");
        EXPECT_EQ(j["Hash"], js_cid(path)) << size;
        const Cid root = Cid::parse(j["Hash"].get<std::string>());
        const auto pins = store_->pins();
        EXPECT_NE(std::find(pins.begin(), pins.end(), root), pins.end());
        // Size is the DAG's size, a string as in Kubo.
        MemoryBlockStore m;
        std::ifstream in(path, std::ios::binary);
        auto src = source_from_istream(in);
        EXPECT_EQ(j["Size"], std::to_string(import_file(*src, m).dag_size));
    }
}

TEST_F(GatewayTest, AddFollowsKubosDefaultsAndOptions) {
    const std::string path = tmp_.path() + "/d";
    testdata::write_file(path, 42, 700'000);
    // No options: Kubo's defaults, CIDv0 with dag-pb leaves.
    HttpResult r = add_http(path, "?pin=false");
    ASSERT_EQ(r.status, 200) << r.body;
    std::string cid = json::parse(r.body)["Hash"];
    EXPECT_TRUE(cid.starts_with("Qm")) << cid;
    {
        MemoryBlockStore m;
        std::ifstream in(path, std::ios::binary);
        auto src = source_from_istream(in);
        EXPECT_EQ(cid, import_file(*src, m, ImportProfile::custom(262144, 174, false, 0)).root.to_string());
    }
    // The 2025 profile's parameters.
    r = add_http(path, "?cid-version=1&chunker=size-1048576&max-file-links=1024&pin=false");
    ASSERT_EQ(r.status, 200);
    cid = json::parse(r.body)["Hash"];
    EXPECT_EQ(cid, test::run_ok({"node", nettest::script("import.mjs"), "--profile", "unixfs-v1-2025", path}).substr(0, cid.size()));
    // only-hash stores nothing.
    const std::string other = tmp_.path() + "/o";
    testdata::write_file(other, 43, 300'000);
    r = add_http(other, "?cid-version=1&only-hash=true");
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(store_->has(Cid::parse(json::parse(r.body)["Hash"].get<std::string>())));
    // Two files in one request: one line each (without quieter).
    nettest::Request two;
    two.method = "POST";
    two.url = url("/api/v0/add?cid-version=1");
    two.multipart.push_back({"file", "a.txt", "", "first file"});
    two.multipart.push_back({"file", "b.txt", "", "second file"});
    r = nettest::http(two);
    ASSERT_EQ(r.status, 200) << r.body;
    std::istringstream lines(r.body);
    std::string a, b;
    std::getline(lines, a);
    std::getline(lines, b);
    EXPECT_EQ(json::parse(a)["Name"], "a.txt");
    EXPECT_EQ(json::parse(a)["Hash"], Cid::raw_of(as_bytes("first file")).to_string());
    EXPECT_EQ(json::parse(b)["Hash"], Cid::raw_of(as_bytes("second file")).to_string());
    // Unsupported options are refused, not ignored.
    for (const std::string q : {"?chunker=rabin-1-2-3", "?trickle=true", "?hash=blake2b-256", "?cid-version=2",
                                "?wrap-with-directory=true", "?pin=maybe"}) {
        r = add_http(other, q);
        EXPECT_NE(expect_rpc_error(r, 400), "") << q;
    }
}

TEST_F(GatewayTest, MalformedUploadsAre400) {
    // Not multipart at all.
    nettest::Request r;
    r.method = "POST";
    r.url = url("/api/v0/add");
    r.body = "just bytes";
    r.content_type = "application/octet-stream";
    expect_rpc_error(nettest::http(r), 400);
    // A multipart body that breaks off mid-part: nothing may be pinned from it.
    const auto pins_before = store_->pins();
    const std::string truncated = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t\"\r\n"
                                  "Content-Type: application/octet-stream\r\n\r\n" + generated(117, 600'000);
    r.body = truncated;
    r.content_type = "multipart/form-data; boundary=XyZ";
    EXPECT_NE(expect_rpc_error(nettest::http(r), 400).find("multipart"), std::string::npos);
    // Garbage where the part headers should be.
    r.body = "--XyZ\r\nno headers at all and never a blank line";
    expect_rpc_error(nettest::http(r), 400);
    // A multipart content type without a boundary.
    r.content_type = "multipart/form-data";
    EXPECT_EQ(nettest::http(r).status, 400);
    EXPECT_EQ(store_->pins(), pins_before);
    // A directory part.
    nettest::Request d;
    d.method = "POST";
    d.url = url("/api/v0/add");
    d.body = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dir\"\r\nContent-Type: application/x-directory\r\n\r\n\r\n--B--\r\n";
    d.content_type = "multipart/form-data; boundary=B";
    EXPECT_NE(expect_rpc_error(nettest::http(d), 400).find("director"), std::string::npos);
    // The server is still fine.
    EXPECT_EQ(nettest::post(url("/api/v0/version")).status, 200);
}

TEST_F(GatewayTest, RawBlocks) {
    const std::string data = generated(101, 1'000'000);
    const Cid root = add_local(data);
    for (const auto& [path, headers] :
         std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"/ipfs/" + root.to_string(), {"Accept: application/vnd.ipld.raw"}},
             {"/ipfs/" + root.to_string() + "?format=raw", {}},
             {"/ipfs/" + root.to_string(), {"Accept: text/html, application/vnd.ipld.raw;q=0.9"}}}) {
        const HttpResult r = nettest::get(url(path), headers);
        ASSERT_EQ(r.status, 200) << path;
        EXPECT_EQ(r.header("content-type"), "application/vnd.ipld.raw");
        EXPECT_TRUE(root.hash.matches(as_bytes(r.body)));  // the response hashes to the CID
        EXPECT_EQ(dagpb::decode(as_bytes(r.body)).links.size(), 4u);
    }
    // A leaf, asked for by its raw CID.
    const auto links = dagpb::decode(store_->blocks().get_required(root)).links;
    const HttpResult leaf = nettest::get(url("/ipfs/" + links[1].hash.to_string() + "?format=raw"));
    ASSERT_EQ(leaf.status, 200);
    EXPECT_TRUE(same(leaf.body, data.substr(262144, 262144)));
    // HEAD: headers, no body.
    nettest::Request h;
    h.method = "HEAD";
    h.url = url("/ipfs/" + root.to_string() + "?format=raw");
    const HttpResult head = nettest::http(h);
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.body, "");
    EXPECT_EQ(head.header("content-type"), "application/vnd.ipld.raw");
}

TEST_F(GatewayTest, CarResponsesVerifyInDossierAndInTheJsLibrary) {
    const std::string data = generated(103, 3'000'000);
    const Cid root = add_local(data);
    for (const auto& [path, headers] : std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"/ipfs/" + root.to_string() + "?format=car", {}},
             {"/ipfs/" + root.to_string(), {"Accept: application/vnd.ipld.car; version=1"}}}) {
        const std::string file = tmp_.path() + "/resp.car";
        nettest::Request r;
        r.url = url(path);
        r.headers = headers;
        r.save_to = file;
        const HttpResult resp = nettest::http(r);
        ASSERT_EQ(resp.status, 200);
        EXPECT_EQ(resp.header("content-type"), "application/vnd.ipld.car; version=1");
        // Dossier: every block verified on the way in, and the file reassembles.
        MemoryBlockStore m;
        std::ifstream in(file, std::ios::binary);
        const car::ReadResult rr = car::read(in, m);
        EXPECT_EQ(rr.roots, std::vector<Cid>{root});
        EXPECT_EQ(rr.blocks, 13u);  // 12 leaves and the root
        auto f = open_file(m, root);
        EXPECT_TRUE(same(std::string(as_chars(read_all(*f))), data));
        // @ipld/car re-hashes every block and the JS exporter reassembles the file.
        const std::string js = test::run_ok({"node", nettest::script("car_read.mjs"), file});
        EXPECT_EQ(js, "roots=" + root.to_string() + " blocks=13 bytes=3000000 sha256=" + to_hex_raw(sha256(as_bytes(data))));
    }
    // CAR v2 is not offered: 406.
    expect_gateway_error(nettest::get(url("/ipfs/" + root.to_string()), {"Accept: application/vnd.ipld.car; version=2"}), 406);
}

TEST_F(GatewayTest, FileBytesWithRanges) {
    const std::string data = generated(105, 2'000'000);
    const Cid root = add_local(data);
    const std::string u = url("/ipfs/" + root.to_string());
    HttpResult r = nettest::get(u);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(same(r.body, data));
    EXPECT_EQ(r.header("accept-ranges"), "bytes");
    EXPECT_EQ(r.header("content-length"), "2000000");
    r = nettest::get(u, {"Accept: */*"});
    EXPECT_TRUE(same(r.body, data));

    r = nettest::get(u, {"Range: bytes=262000-262299"});
    EXPECT_EQ(r.status, 206);
    EXPECT_EQ(r.header("content-range"), "bytes 262000-262299/2000000");
    EXPECT_TRUE(same(r.body, data.substr(262000, 300)));
    r = nettest::get(u, {"Range: bytes=-10"});
    EXPECT_EQ(r.status, 206);
    EXPECT_TRUE(same(r.body, data.substr(1'999'990)));
    r = nettest::get(u, {"Range: bytes=1999999-"});
    EXPECT_EQ(r.status, 206);
    EXPECT_TRUE(same(r.body, data.substr(1'999'999)));
    r = nettest::get(u, {"Range: bytes=2000000-"});
    expect_gateway_error(r, 416);
    EXPECT_EQ(r.header("content-range"), "bytes */2000000");
    // Several ranges: the whole file (allowed by RFC 9110).
    r = nettest::get(u, {"Range: bytes=0-1,5-6"});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body.size(), data.size());
    // HEAD of a file: its length, no body.
    nettest::Request h;
    h.method = "HEAD";
    h.url = u;
    const HttpResult head = nettest::http(h);
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("content-length"), "2000000");
    EXPECT_EQ(head.body, "");
}

TEST_F(GatewayTest, GatewayErrorStatuses) {
    const Cid root = add_local("a small file");
    expect_gateway_error(nettest::get(url("/ipfs/not-a-cid")), 400);
    expect_gateway_error(nettest::get(url("/ipfs/" + root.to_string() + "/sub/path")), 400);
    expect_gateway_error(nettest::get(url("/ipfs/" + root.to_string() + "?format=tar")), 400);
    const Cid absent = Cid::raw_of(as_bytes("not in the store"));
    expect_gateway_error(nettest::get(url("/ipfs/" + absent.to_string())), 404);
    expect_gateway_error(nettest::get(url("/ipfs/" + absent.to_string() + "?format=raw")), 404);
    expect_gateway_error(nettest::get(url("/ipfs/" + absent.to_string() + "?format=car")), 404);
    expect_gateway_error(nettest::get(url("/ipfs/" + root.to_string()), {"Accept: text/html"}), 406);
    for (const std::string method : {"POST", "PUT", "DELETE"}) {
        nettest::Request r;
        r.method = method;
        r.url = url("/ipfs/" + root.to_string());
        if (method != "POST") r.body = "x";
        const HttpResult res = nettest::http(r);
        expect_gateway_error(res, 405);
        EXPECT_EQ(res.header("allow"), "GET, HEAD");
    }
    expect_gateway_error(nettest::get(url("/nowhere")), 404);
}

TEST_F(GatewayTest, CorruptStoreIs500) {
    const std::string data = "bytes that will rot on disk";
    const Cid root = add_local(data);
    const auto path = store_->blocks().block_path(root.hash);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << "rotten bytes";
    expect_gateway_error(nettest::get(url("/ipfs/" + root.to_string())), 500);
    expect_gateway_error(nettest::get(url("/ipfs/" + root.to_string() + "?format=raw")), 500);
    EXPECT_NE(expect_rpc_error(nettest::post(url("/api/v0/block/get?arg=" + root.to_string())), 500).find("corrupt"),
              std::string::npos);
    EXPECT_NE(expect_rpc_error(nettest::post(url("/api/v0/cat?arg=" + root.to_string())), 500).find("corrupt"),
              std::string::npos);
    // A corrupt leaf deep in a file is found mid-stream: the response is cut short, never wrong.
    const std::string big = generated(107, 1'000'000);
    const Cid big_root = add_local(big);
    const auto leaf = dagpb::decode(store_->blocks().get_required(big_root)).links[2].hash;
    std::ofstream(store_->blocks().block_path(leaf.hash), std::ios::binary | std::ios::trunc) << std::string(262144, 'x');
    EXPECT_THROW((void)nettest::get(url("/ipfs/" + big_root.to_string())), std::runtime_error);
    EXPECT_THROW((void)nettest::post(url("/api/v0/cat?arg=" + big_root.to_string())), std::runtime_error);
}

TEST_F(GatewayTest, RpcReadCommands) {
    const std::string data = generated(109, 900'000);
    const Cid root = add_local(data);
    HttpResult r = nettest::post(url("/api/v0/cat?arg=" + root.to_string()));
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(same(r.body, data));
    EXPECT_EQ(r.header("x-stream-output"), "1");
    r = nettest::post(url("/api/v0/cat?arg=/ipfs/" + root.to_string() + "&offset=262100&length=100"));
    EXPECT_TRUE(same(r.body, data.substr(262100, 100)));
    r = nettest::post(url("/api/v0/cat?arg=" + root.to_string() + "&offset=899999"));
    EXPECT_TRUE(same(r.body, data.substr(899999)));
    r = nettest::post(url("/api/v0/cat?arg=" + root.to_string() + "&offset=5000000"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "");

    r = nettest::post(url("/api/v0/block/get?arg=" + root.to_string()));
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(root.hash.matches(as_bytes(r.body)));
    r = nettest::post(url("/api/v0/block/stat?arg=" + root.to_string()));
    EXPECT_EQ(json::parse(r.body)["Size"], store_->blocks().get_required(root).size());

    r = nettest::post(url("/api/v0/version"));
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(json::parse(r.body)["Version"].get<std::string>().empty());

    // Errors in Kubo's shape.
    EXPECT_NE(expect_rpc_error(nettest::post(url("/api/v0/cat")), 400).find("required"), std::string::npos);
    expect_rpc_error(nettest::post(url("/api/v0/cat?arg=zzz")), 400);
    expect_rpc_error(nettest::post(url("/api/v0/cat?arg=" + root.to_string() + "&offset=-1")), 400);
    const Cid absent = Cid::raw_of(as_bytes("absent"));
    EXPECT_NE(expect_rpc_error(nettest::post(url("/api/v0/cat?arg=" + absent.to_string())), 500).find("could not find"),
              std::string::npos);
    expect_rpc_error(nettest::post(url("/api/v0/block/get?arg=" + absent.to_string())), 500);
    expect_rpc_error(nettest::post(url("/api/v0/no/such/command")), 404);
}

TEST_F(GatewayTest, RpcIsPostOnly) {
    for (const std::string cmd : {"version", "cat?arg=x", "add", "pin/ls", "block/get"}) {
        const HttpResult r = nettest::get(url("/api/v0/" + cmd));
        expect_rpc_error(r, 405);
        EXPECT_EQ(r.header("allow"), "POST");
    }
    nettest::Request put;
    put.method = "PUT";
    put.url = url("/api/v0/version");
    put.body = "x";
    expect_rpc_error(nettest::http(put), 405);
}

TEST_F(GatewayTest, RpcRefusesBrowsersAndRebinding) {
    // A web page's form POST carries its Origin; a DNS-rebinding page sends its own host name.
    HttpResult r;
    nettest::Request q;
    q.method = "POST";
    q.url = url("/api/v0/pin/ls");
    q.headers = {"Origin: http://evil.example"};
    r = nettest::http(q);
    EXPECT_NE(expect_rpc_error(r, 403).find("origin"), std::string::npos);
    q.headers = {"Host: evil.example:" + std::to_string(gateway_->port())};
    r = nettest::http(q);
    EXPECT_NE(expect_rpc_error(r, 403).find("loopback"), std::string::npos);
    // Uploads too, without reading their body.
    nettest::Request up;
    up.method = "POST";
    up.url = url("/api/v0/add");
    up.headers = {"Origin: null"};
    up.multipart.push_back({"file", "x", "", generated(119, 100'000)});
    expect_rpc_error(nettest::http(up), 403);
    // Loopback names and no Origin (curl, the Kubo client) are fine; so is an allowed origin.
    for (const std::string host : {"localhost", "127.0.0.1", "[::1]"}) {
        q.headers = {"Host: " + host + ":" + std::to_string(gateway_->port())};
        EXPECT_EQ(nettest::http(q).status, 200) << host;
    }
    GatewayOptions o;
    o.allowed_origins = {"http://127.0.0.1:5173"};
    Gateway g(*store_, o);
    g.start();
    q.url = g.url() + "/api/v0/pin/ls";
    q.headers = {"Origin: http://127.0.0.1:5173"};
    EXPECT_EQ(nettest::http(q).status, 200);
    q.headers = {"Origin: http://127.0.0.1:5174"};
    EXPECT_EQ(nettest::http(q).status, 403);
}

TEST_F(GatewayTest, RpcPins) {
    const Cid root = add_local(generated(111, 500'000), false);
    auto listed = [&] {
        const json j = json::parse(nettest::post(url("/api/v0/pin/ls")).body);
        return j["Keys"].contains(root.to_string());
    };
    EXPECT_FALSE(listed());
    HttpResult r = nettest::post(url("/api/v0/pin/add?arg=" + root.to_string()));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body), json::parse(R"({"Pins":[")" + root.to_string() + R"("]})"));
    EXPECT_TRUE(listed());
    r = nettest::post(url("/api/v0/pin/ls?arg=" + root.to_string()));
    EXPECT_EQ(json::parse(r.body)["Keys"][root.to_string()]["Type"], "recursive");
    r = nettest::post(url("/api/v0/pin/rm?arg=" + root.to_string()));
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(json::parse(r.body)["Pins"][0], root.to_string());
    EXPECT_FALSE(listed());
    EXPECT_NE(expect_rpc_error(nettest::post(url("/api/v0/pin/rm?arg=" + root.to_string())), 500).find("not pinned"),
              std::string::npos);
    expect_rpc_error(nettest::post(url("/api/v0/pin/ls?arg=" + root.to_string())), 500);
    expect_rpc_error(nettest::post(url("/api/v0/pin/add?arg=" + Cid::raw_of(as_bytes("nope")).to_string())), 500);
    expect_rpc_error(nettest::post(url("/api/v0/pin/add")), 400);
}

TEST_F(GatewayTest, DagExportAndImport) {
    const std::string path = tmp_.path() + "/js-src";
    testdata::write_file(path, 31, 1'200'000);
    const std::string js_car = tmp_.path() + "/js.car";
    const std::string js_root = test::run_ok({"node", nettest::script("car_write.mjs"), "262144", "174", path, js_car});
    nettest::Request r;
    r.method = "POST";
    r.url = url("/api/v0/dag/import");
    r.multipart.push_back({"file", "js.car", js_car, ""});
    HttpResult res = nettest::http(r);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(json::parse(res.body)["Root"]["Cid"]["/"], js_root);
    const Cid root = Cid::parse(js_root);
    const auto pins = store_->pins();
    EXPECT_NE(std::find(pins.begin(), pins.end(), root), pins.end());
    // dag/export gives back the JS library's CAR byte for byte.
    res = nettest::post(url("/api/v0/dag/export?arg=" + js_root));
    ASSERT_EQ(res.status, 200);
    EXPECT_TRUE(same(res.body, slurp(js_car)));
    // A damaged CAR is a bad argument.
    std::string damaged = slurp(js_car);
    damaged[damaged.size() - 5] ^= 1;
    r.multipart = {{"file", "bad.car", "", damaged}};
    expect_rpc_error(nettest::http(r), 400);
}

TEST_F(GatewayTest, KuboClientRoundTrip) {
    KuboClient c(gateway_->url());
    EXPECT_EQ(c.version(), "0.1.0");
    const std::string data = generated(113, 3'100'000);
    auto src = source_from_bytes(as_bytes(data));
    AddOptions o;
    o.pin = false;
    const ImportResult r = c.add(*src, o);
    EXPECT_EQ(r.root, add_local(data, false));  // same CID as the embedded store computes
    auto out = c.cat(r.root);
    EXPECT_TRUE(same(std::string(as_chars(read_all(*out))), data));
    auto part = c.cat(r.root, 1'000'000, 5);
    EXPECT_TRUE(same(std::string(as_chars(read_all(*part))), data.substr(1'000'000, 5)));
    {
        // A stream dropped after one byte ends its transfer promptly.
        const auto t0 = std::chrono::steady_clock::now();
        auto s = c.cat(r.root);
        Bytes one(1);
        EXPECT_EQ(s->read(one), 1u);
        EXPECT_EQ(one[0], static_cast<std::uint8_t>(data[0]));
        s.reset();
        EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
    }
    EXPECT_EQ(c.size(r.root), data.size());
    EXPECT_TRUE(c.has(r.root));
    EXPECT_FALSE(c.has(Cid::raw_of(as_bytes("never"))));
    c.pin(r.root);
    auto pins = c.pins();
    EXPECT_NE(std::find(pins.begin(), pins.end(), r.root), pins.end());
    c.unpin(r.root);
    pins = c.pins();
    EXPECT_EQ(std::find(pins.begin(), pins.end(), r.root), pins.end());
    EXPECT_THROW(c.unpin(r.root), NodeApiError);
    EXPECT_THROW(c.pin(Cid::raw_of(as_bytes("never"))), BlockNotFoundError);

    std::ostringstream car_out;
    c.export_car(r.root, car_out);
    std::ostringstream expected;
    store_->export_car(r.root, expected);
    EXPECT_TRUE(same(car_out.str(), expected.str()));
    // Import into the gateway's store through the client.
    MemoryBlockStore elsewhere;
    const std::string other = generated(115, 800'000);
    auto osrc = source_from_bytes(as_bytes(other));
    const Cid other_root = import_file(*osrc, elsewhere).root;
    std::ostringstream other_car;
    (void)car::write(elsewhere, other_root, other_car);
    std::istringstream in(other_car.str());
    EXPECT_EQ(c.import_car(in), std::vector<Cid>{other_root});
    auto back = store_->cat(other_root);
    EXPECT_TRUE(same(std::string(as_chars(read_all(*back))), other));
}

TEST_F(GatewayTest, AddManyStoresSmallFilesTogetherAndStreamsBigOnes) {
    // An import sends its sealed records together: the client puts the small ones in one request,
    // the gateway stores them with one commit; a big one in the middle is streamed on its own.
    KuboClient c(gateway_->url());
    std::vector<std::string> data;
    for (std::uint64_t i = 0; i < 40; ++i) data.push_back(generated(200 + i, i == 0 ? 0 : i * 9'000 + 1));
    data.push_back(generated(300, 1'048'576));      // the largest that is held back
    data.push_back(generated(301, 1'048'577));      // one byte more: streamed
    data.push_back(generated(302, 3'000'000));      // and a big one
    data.push_back(generated(303, 17));
    std::vector<std::unique_ptr<ByteSource>> sources;
    std::vector<ByteSource*> inputs;
    for (const auto& d : data) {
        sources.push_back(source_from_bytes(as_bytes(d)));
        inputs.push_back(sources.back().get());
    }
    const std::vector<ImportResult> results = c.add_many(inputs);
    ASSERT_EQ(results.size(), data.size());
    const auto pins = store_->pins();
    for (std::size_t i = 0; i < data.size(); ++i) {
        EXPECT_EQ(results[i].root, add_local(data[i], false)) << i;  // the CID the store computes itself
        EXPECT_EQ(results[i].file_size, data[i].size()) << i;
        EXPECT_NE(std::find(pins.begin(), pins.end(), results[i].root), pins.end()) << i;
        auto back = c.cat(results[i].root);
        EXPECT_TRUE(same(std::string(as_chars(read_all(*back))), data[i])) << i;
    }
    // The answer of a request of many parts names each part, in the body's order; with quieter
    // only the last.
    nettest::Request many;
    many.method = "POST";
    many.url = url("/api/v0/add?cid-version=1&pin=false");
    const std::string big = tmp_.path() + "/big";
    testdata::write_file(big, 77, 2'000'000);
    many.multipart.push_back({"file", "a.txt", "", "small first"});
    many.multipart.push_back({"file", "big.bin", big, ""});
    many.multipart.push_back({"file", "c.txt", "", "small last"});
    HttpResult r = nettest::http(many);
    ASSERT_EQ(r.status, 200) << r.body;
    std::istringstream lines(r.body);
    std::vector<json> got;
    for (std::string line; std::getline(lines, line);) got.push_back(json::parse(line));
    ASSERT_EQ(got.size(), 3u) << r.body;
    EXPECT_EQ(got[0]["Name"], "a.txt");
    EXPECT_EQ(got[0]["Hash"], Cid::raw_of(as_bytes("small first")).to_string());
    EXPECT_EQ(got[1]["Name"], "big.bin");
    EXPECT_EQ(got[1]["Hash"], js_cid(big));
    EXPECT_EQ(got[2]["Name"], "c.txt");
    EXPECT_EQ(got[2]["Hash"], Cid::raw_of(as_bytes("small last")).to_string());
    many.url = url("/api/v0/add?cid-version=1&pin=false&quieter=true");
    r = nettest::http(many);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body)["Name"], "c.txt") << r.body;
}

TEST_F(GatewayTest, ConcurrentClients) {
    // Several clients adding, reading and pinning at once, each on its own connection.
    std::vector<std::thread> threads;
    std::atomic<int> good{0};
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&, t] {
            try {
                KuboClient c(gateway_->url());
                for (int round = 0; round < 3; ++round) {
                    const std::string data = generated(201 + 2 * static_cast<std::uint64_t>(t * 3 + round), 700'000);
                    auto src = source_from_bytes(as_bytes(data));
                    const Cid root = c.add(*src).root;
                    auto back = c.cat(root);
                    const HttpResult raw = nettest::get(url("/ipfs/" + root.to_string()));
                    if (std::string(as_chars(read_all(*back))) == data && raw.body == data && c.has(root)) ++good;
                }
            } catch (const std::exception& e) {
                ADD_FAILURE() << e.what();
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(good.load(), 18);
}

TEST_F(GatewayTest, LargeFileStreamsBothWaysInBoundedMemory) {
    constexpr std::uint64_t kSize = 100'000'000;
    KuboClient c(gateway_->url());
    nettest::reset_peak_rss();
    const long before = nettest::rss_kib("VmRSS:");
    testdata::Generator input(1234, kSize);
    const auto t0 = std::chrono::steady_clock::now();
    const ImportResult r = c.add(input);
    const auto t1 = std::chrono::steady_clock::now();
    EXPECT_EQ(r.file_size, kSize);
    // Read it back through the gateway's cat (streamed) and compare on the fly.
    testdata::Generator expect(1234, kSize);
    std::uint64_t pos = 0;
    bool equal = true;
    Bytes want(1 << 20);
    nettest::Request req;
    req.method = "POST";
    req.url = url("/api/v0/cat?arg=" + r.root.to_string());
    req.save_to = tmp_.path() + "/cat.out";  // the test's own copy goes to disk, not memory
    const HttpResult res = nettest::http(req);
    const auto t2 = std::chrono::steady_clock::now();
    EXPECT_EQ(res.status, 200);
    {
        std::ifstream in(req.save_to, std::ios::binary);
        std::string got(1 << 20, '\0');
        for (;;) {
            in.read(got.data(), static_cast<std::streamsize>(got.size()));
            const auto n = static_cast<std::size_t>(in.gcount());
            if (n == 0) break;
            want.resize(n);
            (void)read_full(expect, want);
            equal = equal && std::memcmp(got.data(), want.data(), n) == 0;
            pos += n;
        }
    }
    EXPECT_EQ(pos, kSize);
    EXPECT_TRUE(equal);
    // And through the client's verified cat.
    auto verified = c.cat(r.root);
    std::uint64_t total = 0;
    for (Bytes buf(1 << 20);;) {
        const std::size_t n = verified->read(buf);
        if (n == 0) break;
        total += n;
    }
    const auto t3 = std::chrono::steady_clock::now();
    EXPECT_EQ(total, kSize);
    const long peak = nettest::rss_kib("VmHWM:");
    EXPECT_LT(peak - before, 64 * 1024) << "peak RSS grew by " << (peak - before) << " KiB";
    auto mbps = [&](auto a, auto b) {
        return static_cast<double>(kSize) / 1e6 / std::chrono::duration<double>(b - a).count();
    };
    std::printf("100 MB: add %.0f MB/s, cat %.0f MB/s, verified cat %.0f MB/s, peak RSS +%ld KiB\n",
                mbps(t0, t1), mbps(t1, t2), mbps(t2, t3), peak - before);
}

TEST(GatewayRun, RunGatewayServesUntilStopped) {
    test::TempDir dir;
    LocalContentStore store(dir.path());
    std::stop_source stop;
    std::atomic<int> port{0};
    std::thread server([&] { run_gateway(store, store.blocks(), {}, stop.get_token(), [&](int p) { port = p; }); });
    while (port == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const std::string u = "http://127.0.0.1:" + std::to_string(port.load());
    EXPECT_EQ(nettest::post(u + "/api/v0/version").status, 200);
    stop.request_stop();
    server.join();
    EXPECT_THROW((void)nettest::post(u + "/api/v0/version"), std::runtime_error);
}
