// The embedded blockstore: flatfs layout, verified reads, pins that survive reopening, garbage
// collection, verify() naming every bad block, the one-process lock, and the ContentStore on top.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "data_gen.hpp"
#include "support/process.hpp"
#include "ipfs/dagpb.hpp"
#include "ipfs/exporter.hpp"
#include "ipfs/local_content_store.hpp"

using namespace dossier;
using namespace dossier::ipfs;
namespace fs = std::filesystem;

namespace {

void overwrite(const fs::path& p, const Bytes& b) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

}  // namespace

TEST(FsBlockStore, FlatfsLayoutAndVerifiedReads) {
    test::TempDir dir;
    FsBlockStore store(dir.path());
    const Bytes block = testdata::bytes(1, 1000);
    const Cid cid = Cid::raw_of(block);
    EXPECT_FALSE(store.has(cid));
    EXPECT_EQ(store.get(cid), std::nullopt);
    store.put(cid, block);
    EXPECT_TRUE(store.has(cid));
    EXPECT_TRUE(store.has(Cid::v1(kCodecDagPb, cid.hash)));  // keyed by multihash, like Kubo
    EXPECT_EQ(store.get(cid), block);
    // blocks/<next-to-last two characters of KEY>/<KEY>.data, KEY = base32 upper of the multihash.
    const std::string key = FsBlockStore::key_of(cid.hash);
    EXPECT_EQ(key.substr(0, 3), "CIQ");
    EXPECT_EQ(key.size(), 55u);
    const fs::path p = fs::path(dir.path()) / "blocks" / key.substr(52, 2) / (key + ".data");
    EXPECT_EQ(store.block_path(cid.hash), p);
    EXPECT_TRUE(fs::exists(p));
    std::ifstream sharding(fs::path(dir.path()) / "blocks" / "SHARDING");
    std::string line;
    std::getline(sharding, line);
    EXPECT_EQ(line, "/repo/flatfs/shard/v1/next-to-last/2");
    int n = 0;
    store.for_each([&](const Multihash& mh) {
        EXPECT_EQ(mh, cid.hash);
        ++n;
    });
    EXPECT_EQ(n, 1);
    // Corruption on disk is reported by get() and by verify(), naming the block.
    Bytes bad = block;
    bad[10] ^= 0x40;
    overwrite(p, bad);
    try {
        (void)store.get(cid);
        ADD_FAILURE();
    } catch (const CorruptBlockError& e) {
        EXPECT_EQ(e.cid(), cid.to_string());
    }
    const auto problems = store.verify();
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].path, p);
    EXPECT_NE(problems[0].reason.find(cid.to_string()), std::string::npos);
    store.remove(cid);
    EXPECT_FALSE(store.has(cid));
    EXPECT_TRUE(store.verify().empty());
    EXPECT_THROW(store.put_verified(cid, bad), CorruptBlockError);
}

TEST(FsBlockStore, OnlyOneOpenerAtATime) {
    test::TempDir dir;
    {
        FsBlockStore a(dir.path());
        EXPECT_THROW(FsBlockStore b(dir.path()), IpfsError);
    }
    FsBlockStore c(dir.path());  // released on close
}

TEST(FsBlockStore, StaleTempFilesAreRemovedOnOpen) {
    test::TempDir dir;
    { FsBlockStore s(dir.path()); }
    const fs::path temp = fs::path(dir.path()) / "blocks" / ".temp" / "CIQXYZ.123.0.w";
    overwrite(temp, Bytes{1, 2, 3});
    FsBlockStore s(dir.path());
    EXPECT_FALSE(fs::exists(temp));
    EXPECT_TRUE(s.verify().empty());
}

