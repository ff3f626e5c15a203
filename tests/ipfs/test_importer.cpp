// The importer against the JS reference importer (ipfs-unixfs-importer 17 with cidVersion 1,
// rawLeaves, fixedSize(chunkSize), balanced({maxChildrenPerNode}), reduceSingleLeafToSelf): the
// root CIDs must be identical for every size class: empty, one byte, around one chunk, around one
// full node of links, deep trees (with tiny chunks), and random sizes.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "data_gen.hpp"
#include "ipfs/exporter.hpp"
#include "ipfs/importer.hpp"
#include "support/process.hpp"

using namespace dossier;
using namespace dossier::ipfs;

namespace {

std::string script() { return test::source_dir() + "/tests/ipfs/js/import.mjs"; }

/// Root CIDs from the JS importer, in the order of `paths`.
std::vector<std::string> js_roots(const std::vector<std::string>& options, const std::vector<std::string>& paths) {
    std::vector<std::string> argv{"node", script()};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.insert(argv.end(), paths.begin(), paths.end());
    std::istringstream in(test::run_ok(argv, {}, std::chrono::minutes(5)));
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) out.push_back(l.substr(0, l.find(' ')));
    return out;
}

/// Imports each size with our importer (hashing only) and with JS, and compares.
void compare(const ImportProfile& profile, const std::vector<std::string>& js_options, const std::vector<std::uint64_t>& sizes) {
    test::TempDir dir;
    std::vector<std::string> paths;
    std::vector<std::string> ours;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        const std::string path = dir.path() + "/f" + std::to_string(i);
        testdata::write_file(path, 1000 + i, sizes[i]);
        paths.push_back(path);
        testdata::Generator g(1000 + i, sizes[i]);
        NullBlockWriter sink;
        const ImportResult r = import_file(g, sink, profile);
        EXPECT_EQ(r.file_size, sizes[i]);
        ours.push_back(r.root.to_string());
    }
    const auto theirs = js_roots(js_options, paths);
    ASSERT_EQ(theirs.size(), sizes.size());
    for (std::size_t i = 0; i < sizes.size(); ++i)
        EXPECT_EQ(ours[i], theirs[i]) << profile.name << " size " << sizes[i];
}

std::vector<std::string> opts(const ImportProfile& p) { return {std::to_string(p.chunk_size), std::to_string(p.max_links)}; }

}  // namespace

TEST(Importer, KuboV1MatchesJsAcrossSizeClasses) {
    const ImportProfile p = ImportProfile::kubo_v1();
    const std::uint64_t c = p.chunk_size;
    const std::uint64_t node = 174 * c;  // one full node of links
    std::vector<std::uint64_t> sizes{0, 1, c - 1, c, c + 1, 2 * c, node - c, node - 1, node, node + 1, node + c};
    std::mt19937_64 rng(42);
    for (int i = 0; i < 20; ++i) sizes.push_back(rng() % (3 * c) + (i % 2 ? rng() % (8 * c) : 0));
    compare(p, opts(p), sizes);
}

TEST(Importer, DeepTreesWithTinyChunksMatchJs) {
    // 3 links per node: 3^5 = 243 chunks is a five-level tree, for a few hundred KiB.
    const ImportProfile p = ImportProfile::custom(1024, 3);
    std::vector<std::uint64_t> sizes{0, 1, 1023, 1024, 1025, 3 * 1024, 3 * 1024 + 1, 9 * 1024, 9 * 1024 + 1,
                                     27 * 1024 - 1, 27 * 1024, 27 * 1024 + 1, 81 * 1024 + 5, 243 * 1024, 243 * 1024 + 1,
                                     729 * 1024 + 1};
    std::mt19937_64 rng(43);
    for (int i = 0; i < 20; ++i) sizes.push_back(rng() % (800 * 1024));
    compare(p, opts(p), sizes);
    const ImportProfile q = ImportProfile::custom(1000, 2);
    compare(q, opts(q), {0, 999, 1000, 1001, 2000, 2001, 4001, 8001, 65537, 100000});
}

