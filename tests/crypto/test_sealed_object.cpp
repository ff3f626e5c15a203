#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <sstream>
#include <string>

#include "base/hex.hpp"
#include "crypto/sealed_object.hpp"
#include "node_ref.hpp"

using namespace dossier;
using namespace dossier::crypto;

namespace {

ObjectId sample_id() {
    ObjectId id;
    id.patient = eth::Address::from_hex("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    id.record_id = from_hex_fixed<32>("0x" + std::string(62, '0') + "2a");
    id.version = 7;
    id.epoch = 3;
    return id;
}

Bytes pattern(std::size_t n, std::uint64_t seed = 1) {
    std::mt19937_64 rng(seed);
    Bytes b(n);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    return b;
}

constexpr std::uint8_t kSmallLog2 = 8;  // 256-byte segments keep the exhaustive tests fast
constexpr std::size_t kSmallS = 256;
constexpr std::size_t kSealedSegment = kSmallS + 16;

/// Opens with a streaming opener fed in chunks of `chunk` bytes.
Bytes open_chunked(const SecretKey32& key, ByteView sealed, std::size_t chunk) {
    ObjectOpener opener(key);
    Bytes out;
    for (std::size_t off = 0; off < sealed.size(); off += chunk)
        opener.update(sealed.subspan(off, std::min(chunk, sealed.size() - off)), out);
    opener.finish(out);
    return out;
}

Bytes seal_chunked(const SecretKey32& key, const ObjectId& id, ByteView pt, std::size_t chunk, SealOptions o) {
    ObjectSealer sealer(key, id, o);
    Bytes out;
    for (std::size_t off = 0; off < pt.size(); off += chunk)
        sealer.update(pt.subspan(off, std::min(chunk, pt.size() - off)), out);
    sealer.finish(out);
    return out;
}

/// Runs `f` and expects a truncation: a TamperedError (code tampered) that blames neither one
/// segment nor the header.
void expect_truncated(const std::function<void()>& f, const std::string& what) {
    try {
        f();
        ADD_FAILURE() << what << ": accepted";
    } catch (const TamperedSegmentError& e) {
        ADD_FAILURE() << what << ": reported as an altered segment: " << e.what();
    } catch (const TamperedHeaderError& e) {
        ADD_FAILURE() << what << ": reported as an altered header: " << e.what();
    } catch (const TamperedError& e) {
        EXPECT_EQ(e.code(), ErrorCode::tampered) << what;
    }
}

}  // namespace

TEST(SealedObject, RoundTripAtBoundarySizes) {
    const SecretKey32 key = SecretKey32::random();
    const std::size_t s = std::size_t{1} << kDefaultSegmentLog2;
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, s - 1, s, s + 1, 2 * s, 3 * s + 5}) {
        const Bytes pt = pattern(n, n);
        const Bytes sealed = seal_object(key, sample_id(), pt);
        EXPECT_EQ(sealed.size(), sealed_object_size(n)) << n;
        const OpenedObject o = open_object(key, sealed);
        EXPECT_EQ(o.plaintext, pt) << n;
        EXPECT_EQ(o.header.id, sample_id());
        EXPECT_EQ(o.header.segment_size(), s);
        EXPECT_EQ(open_chunked(key, sealed, 1000), pt) << n;
    }
    // The expected segment counts: 0 bytes -> 1 empty final segment; s bytes -> 1 full final one.
    EXPECT_EQ(sealed_object_size(0), 145u + 16);
    EXPECT_EQ(sealed_object_size(s), 145u + s + 16);
    EXPECT_EQ(sealed_object_size(s + 1), 145u + s + 1 + 32);
}

TEST(SealedObject, SeveralMegabytesStreamedInOddChunks) {
    const SecretKey32 key = SecretKey32::random();
    const Bytes pt = pattern((5u << 20) + 12345, 99);
    const Bytes a = seal_chunked(key, sample_id(), pt, 77777, {});
    const Bytes b = seal_object(key, sample_id(), pt);
    EXPECT_EQ(a.size(), b.size());
    EXPECT_NE(a, b);  // fresh content key and nonces
    EXPECT_EQ(open_chunked(key, a, 65536 + 16), pt);
    EXPECT_EQ(open_chunked(key, b, 1 << 20), pt);
    EXPECT_EQ(open_object(key, a).plaintext, pt);
}

TEST(SealedObject, EveryChunkingGivesTheSameResult) {
    const SecretKey32 key = SecretKey32::random();
    SealOptions o{kSmallLog2};
    const Bytes pt = pattern(3 * kSmallS + 10);
    const Bytes sealed = seal_chunked(key, sample_id(), pt, 1, o);
    EXPECT_EQ(sealed.size(), sealed_object_size(pt.size(), kSmallLog2));
    for (std::size_t chunk : {1, 2, 15, 16, 17, 145, 255, 256, 257, 271, 272, 273, 1000, 5000})
        EXPECT_EQ(open_chunked(key, sealed, chunk), pt) << chunk;
}

