#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iostream>

#include "crypto/sealed_object.hpp"
#include "dossier/patients.hpp"
#include "dossier/sealed_store.hpp"
#include "fixture.hpp"
#include "support/error_code.hpp"
#include "ipfs/content_store.hpp"
#include "ipfs/sha256.hpp"

using namespace dossier;

namespace {

fhir::PatientFields alice() {
    fhir::PatientFields f;
    f.given_name = "Alice";
    f.family_name = "Martin";
    f.birth_date = "1980-04-02";
    f.gender = "female";
    return f;
}

core::ObjectRef seal_bytes(core::Context& ctx, const core::EpochKey& key, const eth::Address& patient,
                           const Bytes32& object_id, std::uint64_t version, ByteView data) {
    auto src = ipfs::source_from_bytes(data);
    return core::store_sealed(ctx, key, patient, object_id, version, *src, data.size());
}

Bytes raw_object(core::Context& ctx, const core::ObjectRef& ref) {
    auto src = ctx.store().cat(core::cid_of(ref));
    return ipfs::read_all(*src);
}

struct PatientSetup {
    test::CoreFixture f;
    eth::PrivateKey patient = f.funded_key();
    core::Keyring keyring{f.ctx(), patient};
    PatientSetup() { (void)core::register_patient(f.ctx(), patient, alice()); }
};

}  // namespace

TEST(SealedStore, ObjectIdsAndCids) {
    const Bytes32 a = core::new_object_id();
    const Bytes32 b = core::new_object_id();
    EXPECT_NE(a, b);
    EXPECT_EQ(a[31], 0);
    Bytes32 meta = a;
    meta[31] = 0x70;
    EXPECT_EQ(core::object_id_of(meta), a);

    core::ObjectRef ref;
    const Bytes digest = test::pattern(32, 9);
    std::copy_n(digest.begin(), 32, ref.digest.begin());
    ref.meta = meta;
    const ipfs::Cid cid = core::cid_of(ref);
    EXPECT_EQ(cid.version, 1);
    EXPECT_EQ(cid.codec, ipfs::kCodecDagPb);
    EXPECT_EQ(cid.hash.digest, ref.digest);
    // The text form round-trips to the same reference parts.
    const ipfs::Cid parsed = ipfs::Cid::parse(cid.to_string());
    EXPECT_EQ(parsed, cid);
    ref.meta[31] = 0x55;
    EXPECT_EQ(core::cid_of(ref).codec, ipfs::kCodecRaw);
    ref.meta[31] = 0x71;  // dag-cbor: not something Dossier stores
    EXPECT_THROW((void)core::cid_of(ref), DecodeError);
}

TEST(SealedStore, SmallObjectRoundTripsAsOneRawBlock) {
    PatientSetup s;
    auto& ctx = s.f.ctx();
    const auto addr = s.patient.address();
    const core::EpochKey key = s.keyring.current(addr);
    const std::string text = R"({"resourceType":"Condition","code":{"text":"Asthma"}})";
    const Bytes32 id = core::new_object_id();
    const core::ObjectRef ref = seal_bytes(ctx, key, addr, id, 1, as_bytes(text));
    EXPECT_EQ(ref.meta[31], ipfs::kCodecRaw);
    EXPECT_EQ(core::object_id_of(ref.meta), id);
    const ipfs::Cid cid = core::cid_of(ref);
    EXPECT_TRUE(ctx.store().has(cid));
    const auto pins = ctx.store().pins();
    EXPECT_NE(std::find(pins.begin(), pins.end(), cid), pins.end());
    EXPECT_EQ(ctx.store().size(cid), crypto::sealed_object_size(text.size()));

    // Only ciphertext in the store.
    const Bytes raw = raw_object(ctx, ref);
    EXPECT_EQ(std::search(raw.begin(), raw.end(), text.begin() + 30, text.end()), raw.end());
    EXPECT_EQ(ipfs::Multihash::of(raw).digest, ref.digest);

    const Bytes back = core::open_sealed_bytes(ctx, s.keyring, addr, 1, ref);
    EXPECT_EQ(std::string(as_chars(back)), text);
    // A size limit below the object's size refuses it.
    EXPECT_THROW((void)core::open_sealed_bytes(ctx, s.keyring, addr, 1, ref, 10), Error);
}

