#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "dossier/access.hpp"
#include "dossier/audit.hpp"
#include "dossier/doctors.hpp"
#include "dossier/files.hpp"
#include "dossier/keyring.hpp"
#include "dossier/patients.hpp"
#include "dossier/records.hpp"
#include "eth/abi.hpp"
#include "eth/keccak.hpp"
#include "fhir/builders.hpp"
#include "fixture.hpp"

using namespace dossier;
using core::AuditKind;

namespace {

fhir::Json condition(const eth::Address& patient, const std::string& text, const std::string& status = "active") {
    fhir::ConditionFields c;
    c.subject = fhir::reference_to("Patient", patient.to_hex());
    c.code_text = text;
    c.clinical_status = status;
    return fhir::condition(c);
}

/// A whole workflow: registration, a request approved and one denied, records added, updated,
/// a file attached, a doctor reading and listing.
struct Workflow {
    test::CoreFixture f;
    eth::PrivateKey patient = f.funded_key();
    eth::PrivateKey doctor = f.funded_key();
    eth::PrivateKey other = f.funded_key();
    std::uint64_t expiry = 0;
    std::uint32_t record = 0;
    test::TempDir work;

    Workflow() {
        auto& ctx = f.ctx();
        fhir::PatientFields p;
        p.given_name = "Alice";
        p.family_name = "Martin";
        (void)core::register_patient(ctx, patient, p);
        for (const auto* d : {&doctor, &other}) {
            fhir::PractitionerFields pf;
            pf.given_name = "Jane";
            pf.family_name = "Smith";
            (void)core::register_doctor(ctx, *d, pf);
            core::verify_doctor(ctx, f.admin(), d->address());
            core::request_access(ctx, *d, patient.address());
        }
        expiry = ctx.chain_time() + 3600;
        core::approve(ctx, patient, doctor.address(), expiry);
        core::deny(ctx, patient, other.address());
        record = core::add_record(ctx, doctor, patient.address(), core::RecordKind::condition,
                                  condition(patient.address(), "Asthma"))
                     .record_id;
        (void)core::update_record(ctx, patient, patient.address(), record,
                                  condition(patient.address(), "Asthma", "remission"));
        const auto file = std::filesystem::path(work.path()) / "peak-flow.csv";
        std::ofstream(file) << "day,l/min\n1,420\n";
        (void)core::attach_file(ctx, doctor, patient.address(), record, file, {.content_type = "text/csv"});
        core::Reader reader(ctx, doctor);
        (void)core::show_record(ctx, reader, patient.address(), record, 1);
        (void)core::list_records(ctx, reader, patient.address());
    }
    eth::Address who() const { return patient.address(); }
    /// The patient's access-log key, as its own client derives it.
    crypto::SecretKey32 log_key() {
        core::Keyring ring(f.ctx(), patient);
        return core::access_log_key(ring.key(who(), 1), who());
    }
};

}  // namespace

TEST(Audit, AccessWhatIsTheDocumentedKeyedHash) {
    // keccak256(key || abi.encode(uint8 1, uint32 3, uint32 2)), written out.
    crypto::SecretKey32 key;
    for (std::size_t i = 0; i < 32; ++i) key.data()[i] = static_cast<std::uint8_t>(i + 1);
    Bytes enc(128, 0);
    std::copy_n(key.data(), 32, enc.begin());
    enc[32 + 31] = 1;
    enc[32 + 63] = 3;
    enc[32 + 95] = 2;
    using core::AccessTarget;
    EXPECT_EQ(core::access_what(key, AccessTarget::record, 3, 2), eth::keccak256(enc));
    EXPECT_NE(core::access_what(key, AccessTarget::record, 3, 2), core::access_what(key, AccessTarget::file, 3, 2));
    EXPECT_NE(core::access_what(key, AccessTarget::record, 3, 2), core::access_what(key, AccessTarget::record, 2, 3));
    // Another key (another patient), another value for the same read.
    crypto::SecretKey32 other = key;
    other.data()[0] ^= 1;
    EXPECT_NE(core::access_what(key, AccessTarget::record, 3, 2), core::access_what(other, AccessTarget::record, 3, 2));
    // The log key depends on the patient as well as on the epoch key.
    EXPECT_FALSE(core::access_log_key(key, eth::Address{}) ==
                 core::access_log_key(key, eth::PrivateKey::generate().address()));
}