TEST(SealedObject, HeaderLayout) {
    const SecretKey32 key = SecretKey32::random();
    const Bytes sealed = seal_object(key, sample_id(), as_bytes("hello"), {kSmallLog2});
    EXPECT_EQ(to_hex(ByteView(sealed).first(6)), "0x44534f420108");
    EXPECT_EQ(to_hex(ByteView(sealed).subspan(6, 20)), sample_id().patient.to_hex());
    EXPECT_EQ(to_hex(ByteView(sealed).subspan(58, 12)), "0x000000000000000700000003");
    const ObjectHeader h = ObjectHeader::parse(sealed);
    EXPECT_EQ(h.id, sample_id());
    EXPECT_EQ(h.key_id, epoch_key_id(key));
    const auto raw = h.serialize();
    EXPECT_TRUE(std::equal(raw.begin(), raw.end(), sealed.begin()));
}

TEST(SealedObject, WrongKeyIsItsOwnError) {
    const SecretKey32 key = SecretKey32::random();
    const Bytes sealed = seal_object(key, sample_id(), pattern(1000));
    try {
        (void)open_object(SecretKey32::random(), sealed);
        FAIL();
    } catch (const WrongEpochKeyError& e) {
        EXPECT_EQ(e.code(), ErrorCode::permission_denied);
        EXPECT_EQ(e.epoch(), 3u);
        EXPECT_STREQ(e.what(), "the object was sealed under a different key than the one supplied for epoch 3");
    }
    // The lookup sees the header and picks the key for its epoch.
    std::uint32_t asked = 0;
    const auto o = open_object(
        [&](const ObjectHeader& h) {
            asked = h.id.epoch;
            return key;
        },
        sealed);
    EXPECT_EQ(asked, 3u);
    EXPECT_EQ(o.plaintext, pattern(1000));
}

TEST(SealedObject, FlippingAnySingleByteFailsWithTheRightError) {
    const SecretKey32 key = SecretKey32::random();
    const Bytes pt = pattern(2 * kSmallS + 100);
    const Bytes sealed = seal_object(key, sample_id(), pt, {kSmallLog2});
    ASSERT_EQ(sealed.size(), 145u + pt.size() + 3 * 16);
    for (std::size_t i = 0; i < sealed.size(); ++i) {
        Bytes bad = sealed;
        bad[i] ^= 0x04;
        try {
            (void)open_object(key, bad);
            ADD_FAILURE() << "byte " << i << " flipped and accepted";
        } catch (const NotASealedObjectError&) {
            EXPECT_LT(i, 4u) << i;
        } catch (const UnsupportedObjectFormatError&) {
            EXPECT_TRUE(i == 4 || i == 5) << i;
        } catch (const WrongEpochKeyError&) {
            EXPECT_TRUE(i >= 70 && i < 78) << i;  // the key id
        } catch (const TamperedHeaderError&) {
            EXPECT_TRUE(i >= 5 && i < 145 && !(i >= 70 && i < 78)) << i;
        } catch (const TamperedSegmentError& e) {
            EXPECT_GE(i, 145u);
            EXPECT_EQ(e.segment(), (i - 145) / kSealedSegment) << i;
        }
    }
}

TEST(SealedObject, TruncationAtEverySegmentBoundaryIsReportedAsTruncation) {
    const SecretKey32 key = SecretKey32::random();
    for (std::size_t n : {4 * kSmallS, 4 * kSmallS + 9}) {
        const Bytes sealed = seal_object(key, sample_id(), pattern(n), {kSmallLog2});
        for (std::size_t cut = 145; cut < sealed.size(); cut += kSealedSegment) {
            expect_truncated([&] { (void)open_object(key, ByteView(sealed).first(cut)); },
                             "cut at " + std::to_string(cut));
        }
    }
}

TEST(SealedObject, TruncationAtEveryByteFails) {
    const SecretKey32 key = SecretKey32::random();
    const Bytes sealed = seal_object(key, sample_id(), pattern(2 * kSmallS + 3), {kSmallLog2});
    for (std::size_t cut = 0; cut < sealed.size(); ++cut) {
        try {
            (void)open_object(key, ByteView(sealed).first(cut));
            ADD_FAILURE() << "cut at " << cut << " accepted";
        } catch (const TamperedError&) {
            EXPECT_GE(cut, 4u);
        } catch (const NotASealedObjectError&) {
            EXPECT_LT(cut, 4u);
        }
    }
}