TEST(SealedStore, MultiMegabyteObjectStreamsThroughADagPbTree) {
    PatientSetup s;
    auto& ctx = s.f.ctx();
    const auto addr = s.patient.address();
    const core::EpochKey key = s.keyring.current(addr);
    const std::size_t n = 3 * 1024 * 1024 + 12345;
    const Bytes data = test::pattern(n, 42);
    std::uint64_t last_done = 0, last_total = 0;
    int calls = 0;
    auto src = ipfs::source_from_bytes(data);
    const core::ObjectRef ref = core::store_sealed(ctx, key, addr, core::new_object_id(), 0, *src, n,
                                                   [&](std::uint64_t done, std::uint64_t total) {
                                                       EXPECT_GE(done, last_done);
                                                       last_done = done;
                                                       last_total = total;
                                                       ++calls;
                                                   });
    EXPECT_EQ(ref.meta[31], ipfs::kCodecDagPb);
    EXPECT_EQ(last_done, n);
    EXPECT_EQ(last_total, n);
    EXPECT_GE(calls, 10);
    EXPECT_EQ(ctx.store().size(core::cid_of(ref)), crypto::sealed_object_size(n));

    Bytes back;
    std::size_t pieces = 0;
    std::uint64_t read_done = 0;
    core::open_sealed(
        ctx, s.keyring, addr, 0, ref,
        [&](ByteView part) {
            ++pieces;
            append(back, part);
        },
        [&](std::uint64_t done, std::uint64_t) { read_done = done; });
    EXPECT_EQ(back.size(), n);
    EXPECT_TRUE(back == data);
    EXPECT_GT(pieces, 1u);  // streamed, not delivered in one piece
    EXPECT_EQ(read_done, crypto::sealed_object_size(n));
}

TEST(SealedStore, ReaderWithoutAnEnvelopeGetsNoAccess) {
    PatientSetup s;
    auto& ctx = s.f.ctx();
    const auto addr = s.patient.address();
    const core::ObjectRef ref = seal_bytes(ctx, s.keyring.current(addr), addr, core::new_object_id(), 1, as_bytes("x"));
    const auto stranger_key = eth::PrivateKey::generate();
    core::Keyring stranger(ctx, stranger_key);
    try {
        (void)core::open_sealed_bytes(ctx, stranger, addr, 1, ref);
        FAIL() << "a stranger opened the object";
    } catch (const core::NoAccessError& e) {
        EXPECT_EQ(e.code(), ErrorCode::permission_denied);
        // The sentence names the patient and the epoch.
        EXPECT_NE(std::string(e.what()).find(addr.to_checksum()), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("epoch 1"), std::string::npos);
    }
}

TEST(SealedStore, ObjectMovedToAnotherPatientObjectOrVersionFails) {
    PatientSetup s;
    auto& ctx = s.f.ctx();
    const auto addr = s.patient.address();
    const auto other = s.f.funded_key();
    (void)core::register_patient(ctx, other, alice());
    const core::ObjectRef ref = seal_bytes(ctx, s.keyring.current(addr), addr, core::new_object_id(), 2, as_bytes("v2"));

    // Presented as another patient's object (by that patient's own reader).
    core::Keyring other_keyring(ctx, other);
    test::expect_code([&] { (void)core::open_sealed_bytes(ctx, other_keyring, other.address(), 2, ref); },
                      ErrorCode::tampered);
    // As another version of the same record.
    test::expect_code([&] { (void)core::open_sealed_bytes(ctx, s.keyring, addr, 3, ref); }, ErrorCode::tampered);
    // Under another record's object id.
    core::ObjectRef moved = ref;
    const Bytes32 other_id = core::new_object_id();
    std::copy_n(other_id.begin(), 31, moved.meta.begin());
    test::expect_code([&] { (void)core::open_sealed_bytes(ctx, s.keyring, addr, 2, moved); }, ErrorCode::tampered);
    // The original still opens.
    EXPECT_EQ(core::open_sealed_bytes(ctx, s.keyring, addr, 2, ref), Bytes({'v', '2'}));
}