TEST(Audit, AnObserverCannotTellWhichRecordADoctorOpenedButThePatientCan) {
    Workflow w;
    // The observer: public chain data only (the entries, every record id, version and
    // attachment index, which the writes name in the clear), enumerating every read there could
    // have been with the old, unkeyed formula and with keys it could guess.
    const auto observed = core::audit_history(w.f.ctx(), w.who());
    std::vector<Bytes32> guesses;
    const crypto::SecretKey32 zero{};
    for (std::uint32_t target = 1; target <= 4; ++target)
        for (std::uint32_t id = 0; id <= 8; ++id)
            for (std::uint32_t n = 0; n <= 8; ++n) {
                Bytes enc(96, 0);
                enc[31] = static_cast<std::uint8_t>(target);
                enc[63] = static_cast<std::uint8_t>(id);
                enc[95] = static_cast<std::uint8_t>(n);
                guesses.push_back(eth::keccak256(enc));
                guesses.push_back(core::access_what(zero, static_cast<core::AccessTarget>(target), id, n));
            }
    std::size_t reads = 0;
    for (const auto& e : observed) {
        if (e.kind != AuditKind::accessed) continue;
        ++reads;
        EXPECT_FALSE(e.access) << core::describe(e);
        EXPECT_EQ(std::find(guesses.begin(), guesses.end(), e.data), guesses.end());
    }
    EXPECT_EQ(reads, 2u);
    // The patient's client names them.
    const auto key = w.log_key();
    const auto named = core::audit_history(w.f.ctx(), w.who(), &key);
    ASSERT_EQ(named.size(), observed.size());
    EXPECT_EQ(named[9].access, core::AccessTarget::record);
    EXPECT_EQ(named[9].record_id, w.record);
    EXPECT_EQ(named[10].access, core::AccessTarget::list);
    // So does the doctor's: it reaches the patient's first epoch key through its envelope.
    core::Keyring doctor_ring(w.f.ctx(), w.doctor);
    const auto doctor_key = core::access_log_key(doctor_ring.key(w.who(), 1), w.who());
    EXPECT_TRUE(doctor_key == key);
}

TEST(Audit, DecodesEveryEntryOfAWorkflowAndVerifiesTheChain) {
    Workflow w;
    const auto log_key = w.log_key();
    const auto entries = core::audit_history(w.f.ctx(), w.who(), &log_key);
    std::vector<AuditKind> kinds;
    for (const auto& e : entries) kinds.push_back(e.kind);
    const std::vector<AuditKind> expected{
        AuditKind::registered,  AuditKind::requested,      AuditKind::requested,
        AuditKind::approved,    AuditKind::denied,         AuditKind::record_added,
        AuditKind::record_updated, AuditKind::record_added,  // the file's description record
        AuditKind::file_attached, AuditKind::accessed,     AuditKind::accessed};
    ASSERT_EQ(kinds, expected);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        EXPECT_EQ(entries[i].seq, i + 1);
        EXPECT_GT(entries[i].timestamp, 0u);
        EXPECT_NE(entries[i].tx_hash, Bytes32{});
        EXPECT_FALSE(core::describe(entries[i]).empty());
        if (i > 0) {
            EXPECT_GE(entries[i].block, entries[i - 1].block);
        }
    }
    EXPECT_EQ(entries[0].actor, w.who());
    EXPECT_FALSE(entries[0].doctor);
    EXPECT_EQ(entries[1].actor, w.doctor.address());
    EXPECT_EQ(entries[1].doctor, w.doctor.address());
    EXPECT_EQ(entries[3].actor, w.who());
    EXPECT_EQ(entries[3].doctor, w.doctor.address());
    EXPECT_EQ(entries[3].expiry, w.expiry);
    EXPECT_EQ(entries[3].epoch, 1u);
    EXPECT_EQ(entries[4].doctor, w.other.address());
    EXPECT_EQ(entries[5].record_id, w.record);
    EXPECT_EQ(entries[5].number, 1u);
    EXPECT_EQ(entries[5].actor, w.doctor.address());
    EXPECT_EQ(entries[6].record_id, w.record);
    EXPECT_EQ(entries[6].number, 2u);
    EXPECT_EQ(entries[6].actor, w.who());
    EXPECT_EQ(entries[8].record_id, w.record);
    EXPECT_EQ(entries[8].number, 1u);
    // "Dr X viewed record 1 version 1", then the listing.
    EXPECT_EQ(entries[9].actor, w.doctor.address());
    EXPECT_EQ(entries[9].access, core::AccessTarget::record);
    EXPECT_EQ(entries[9].record_id, w.record);
    EXPECT_EQ(entries[9].number, 1u);
    EXPECT_NE(core::describe(entries[9]).find("viewed record " + std::to_string(w.record) + " version 1"),
              std::string::npos)
        << core::describe(entries[9]);
    EXPECT_EQ(entries[10].access, core::AccessTarget::list);
    EXPECT_EQ(entries[10].number, 2u);

    const auto v = core::verify_audit(w.f.ctx(), w.who());
    EXPECT_TRUE(v.ok) << v.message;
    EXPECT_EQ(v.entries, entries.size());
    EXPECT_EQ(v.chain_seq, entries.size());
    // An account that is not a patient has an empty chain, which verifies.
    const auto none = core::verify_audit(w.f.ctx(), w.other.address());
    EXPECT_TRUE(none.ok) << none.message;
    EXPECT_EQ(none.entries, 0u);
}