TEST(SealedObject, ReorderingDroppingDuplicatingAndAppendingSegmentsFail) {
    const SecretKey32 key = SecretKey32::random();
    const Bytes sealed = seal_object(key, sample_id(), pattern(4 * kSmallS), {kSmallLog2});
    const ByteView header = ByteView(sealed).first(145);
    auto seg = [&](std::size_t i) { return ByteView(sealed).subspan(145 + i * kSealedSegment, kSealedSegment); };
    auto build = [&](std::initializer_list<std::size_t> order) {
        Bytes b(header.begin(), header.end());
        for (auto i : order) append(b, seg(i));
        return b;
    };
    ASSERT_EQ(open_object(key, build({0, 1, 2, 3})).plaintext, pattern(4 * kSmallS));
    EXPECT_THROW((void)open_object(key, build({1, 0, 2, 3})), TamperedSegmentError);
    EXPECT_THROW((void)open_object(key, build({0, 2, 1, 3})), TamperedSegmentError);
    EXPECT_THROW((void)open_object(key, build({0, 1, 3})), TamperedSegmentError);   // dropped middle
    EXPECT_THROW((void)open_object(key, build({0, 0, 1, 2, 3})), TamperedSegmentError);
    EXPECT_THROW((void)open_object(key, build({0, 1, 2, 3, 3})), TamperedSegmentError);
    expect_truncated([&] { (void)open_object(key, build({0, 1, 2})); }, "no final segment");
    Bytes appended = build({0, 1, 2, 3});
    appended.push_back(0);
    try {
        (void)open_object(key, appended);
        FAIL();
    } catch (const TamperedSegmentError& e) {
        EXPECT_EQ(e.segment(), 3u);
        EXPECT_NE(std::string(e.what()).find("follows the final segment"), std::string::npos);
    }
}

TEST(SealedObject, SplicingBetweenObjectsFails) {
    const SecretKey32 key = SecretKey32::random();
    const Bytes a = seal_object(key, sample_id(), pattern(2 * kSmallS, 1), {kSmallLog2});
    const Bytes b = seal_object(key, sample_id(), pattern(2 * kSmallS, 2), {kSmallLog2});
    // a's header with b's body: another content key.
    Bytes mixed(a.begin(), a.begin() + 145);
    mixed.insert(mixed.end(), b.begin() + 145, b.end());
    EXPECT_THROW((void)open_object(key, mixed), TamperedSegmentError);
    // a's first segment, b's second.
    Bytes spliced(a.begin(), a.begin() + 145 + kSealedSegment);
    spliced.insert(spliced.end(), b.begin() + 145 + kSealedSegment, b.end());
    EXPECT_THROW((void)open_object(key, spliced), TamperedSegmentError);
    // A header moved to another record, version or epoch (the key-wrap aad) does not open.
    for (std::size_t off : {6u, 26u, 58u, 66u}) {
        Bytes moved = a;
        moved[off + 3] ^= 0x01;
        EXPECT_THROW((void)open_object(key, moved), TamperedHeaderError) << off;
    }
}

TEST(SealedObject, NoPlaintextBeforeItsSegmentVerifies) {
    const SecretKey32 key = SecretKey32::random();
    const Bytes pt = pattern(3 * kSmallS);
    Bytes sealed = seal_object(key, sample_id(), pt, {kSmallLog2});
    sealed[145 + 2 * kSealedSegment - 1] ^= 1;  // last tag byte of segment 1
    ObjectOpener opener(key);
    Bytes out;
    std::size_t i = 0;
    try {
        for (; i < sealed.size(); ++i) {
            opener.update(ByteView(sealed).subspan(i, 1), out);
            ASSERT_EQ(out.size() % kSmallS, 0u);
            ASSERT_LE(out.size(), kSmallS);  // segment 0 only
            if (!out.empty()) {
                ASSERT_TRUE(std::equal(out.begin(), out.end(), pt.begin()));
            }
        }
        FAIL() << "tampered segment accepted";
    } catch (const TamperedSegmentError& e) {
        EXPECT_EQ(e.segment(), 1u);
        // Detected as soon as segment 1 is known not to be the last: one byte after it.
        EXPECT_EQ(i, 145 + 2 * kSealedSegment);
    }
    EXPECT_EQ(out, Bytes(pt.begin(), pt.begin() + kSmallS));
    EXPECT_THROW(opener.update(Bytes{1}, out), Error);
}