TEST(Importer, UnixFsV1_2025MatchesTheJsProfile) {
    const ImportProfile p = ImportProfile::unixfs_v1_2025();
    const std::uint64_t c = p.chunk_size;
    const std::vector<std::uint64_t> sizes{0, 1, c - 1, c, c + 1, 3 * c + 7, 10 * c};
    compare(p, {"--profile", "unixfs-v1-2025"}, sizes);
    compare(p, opts(p), sizes);
}

TEST(Importer, UnixFsLeavesAndCidV0MatchJs) {
    // `ipfs add` without --cid-version=1: dag-pb leaves wrapping the data in UnixFS, CIDv0.
    const std::vector<std::uint64_t> sizes{0, 1, 1023, 1024, 1025, 3 * 1024 + 1, 9 * 1024 + 1, 100000};
    const ImportProfile v0 = ImportProfile::custom(1024, 3, false, 0);
    compare(v0, {"1024", "3", "--cid-version=0", "--raw-leaves=false"}, sizes);
    const ImportProfile v1 = ImportProfile::custom(1024, 3, false, 1);
    compare(v1, {"1024", "3", "--raw-leaves=false"}, sizes);
    const ImportProfile kubo_v0 = ImportProfile::custom(256 * 1024, 174, false, 0);
    compare(kubo_v0, {"262144", "174", "--cid-version=0", "--raw-leaves=false"}, {0, 5, 256 * 1024 + 1, 3000000});
}

TEST(Importer, ReportsProgressAndSizes) {
    const ImportProfile p = ImportProfile::custom(1024, 4);
    testdata::Generator g(5, 10 * 1024 + 3);
    MemoryBlockStore store;
    std::vector<std::uint64_t> progress;
    const ImportResult r = import_file(g, store, p, [&](std::uint64_t done) { progress.push_back(done); });
    ASSERT_EQ(progress.size(), 11u);
    EXPECT_EQ(progress.front(), 1024u);
    EXPECT_EQ(progress.back(), 10u * 1024 + 3);
    EXPECT_EQ(r.file_size, 10u * 1024 + 3);
    // 11 leaves, 3 parents of ≤4, one root: 15 blocks; the DAG size is every stored byte.
    EXPECT_EQ(r.blocks, 15u);
    EXPECT_EQ(store.size(), 15u);
    EXPECT_EQ(r.dag_size, store.total_bytes());
}

TEST(Importer, SingleChunkIsOneRawBlock) {
    const Bytes data{1, 2, 3};
    auto src = source_from_bytes(data);
    MemoryBlockStore store;
    const ImportResult r = import_file(*src, store);
    EXPECT_EQ(r.root, Cid::raw_of(data));
    EXPECT_EQ(store.size(), 1u);
}

TEST(Importer, ReadsFromIstreamFdAndCallbackAlike) {
    test::TempDir dir;
    const std::string path = dir.path() + "/f";
    testdata::write_file(path, 9, 700 * 1024 + 11);
    const ImportProfile p = ImportProfile::custom(4096, 5);
    NullBlockWriter sink;
    testdata::Generator g(9, 700 * 1024 + 11);
    const Cid expected = import_file(g, sink, p).root;
    std::ifstream in(path, std::ios::binary);
    auto s1 = source_from_istream(in);
    EXPECT_EQ(import_file(*s1, sink, p).root, expected);
    FILE* f = std::fopen(path.c_str(), "rb");
    ASSERT_NE(f, nullptr);
    auto s2 = source_from_fd(fileno(f));
    EXPECT_EQ(import_file(*s2, sink, p).root, expected);
    std::fclose(f);
    // A callback that hands out odd-sized pieces.
    testdata::Generator g2(9, 700 * 1024 + 11);
    auto s3 = source_from_callback([&](std::span<std::uint8_t> buf) { return g2.read(buf.first(std::min<std::size_t>(buf.size(), 777))); });
    EXPECT_EQ(import_file(*s3, sink, p).root, expected);
}