TEST(Audit, VerifierDetectsDroppedReorderedAndAlteredEntries) {
    Workflow w;
    const auto entries = core::audit_history(w.f.ctx(), w.who());
    ASSERT_GE(entries.size(), 6u);
    // The contract's (seq, head) and the heads after each entry, recomputed.
    std::vector<std::pair<std::uint64_t, FixedBytes<24>>> heads;
    FixedBytes<24> h{};
    for (const auto& e : entries) {
        h = core::chain_step(h, w.who(), e);
        heads.emplace_back(e.seq, h);
    }
    const std::uint64_t seq = entries.size();
    const FixedBytes<24> head = heads.back().second;
    ASSERT_TRUE(core::verify_entries(w.who(), entries, seq, head).ok);

    // A wrong head from the contract is noticed.
    FixedBytes<24> wrong = head;
    wrong[0] ^= 1;
    EXPECT_FALSE(core::verify_entries(w.who(), entries, seq, wrong).ok);

    // A dropped entry in the middle: its seq is named.
    auto dropped = entries;
    dropped.erase(dropped.begin() + 3);
    auto v = core::verify_entries(w.who(), dropped, seq, head);
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.first_bad_seq, 4u);
    EXPECT_NE(v.message.find("missing"), std::string::npos) << v.message;

    // The last entry withheld.
    auto truncated = entries;
    truncated.pop_back();
    v = core::verify_entries(w.who(), truncated, seq, head);
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.first_bad_seq, seq);

    // Two entries swapped.
    auto swapped = entries;
    std::swap(swapped[2], swapped[3]);
    v = core::verify_entries(w.who(), swapped, seq, head);
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.first_bad_seq, 3u);

    // An altered entry (the digest of record version 1 replaced), seqs intact.
    auto altered = entries;
    altered[5].data[0] ^= 0x80;
    v = core::verify_entries(w.who(), altered, seq, head);
    EXPECT_FALSE(v.ok);
    EXPECT_FALSE(v.first_bad_seq);
    EXPECT_NE(v.message.find("altered"), std::string::npos) << v.message;
    // With a checkpoint per entry (the chain's head at each block) the altered entry is named.
    v = core::verify_entries(w.who(), altered, seq, head, heads);
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.first_bad_seq, 6u);
    // An altered actor or timestamp (inside info) too.
    altered = entries;
    altered[7].info += 1u << 20;
    v = core::verify_entries(w.who(), altered, seq, head, heads);
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.first_bad_seq, 8u);
    // The node-backed search: chain_at answers what the contract stored at each block (here from the
    // genuine entries, as a node keeping past state does), and finds the altered entry by bisection.
    const auto genuine_at = [&](std::uint64_t block) {
        std::pair<std::uint64_t, FixedBytes<24>> r{0, FixedBytes<24>{}};
        for (std::size_t i = 0; i < entries.size() && entries[i].block <= block; ++i) r = heads[i];
        return r;
    };
    for (std::size_t bad = 0; bad < entries.size(); ++bad) {
        altered = entries;
        altered[bad].subject[31] ^= 0x01;
        int calls = 0;
        v = core::verify_and_locate(w.who(), altered, seq, head, [&](std::uint64_t block) {
            ++calls;
            return genuine_at(block);
        });
        EXPECT_FALSE(v.ok);
        EXPECT_EQ(v.first_bad_seq, entries[bad].seq) << v.message;
        EXPECT_LE(calls, 7);
    }
    EXPECT_TRUE(core::verify_and_locate(w.who(), entries, seq, head, genuine_at).ok);
    // The same search against the node's real past state (anvil keeps it), as verify_audit() does.
    const auto node_at = [&](std::uint64_t block) {
        namespace abi = eth::abi;
        eth::CallRequest call;
        call.to = w.f.ctx().manifest().audit;
        const abi::Value args[] = {abi::Value::address(w.who())};
        call.data = abi::encode_call(chain::gen::AuditContract::fn::chainOf, args);
        const auto out = abi::decode(abi::Type::parse(chain::gen::AuditContract::returns::chainOf).children,
                                     w.f.ctx().rpc().eth_call(call, eth::BlockRef::number(block)));
        FixedBytes<24> hd{};
        std::copy_n(out.at(1).as_fixed_bytes().data.begin(), 24, hd.begin());
        return std::pair<std::uint64_t, FixedBytes<24>>{eth::to_u64(out.at(0).as_uint()), hd};
    };
    for (std::size_t i = 0; i < entries.size(); ++i) EXPECT_EQ(node_at(entries[i].block), heads[i]);
    altered = entries;
    altered[4].data[31] ^= 0x01;
    v = core::verify_and_locate(w.who(), altered, seq, head, node_at);
    EXPECT_EQ(v.first_bad_seq, 5u) << v.message;
    // Without past state the mismatch is still reported, without a place.
    v = core::verify_and_locate(w.who(), altered, seq, head,
                                [](std::uint64_t) -> std::pair<std::uint64_t, FixedBytes<24>> {
                                    throw Error("no past state");
                                });
    EXPECT_FALSE(v.ok);
    EXPECT_FALSE(v.first_bad_seq);
    // Another patient's entries do not verify for this one.
    EXPECT_FALSE(core::verify_entries(w.doctor.address(), entries, seq, head).ok);
}

