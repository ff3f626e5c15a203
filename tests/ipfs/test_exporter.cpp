// The exporter: whole and ranged reads reproduce the input; ranged reads fetch only the blocks they
// need; corrupt and missing blocks are specific errors naming the CID, raised before any byte of
// the bad block is returned.
#include <gtest/gtest.h>

#include <random>

#include "data_gen.hpp"
#include "ipfs/dagpb.hpp"
#include "ipfs/exporter.hpp"
#include "ipfs/importer.hpp"
#include "ipfs/unixfs.hpp"

using namespace dossier;
using namespace dossier::ipfs;

namespace {

/// Counts get() calls, to check that ranged reads skip subtrees.
class CountingStore final : public BlockStore {
public:
    bool has(const Cid& c) override { return inner.has(c); }
    std::optional<Bytes> get(const Cid& c) override {
        ++gets;
        return inner.get(c);
    }
    void put(const Cid& c, ByteView b) override { inner.put(c, b); }
    void remove(const Cid& c) override { inner.remove(c); }
    void for_each(const std::function<void(const Multihash&)>& fn) override { inner.for_each(fn); }
    MemoryBlockStore inner;
    int gets = 0;
};

Bytes expected(std::uint64_t seed, std::uint64_t size, std::uint64_t off, std::uint64_t len) {
    testdata::Generator g(seed, size);
    Bytes out;
    for (std::uint64_t i = off; i < std::min(size, off + len); ++i) out.push_back(g.at(i));
    return out;
}

}  // namespace

TEST(Exporter, WholeAndRangedReadsReproduceTheInput) {
    const ImportProfile p = ImportProfile::custom(1024, 3);
    for (std::uint64_t size : {0ull, 1ull, 1024ull, 1025ull, 5000ull, 100000ull}) {
        MemoryBlockStore store;
        testdata::Generator g(size, size);
        const Cid root = import_file(g, store, p).root;
        EXPECT_EQ(file_size(store, root), size);
        auto r = open_file(store, root);
        EXPECT_EQ(read_all(*r), expected(size, size, 0, size)) << size;
        std::mt19937_64 rng(size);
        for (int i = 0; i < 30; ++i) {
            const std::uint64_t off = size ? rng() % (size + 10) : rng() % 3;
            const std::uint64_t len = rng() % 3000;
            auto rr = open_file(store, root, off, len);
            EXPECT_EQ(read_all(*rr), expected(size, size, off, len)) << size << " " << off << " " << len;
        }
        auto tail = open_file(store, root, size / 2);
        EXPECT_EQ(read_all(*tail), expected(size, size, size / 2, size));
    }
}

TEST(Exporter, RangedReadFetchesOnlyTheBlocksOnItsPath) {
    CountingStore store;
    const ImportProfile p = ImportProfile::custom(1024, 4);
    testdata::Generator g(1, 64 * 1024);  // 64 leaves: 3 levels (16 + 4 + 1 nodes)
    const Cid root = import_file(g, store, p).root;
    store.gets = 0;
    auto r = open_file(store, root, 40 * 1024 + 10, 20);
    EXPECT_EQ(read_all(*r), expected(1, 64 * 1024, 40 * 1024 + 10, 20));
    EXPECT_EQ(store.gets, 4);  // root, one level-2 node, one level-1 node, one leaf
}

TEST(Exporter, CorruptBlockIsNamedAndNoBytesOfItAreReturned) {
    MemoryBlockStore store;
    const ImportProfile p = ImportProfile::custom(1024, 4);
    testdata::Generator g(2, 4096);
    const Cid root = import_file(g, store, p).root;
    const dagpb::Node node = dagpb::decode(store.get_required(root));
    const Cid third = node.links[2].hash;
    Bytes bad = store.get_required(third);
    bad[100] ^= 1;
    store.corrupt(third, bad);
    auto r = open_file(store, root);
    std::vector<std::uint8_t> buf(4096);
    std::size_t got = 0;
    try {
        for (;;) {
            const std::size_t n = r->read(std::span(buf).subspan(got));
            if (n == 0) break;
            got += n;
        }
        ADD_FAILURE() << "corruption not detected";
    } catch (const CorruptBlockError& e) {
        EXPECT_EQ(e.code(), ErrorCode::tampered);
        EXPECT_EQ(e.cid(), third.to_string());
        EXPECT_NE(std::string(e.what()).find(third.to_string()), std::string::npos);
    }
    EXPECT_EQ(got, 2048u);  // the two good leaves before it, nothing of the bad one
    // A range that avoids the bad block still reads.
    auto ok = open_file(store, root, 3072, 1024);
    EXPECT_EQ(read_all(*ok), expected(2, 4096, 3072, 1024));
}

TEST(Exporter, MissingBlockIsASpecificError) {
    MemoryBlockStore store;
    testdata::Generator g(3, 4096);
    const Cid root = import_file(g, store, ImportProfile::custom(1024, 4)).root;
    const Cid leaf = dagpb::decode(store.get_required(root)).links[1].hash;
    store.remove(leaf);
    auto r = open_file(store, root);
    try {
        (void)read_all(*r);
        ADD_FAILURE();
    } catch (const BlockNotFoundError& e) {
        EXPECT_EQ(e.cid(), leaf.to_string());
    }
    MemoryBlockStore empty;
    EXPECT_THROW((void)open_file(empty, root), BlockNotFoundError);
}

TEST(Exporter, InconsistentSizesAndDirectoriesAreRejected) {
    MemoryBlockStore store;
    // A file node whose blocksizes disagree with its leaf.
    const Bytes leaf{1, 2, 3};
    const Cid leaf_cid = Cid::raw_of(leaf);
    store.put(leaf_cid, leaf);
    unixfs::Data fs;
    fs.type = unixfs::Type::File;
    fs.blocksizes = {4};
    fs.filesize = 4;
    const Bytes block = dagpb::encode(dagpb::Node{{dagpb::Link{leaf_cid, "", 3}}, unixfs::encode(fs)});
    const Cid root = Cid::dag_pb_of(block);
    store.put(root, block);
    auto r = open_file(store, root);
    EXPECT_THROW((void)read_all(*r), UnixFsError);
    unixfs::Data dir;
    dir.type = unixfs::Type::Directory;
    const Bytes dblock = dagpb::encode(dagpb::Node{{}, unixfs::encode(dir)});
    store.put(Cid::dag_pb_of(dblock), dblock);
    EXPECT_THROW((void)open_file(store, Cid::dag_pb_of(dblock)), NotAFileError);
}

TEST(Exporter, ReadsUnixFsLeavesAndCidV0Dags) {
    const ImportProfile p = ImportProfile::custom(1024, 3, false, 0);
    for (std::uint64_t size : {0ull, 5ull, 1024ull, 10000ull}) {
        MemoryBlockStore store;
        testdata::Generator g(size + 1, size);
        const Cid root = import_file(g, store, p).root;
        EXPECT_EQ(root.version, 0);
        EXPECT_EQ(file_size(store, root), size);
        auto r = open_file(store, root, size / 3, size / 2);
        EXPECT_EQ(read_all(*r), expected(size + 1, size, size / 3, size / 2)) << size;
    }
}