TEST(SealedObject, NotSealedObjects) {
    const SecretKey32 key = SecretKey32::random();
    EXPECT_THROW((void)open_object(key, Bytes{}), NotASealedObjectError);
    EXPECT_THROW((void)open_object(key, as_bytes("DSO")), NotASealedObjectError);
    EXPECT_THROW((void)open_object(key, as_bytes("%PDF-1.7 ...")), NotASealedObjectError);
    expect_truncated([&] { (void)open_object(key, as_bytes("DSOB")); }, "a magic without a header");
    EXPECT_THROW((void)open_object(key, as_bytes("DSOB\x02")), UnsupportedObjectFormatError);
    Bytes bad_seg = {'D', 'S', 'O', 'B', 1, 25};
    EXPECT_THROW((void)open_object(key, bad_seg), UnsupportedObjectFormatError);
    EXPECT_THROW((void)seal_object(key, sample_id(), {}, {7}), Error);
    EXPECT_THROW((void)seal_object(key, sample_id(), {}, {25}), Error);
}

TEST(SealedObject, StreamsOverIostreamsWithProgress) {
    const SecretKey32 key = SecretKey32::random();
    const Bytes pt = pattern((3u << 20) + 1);
    std::istringstream in(std::string(as_chars(pt)));
    std::ostringstream sealed_out;
    std::vector<std::uint64_t> progress;
    const ObjectHeader h =
        seal_stream(key, sample_id(), in, sealed_out, {}, [&](std::uint64_t n) { progress.push_back(n); });
    EXPECT_EQ(h.id, sample_id());
    ASSERT_EQ(progress.size(), 4u);
    EXPECT_EQ(progress.back(), pt.size());
    const std::string sealed = sealed_out.str();
    EXPECT_EQ(sealed.size(), sealed_object_size(pt.size()));

    std::istringstream sin(sealed);
    std::ostringstream plain_out;
    const ObjectHeader h2 = open_stream(key, sin, plain_out);
    EXPECT_EQ(h2.id, sample_id());
    EXPECT_EQ(plain_out.str(), std::string(as_chars(pt)));

    std::istringstream truncated(sealed.substr(0, sealed.size() - 1));
    std::ostringstream sink;
    EXPECT_THROW((void)open_stream(key, truncated, sink), TamperedError);
}

// Differential: an opener written in JavaScript from this format's description (node's own
// AES-GCM, HKDF and SHA-256) opens objects sealed here, at several sizes and segment sizes, finds
// the same header fields, and refuses the same altered objects.
TEST(SealedObject, OpensWithAnIndependentImplementation) {
    const SecretKey32 key = SecretKey32::random();
    nlohmann::json reqs = nlohmann::json::array();
    std::vector<Bytes> plaintexts;
    for (std::size_t n : {0, 1, 255, 256, 257, 1000, 70000}) {
        for (std::uint8_t log2 : {std::uint8_t{8}, std::uint8_t{16}}) {
            Bytes pt = pattern(n, n + log2);
            reqs.push_back({{"op", "open_object"},
                            {"key", to_hex_raw(key.view())},
                            {"object", to_hex_raw(seal_object(key, sample_id(), pt, {log2}))}});
            plaintexts.push_back(std::move(pt));
        }
    }
    Bytes altered = seal_object(key, sample_id(), pattern(600), {kSmallLog2});
    altered[145 + kSealedSegment + 3] ^= 1;
    reqs.push_back({{"op", "open_object"}, {"key", to_hex_raw(key.view())}, {"object", to_hex_raw(altered)}});
    const Bytes whole = seal_object(key, sample_id(), pattern(600), {kSmallLog2});
    reqs.push_back({{"op", "open_object"},
                    {"key", to_hex_raw(key.view())},
                    {"object", to_hex_raw(ByteView(whole).first(145 + 2 * kSealedSegment))}});
    reqs.push_back({{"op", "open_object"},
                    {"key", to_hex_raw(SecretKey32::random().view())},
                    {"object", to_hex_raw(whole)}});

    const auto res = test::node_crypto_ref(reqs);
    for (std::size_t i = 0; i < plaintexts.size(); ++i) {
        ASSERT_FALSE(res[i].contains("error")) << i << ": " << res[i].dump();
        EXPECT_EQ(res[i]["plaintext"].get<std::string>(), to_hex_raw(plaintexts[i])) << i;
        EXPECT_EQ(res[i]["patient"].get<std::string>(), to_hex_raw(sample_id().patient.bytes));
        EXPECT_EQ(res[i]["record"].get<std::string>(), to_hex_raw(sample_id().record_id));
        EXPECT_EQ(res[i]["version"].get<std::string>(), "7");
        EXPECT_EQ(res[i]["epoch"].get<int>(), 3);
    }
    const std::size_t k = plaintexts.size();
    EXPECT_EQ(res[k]["error"], "segment 1");
    EXPECT_EQ(res[k + 1]["error"], "segment 1");  // truncated at a boundary: the last segment is not final
    EXPECT_EQ(res[k + 2]["error"], "wrong key");
}