namespace {

/// `n` distinct raw blocks, stored with one batching writer; their CIDs.
std::vector<Cid> raw_blocks(FsBlockStore& store, std::size_t n, std::uint64_t seed) {
    std::vector<Cid> cids;
    auto w = store.writer();
    for (std::size_t i = 0; i < n; ++i) {
        Bytes b = testdata::bytes(seed + 2 * i, 64);
        cids.push_back(Cid::v1(kCodecRaw, Multihash::of(b)));
        w->put(cids.back(), std::move(b));
    }
    w->commit();
    return cids;
}

std::vector<Cid> sorted(std::vector<Cid> v) {
    std::sort(v.begin(), v.end());
    return v;
}

std::size_t lines_in(const fs::path& p) {
    const std::string text = testdata::slurp(p.string());
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST(FsBlockStore, PinJournalReplaysAndDropsATornAppend) {
    test::TempDir dir;
    const fs::path log = fs::path(dir.path()) / "pins.log";
    std::vector<Cid> c;
    {
        FsBlockStore store(dir.path());
        c = raw_blocks(store, 3, 100);
        store.pin(c[0]);
        store.pin(c[1]);
        store.unpin(c[0]);
        store.pin(c[2]);
        EXPECT_EQ(lines_in(log), 4u);                            // one line per change, appended
        EXPECT_FALSE(fs::exists(fs::path(dir.path()) / "pins"));  // no snapshot rewritten
    }
    const auto good_size = fs::file_size(log);
    {
        FsBlockStore store(dir.path());
        EXPECT_EQ(sorted(store.pins()), sorted({c[1], c[2]}));
    }
    // A crash mid-append: part of a line, then zeros where the file grew but no data landed.
    {
        std::ofstream out(log, std::ios::binary | std::ios::app);
        out << "+" << c[0].to_string().substr(0, 20);
        out.write("\0\0\0\0\0\0\0\0", 8);
    }
    {
        FsBlockStore store(dir.path());
        EXPECT_EQ(sorted(store.pins()), sorted({c[1], c[2]}));
        EXPECT_EQ(fs::file_size(log), good_size);  // the torn tail is cut off
        store.unpin(c[1]);
    }
    FsBlockStore store(dir.path());
    EXPECT_EQ(store.pins(), std::vector<Cid>{c[2]});
}

TEST(FsBlockStore, ACorruptPinJournalIsAnErrorThatReleasesTheStore) {
    test::TempDir dir;
    const fs::path log = fs::path(dir.path()) / "pins.log";
    Cid root;
    {
        FsBlockStore store(dir.path());
        root = raw_blocks(store, 1, 200).front();
        store.pin(root);
    }
    const std::string good = testdata::slurp(log.string());
    std::ofstream(log, std::ios::binary | std::ios::trunc) << "+not-a-cid\n" << good;
    for (int attempt = 0; attempt < 2; ++attempt) {  // the second attempt is not "in use"
        try {
            FsBlockStore store(dir.path());
            FAIL() << "a corrupt pin journal was accepted";
        } catch (const IpfsError& e) {
            EXPECT_EQ(e.code(), ErrorCode::io);
            // The sentence names the damaged file.
            EXPECT_NE(std::string(e.what()).find("pins.log"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("corrupt"), std::string::npos) << e.what();
        }
    }
}

TEST(FsBlockStore, PinJournalIsFoldedIntoTheSnapshot) {
    test::TempDir dir;
    const fs::path log = fs::path(dir.path()) / "pins.log";
    std::vector<Cid> c;
    {
        FsBlockStore store(dir.path());
        c = raw_blocks(store, 1500, 300);
        store.pin(c);  // 1,500 lines >= 1,024 and >= 1,500 pins: folded at once
        EXPECT_EQ(fs::file_size(log), 0u);
        EXPECT_EQ(lines_in(fs::path(dir.path()) / "pins"), 1501u);  // header + one line per pin
        store.unpin(c[7]);
        EXPECT_EQ(lines_in(log), 1u);
    }
    FsBlockStore store(dir.path());
    std::vector<Cid> want = c;
    want.erase(want.begin() + 7);
    EXPECT_EQ(sorted(store.pins()), sorted(want));
}

TEST(LocalContentStore, AddCatPinGcAndReopen) {
    test::TempDir dir;
    const ImportProfile profile = ImportProfile::custom(4096, 4);
    const Bytes a = testdata::bytes(10, 100000);
    const Bytes b = testdata::bytes(11, 50000);
    Cid ra;
    Cid rb;
    {
        LocalContentStore cs(dir.path());
        auto sa = source_from_bytes(a);
        std::uint64_t last = 0;
        ra = cs.add(*sa, AddOptions{profile, [&](std::uint64_t d) { last = d; }, true}).root;
        EXPECT_EQ(last, a.size());
        auto sb = source_from_bytes(b);
        rb = cs.add(*sb, AddOptions{profile, {}, false}).root;
        NullBlockWriter sink;
        auto again = source_from_bytes(a);
        EXPECT_EQ(import_file(*again, sink, profile).root, ra);
        EXPECT_EQ(cs.pins(), std::vector<Cid>{ra});
        EXPECT_TRUE(cs.has(rb));
        EXPECT_EQ(cs.size(ra), a.size());
        auto r = cs.cat(ra, 5000, 10000);
        EXPECT_EQ(read_all(*r), Bytes(a.begin() + 5000, a.begin() + 15000));
    }
    LocalContentStore cs(dir.path());  // pins are persistent
    EXPECT_EQ(cs.pins(), std::vector<Cid>{ra});
    const auto gc = cs.blocks().gc();
    EXPECT_GT(gc.removed_blocks, 0u);
    EXPECT_EQ(gc.kept_blocks, 25u + 7u + 2u + 1u);  // 25 leaves, 7 + 2 parents, root
    EXPECT_FALSE(cs.has(rb));
    auto r = cs.cat(ra);
    EXPECT_EQ(read_all(*r), a);
    cs.unpin(ra);
    EXPECT_THROW(cs.unpin(ra), IpfsError);
    EXPECT_EQ(cs.blocks().gc().removed_blocks, 35u);
    EXPECT_FALSE(cs.has(ra));
    EXPECT_THROW(cs.pin(ra), BlockNotFoundError);
    EXPECT_TRUE(cs.blocks().verify().empty());
}

TEST(LocalContentStore, AddManyIsManyAddsInOneBatch) {
    test::TempDir dir;
    const ImportProfile profile = ImportProfile::custom(4096, 4);
    // Sizes: empty, one block, a tree, and a duplicate of the tree (its blocks stored once).
    const std::vector<Bytes> inputs = {Bytes{}, testdata::bytes(20, 1000), testdata::bytes(21, 70000), testdata::bytes(21, 70000)};
    std::vector<Cid> expected;
    for (const Bytes& b : inputs) {
        NullBlockWriter sink;
        auto s = source_from_bytes(b);
        expected.push_back(import_file(*s, sink, profile).root);
    }
    {
        LocalContentStore cs(dir.path());
        std::vector<std::unique_ptr<ByteSource>> sources;
        std::vector<ByteSource*> ptrs;
        for (const Bytes& b : inputs) {
            sources.push_back(source_from_bytes(b));
            ptrs.push_back(sources.back().get());
        }
        const auto results = cs.add_many(ptrs, AddOptions{profile, {}, true});
        ASSERT_EQ(results.size(), inputs.size());
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            EXPECT_EQ(results[i].root, expected[i]) << i;
            EXPECT_EQ(results[i].file_size, inputs[i].size()) << i;
        }
        EXPECT_TRUE(cs.add_many({}, AddOptions{profile, {}, true}).empty());
        EXPECT_TRUE(std::filesystem::is_empty(std::filesystem::path(dir.path()) / "blocks" / ".temp"));
    }
    LocalContentStore cs(dir.path());  // the blocks and the pins are durable
    std::vector<Cid> pinned = cs.pins();
    std::vector<Cid> want = {expected[0], expected[1], expected[2]};
    std::sort(pinned.begin(), pinned.end());
    std::sort(want.begin(), want.end());
    EXPECT_EQ(pinned, want);
    EXPECT_EQ(cs.blocks().gc().removed_blocks, 0u);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        auto r = cs.cat(expected[i]);
        EXPECT_EQ(read_all(*r), inputs[i]) << i;
    }
    EXPECT_TRUE(cs.blocks().verify().empty());
}

TEST(LocalContentStore, VerifyNamesEveryBadBlock) {
    test::TempDir dir;
    LocalContentStore cs(dir.path());
    const Bytes a = testdata::bytes(12, 40000);
    auto sa = source_from_bytes(a);
    const Cid root = cs.add(*sa, AddOptions{ImportProfile::custom(4096, 4), {}, true}).root;
    std::vector<Cid> leaves;
    walk_dag(cs.blocks(), root, [&](const Cid& c) {
        if (c.codec == kCodecRaw) leaves.push_back(c);
    });
    ASSERT_EQ(leaves.size(), 10u);
    for (std::size_t i : {1u, 4u, 7u}) {
        const fs::path p = cs.blocks().block_path(leaves[i].hash);
        overwrite(p, Bytes{0, 1, 2});
    }
    const auto bad = cs.blocks().verify();
    ASSERT_EQ(bad.size(), 3u);
    for (std::size_t i : {1u, 4u, 7u}) {
        const std::string name = leaves[i].to_string();
        EXPECT_TRUE(std::any_of(bad.begin(), bad.end(), [&](const auto& b) { return b.reason.find(name) != std::string::npos; })) << name;
    }
    auto r = cs.cat(root);
    EXPECT_THROW((void)read_all(*r), CorruptBlockError);

    // Adding the file again repairs it: a truncated block, and one of the right size with a
    // flipped bit, are both replaced by the right bytes (through the batching writer and put()).
    Bytes flipped = *cs.blocks().get(leaves[2]);
    flipped[100] ^= 0x01;
    overwrite(cs.blocks().block_path(leaves[2].hash), flipped);
    ASSERT_EQ(cs.blocks().verify().size(), 4u);
    auto again = source_from_bytes(a);
    EXPECT_EQ(cs.add(*again, AddOptions{ImportProfile::custom(4096, 4), {}, true}).root, root);
    EXPECT_TRUE(cs.blocks().verify().empty());
    auto repaired = cs.cat(root);
    EXPECT_EQ(read_all(*repaired), a);
    overwrite(cs.blocks().block_path(leaves[3].hash), Bytes{9});
    cs.blocks().put(leaves[3], Bytes(a.begin() + 3 * 4096, a.begin() + 4 * 4096));
    EXPECT_TRUE(cs.blocks().verify().empty());
}

TEST(FsBlockStore, AnImportThatFailsLeavesOnlyCompleteBlocksAndNoTempFiles) {
    test::TempDir dir;
    LocalContentStore cs(dir.path());
    testdata::Generator g(13, 1 << 20);
    std::uint64_t served = 0;
    auto failing = source_from_callback([&](std::span<std::uint8_t> buf) -> std::size_t {
        if (served > 600000) throw IpfsError("input device went away");
        const std::size_t n = g.read(buf.first(std::min<std::size_t>(buf.size(), 65536)));
        served += n;
        return n;
    });
    EXPECT_THROW((void)cs.add(*failing, AddOptions{ImportProfile::custom(4096, 8), {}, true}), IpfsError);
    EXPECT_TRUE(cs.pins().empty());
    EXPECT_TRUE(cs.blocks().verify().empty());
    // Removing the failed import's temp files is left off its path (a cancelled import returns at
    // once): the next import removes them before writing.
    auto small = source_from_callback([done = false](std::span<std::uint8_t> buf) mutable -> std::size_t {
        if (done || buf.empty()) return 0;
        done = true;
        buf[0] = 42;
        return 1;
    });
    const auto tiny = cs.add(*small, AddOptions{ImportProfile::custom(4096, 8), {}, false});
    EXPECT_TRUE(fs::is_empty(fs::path(dir.path()) / "blocks" / ".temp"));
    (void)tiny;
    std::size_t blocks = 0;
    cs.blocks().for_each([&](const Multihash&) { ++blocks; });
    EXPECT_EQ(cs.blocks().gc().removed_blocks, blocks);
}