TEST(Audit, DecodesPackedFields) {
    // info = actor << 96 | timestamp << 56 | kind << 48 | seq
    const auto actor = eth::PrivateKey::generate().address();
    const eth::U256 info = (eth::from_be(actor.to_word()) << 96) | (eth::U256(1700000123) << 56) |
                           (eth::U256(3) << 48) | eth::U256(42);
    const auto doctor = eth::PrivateKey::generate().address();
    Bytes32 data{};
    const eth::U256 packed = (eth::U256(1800000000) << 32) | 5;
    data = eth::to_be32(packed);
    const auto e = core::decode_entry(doctor.to_word(), info, data);
    EXPECT_EQ(e.seq, 42u);
    EXPECT_EQ(e.kind, AuditKind::approved);
    EXPECT_EQ(e.actor, actor);
    EXPECT_EQ(e.timestamp, 1700000123u);
    EXPECT_EQ(e.doctor, doctor);
    EXPECT_EQ(e.expiry, 1800000000u);
    EXPECT_EQ(e.epoch, 5u);
    EXPECT_EQ(core::entry_kind_name(e.kind), "approved");
    // Record subject: recordId << 32 | version.
    const eth::U256 rinfo = (eth::from_be(actor.to_word()) << 96) | (eth::U256(8) << 48) | eth::U256(7);
    const auto r = core::decode_entry(eth::to_be32((eth::U256(9) << 32) | 4), rinfo, Bytes32{});
    EXPECT_EQ(r.kind, AuditKind::record_updated);
    EXPECT_EQ(r.record_id, 9u);
    EXPECT_EQ(r.number, 4u);
    // An unknown kind number decodes, without crashing, as unknown.
    const auto u = core::decode_entry(Bytes32{}, eth::U256(200) << 48, Bytes32{});
    EXPECT_EQ(u.kind, AuditKind::unknown);
    EXPECT_EQ(u.kind_code, 200u);
    EXPECT_FALSE(core::describe(u).empty());
}