TEST(SealedStore, HeaderEditedToMatchAnotherVersionIsTampered) {
    PatientSetup s;
    auto& ctx = s.f.ctx();
    const auto addr = s.patient.address();
    const Bytes32 id = core::new_object_id();
    const core::ObjectRef ref = seal_bytes(ctx, s.keyring.current(addr), addr, id, 2, as_bytes("version two"));
    Bytes raw = raw_object(ctx, ref);
    raw[58 + 7] = 3;  // header version field (offset 58, 8 bytes big-endian): 2 -> 3
    auto src = ipfs::source_from_bytes(raw);
    const ipfs::Cid cid = ctx.store().add(*src).root;
    core::ObjectRef forged;
    forged.digest = cid.hash.digest;
    forged.meta = ref.meta;
    EXPECT_THROW((void)core::open_sealed_bytes(ctx, s.keyring, addr, 3, forged), crypto::TamperedHeaderError);
    test::expect_code([&] { (void)core::open_sealed_bytes(ctx, s.keyring, addr, 3, forged); }, ErrorCode::tampered);
}

TEST(SealedStore, EmptyObjectRoundTrips) {
    PatientSetup s;
    auto& ctx = s.f.ctx();
    const auto addr = s.patient.address();
    const core::ObjectRef ref = seal_bytes(ctx, s.keyring.current(addr), addr, core::new_object_id(), 0, {});
    EXPECT_TRUE(core::open_sealed_bytes(ctx, s.keyring, addr, 0, ref).empty());
}

#if defined(__SANITIZE_ADDRESS__)
#define DOSSIER_TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DOSSIER_TEST_UNDER_ASAN 1
#endif
#endif
#ifndef DOSSIER_TEST_UNDER_ASAN
#define DOSSIER_TEST_UNDER_ASAN 0
#endif

namespace {

/// Peak resident set size of this process so far, in bytes (VmHWM).
std::uint64_t peak_rss() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
    return 0;
}

}  // namespace

TEST(SealedStore, LargeObjectStreamsInBoundedMemory) {
    PatientSetup s;
    auto& ctx = s.f.ctx();
    const auto addr = s.patient.address();
    const std::uint64_t n = 96ull << 20;
    // Produces the plaintext on demand and hashes what it handed out.
    std::uint64_t produced = 0;
    std::uint64_t x = 0x9e3779b97f4a7c15ull;
    ipfs::Sha256 written;
    auto src = ipfs::source_from_callback([&](std::span<std::uint8_t> buf) -> std::size_t {
        const std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), n - produced));
        for (std::size_t i = 0; i < k; ++i) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            buf[i] = static_cast<std::uint8_t>(x);
        }
        written.update(buf.first(k));
        produced += k;
        return k;
    });
    const std::uint64_t before = peak_rss();
    const core::ObjectRef ref = core::store_sealed(ctx, s.keyring.current(addr), addr, core::new_object_id(), 0, *src, n);
    ipfs::Sha256 read;
    std::uint64_t got = 0;
    core::open_sealed(ctx, s.keyring, addr, 0, ref, [&](ByteView part) {
        read.update(part);
        got += part.size();
    });
    const std::uint64_t growth = peak_rss() - before;
    EXPECT_EQ(got, n);
    EXPECT_EQ(read.finish(), written.finish());
    // Neither direction holds the object: far less than its 96 MiB. (AddressSanitizer keeps freed
    // memory in quarantine, up to 256 MiB, so its RSS says nothing about what is live.)
#if !DOSSIER_TEST_UNDER_ASAN
    EXPECT_LT(growth, 24ull << 20) << "peak RSS grew by " << (growth >> 20) << " MiB";
#endif
    std::cout << "[ figure ] 96 MiB sealed, stored and reopened; peak RSS growth " << (growth >> 10) << " KiB\n";
}
