#include <gtest/gtest.h>

#include <set>

#include "dossier/access.hpp"
#include "dossier/audit.hpp"
#include "dossier/doctors.hpp"
#include "crypto/sealed_object.hpp"
#include "dossier/key_rotation.hpp"
#include "dossier/sealed_store.hpp"
#include "ipfs/content_store.hpp"
#include "dossier/patients.hpp"
#include "dossier/records.hpp"
#include "dossier/records_batch.hpp"
#include "fhir/builders.hpp"
#include "fixture.hpp"

using namespace dossier;

namespace {

fhir::Json condition(const std::string& subject, const std::string& text) {
    fhir::ConditionFields c;
    c.subject = subject;
    c.code_text = text;
    c.clinical_status = "active";
    c.onset = "2019-03-01";
    return fhir::condition(c);
}

struct Registered {
    test::CoreFixture f;
    eth::PrivateKey patient = f.funded_key();
    Registered() {
        fhir::PatientFields p;
        p.given_name = "Alice";
        p.family_name = "Martin";
        p.birth_date = "1980-04-02";
        (void)core::register_patient(f.ctx(), patient, p);
    }
    std::string subject() const { return fhir::reference_to("Patient", patient.address().to_hex()); }
};

}  // namespace

TEST(RecordsBatch, FiftyPipelinedRecordsAreAllReadableInOrder) {
    Registered r;
    auto& ctx = r.f.ctx();
    std::vector<core::RecordInput> inputs;
    for (int i = 0; i < 50; ++i)
        inputs.push_back({core::RecordKind::condition, condition(r.subject(), "condition " + std::to_string(i))});
    std::vector<std::uint64_t> progress;
    const auto added = core::add_records(ctx, r.patient, r.patient.address(), inputs, 16,
                                         [&](std::uint64_t done, std::uint64_t total) {
                                             EXPECT_EQ(total, 50u);
                                             progress.push_back(done);
                                         });
    ASSERT_EQ(added.size(), 50u);
    ASSERT_EQ(progress.size(), 50u);
    EXPECT_EQ(progress.back(), 50u);
    EXPECT_EQ(core::record_count(ctx, r.patient.address()), 50u);
    std::set<std::uint32_t> ids;
    std::set<Bytes32> metas;
    core::Reader reader(ctx, r.patient);
    for (std::size_t i = 0; i < added.size(); ++i) {
        const auto& w = added[i].written;
        EXPECT_EQ(w.version, 1u);
        EXPECT_GT(added[i].latency.count(), 0);
        ids.insert(w.record_id);
        metas.insert(w.ref.meta);
        if (i > 0) {
            // One sender, nonces in input order: each record lands after the previous one.
            EXPECT_GT(w.record_id, added[i - 1].written.record_id);
            EXPECT_GE(w.block, added[i - 1].written.block);
        }
        const auto rec = core::show_record(ctx, reader, r.patient.address(), w.record_id);
        EXPECT_EQ(rec.info.ref, w.ref);
        EXPECT_EQ(rec.document.resource.at("code").at("text"), "condition " + std::to_string(i));
    }
    EXPECT_EQ(ids.size(), 50u);
    EXPECT_EQ(metas.size(), 50u);
    EXPECT_EQ(*ids.begin(), 1u);
    EXPECT_EQ(*ids.rbegin(), 50u);
}

TEST(RecordsBatch, OneInFlightMatchesSequentialAndAnInvalidResourceSendsNothing) {
    Registered r;
    auto& ctx = r.f.ctx();
    std::vector<core::RecordInput> inputs{{core::RecordKind::condition, condition(r.subject(), "a")},
                                          {core::RecordKind::condition, condition(r.subject(), "b")}};
    const auto added = core::add_records(ctx, r.patient, r.patient.address(), inputs, 1);
    ASSERT_EQ(added.size(), 2u);
    EXPECT_EQ(added[0].written.record_id, 1u);
    EXPECT_EQ(added[1].written.record_id, 2u);
    EXPECT_THROW((void)core::add_records(ctx, r.patient, r.patient.address(), inputs, 0), Error);

    inputs.push_back({core::RecordKind::medication, condition(r.subject(), "wrong kind")});
    EXPECT_ANY_THROW((void)core::add_records(ctx, r.patient, r.patient.address(), inputs, 4));
    EXPECT_EQ(core::record_count(ctx, r.patient.address()), 2u);
}

namespace {

/// A registered patient, a doctor it approved and a verified doctor it did not.
struct WithDoctors : Registered {
    eth::PrivateKey doctor = f.funded_key();
    eth::PrivateKey stranger = f.funded_key();
    WithDoctors() {
        auto& ctx = f.ctx();
        for (const auto* d : {&doctor, &stranger}) {
            fhir::PractitionerFields pf;
            pf.given_name = "Jane";
            pf.family_name = "Smith";
            (void)core::register_doctor(ctx, *d, pf);
            core::verify_doctor(ctx, f.admin(), d->address());
        }
        core::request_access(ctx, doctor, patient.address());
        core::approve(ctx, patient, doctor.address(), ctx.chain_time() + 3600);
    }
};

}  // namespace

TEST(RecordsBatch, BatchTransactionsReadBackAsSingleAddsWithOneAuditEntryEach) {
    WithDoctors r;
    auto& ctx = r.f.ctx();
    const auto p = r.patient.address();
    const auto single = core::add_record(ctx, r.doctor, p, core::RecordKind::condition, condition(r.subject(), "single"));
    std::vector<core::RecordInput> inputs;
    for (int i = 0; i < 5; ++i)
        inputs.push_back({core::RecordKind::condition, condition(r.subject(), "batched " + std::to_string(i))});
    std::vector<std::size_t> firsts;
    std::vector<std::uint64_t> progress;
    const auto written = core::add_records_batched(
        ctx, r.doctor, p, inputs, 2,
        [&](std::size_t first, std::span<const core::WrittenRecord> w) {
            firsts.push_back(first);
            // Landed means confirmed: the chain counts these records already (and maybe the
            // next transactions', sent before this receipt was read).
            EXPECT_GE(core::record_count(ctx, p), 1 + first + w.size());
        },
        [&](std::uint64_t done, std::uint64_t total) {
            EXPECT_EQ(total, 5u);
            progress.push_back(done);
        });
    const auto after = core::add_record(ctx, r.doctor, p, core::RecordKind::condition, condition(r.subject(), "after"));
    ASSERT_EQ(written.size(), 5u);
    EXPECT_EQ(firsts, (std::vector<std::size_t>{0, 2, 4}));
    EXPECT_EQ(progress, (std::vector<std::uint64_t>{2, 4, 5}));
    EXPECT_EQ(single.record_id, 1u);
    EXPECT_EQ(after.record_id, 7u);
    // Two records per transaction: the first two share one, the fifth has its own.
    EXPECT_EQ(written[0].tx_hash, written[1].tx_hash);
    EXPECT_NE(written[1].tx_hash, written[2].tx_hash);
    EXPECT_NE(written[3].tx_hash, written[4].tx_hash);

    // Each batched record reads back as a single add does: version 1, the doctor as author, its
    // own object, its document, for the patient and for the doctor.
    core::Reader patient_reader(ctx, r.patient);
    core::Reader doctor_reader(ctx, r.doctor);
    const auto single_history = core::record_history(ctx, p, single.record_id);
    std::set<Bytes32> objects{single.ref.meta, after.ref.meta};
    for (std::size_t i = 0; i < written.size(); ++i) {
        EXPECT_EQ(written[i].record_id, 2 + i);
        EXPECT_EQ(written[i].version, 1u);
        objects.insert(written[i].ref.meta);
        const auto history = core::record_history(ctx, p, written[i].record_id);
        ASSERT_EQ(history.size(), 1u);
        EXPECT_EQ(history[0].version, single_history[0].version);
        EXPECT_EQ(history[0].author, single_history[0].author);
        EXPECT_EQ(history[0].previous, single_history[0].previous);
        EXPECT_EQ(history[0].ref, written[i].ref);
        for (auto* reader : {&patient_reader, &doctor_reader}) {
            const auto rec = core::show_record(ctx, *reader, p, written[i].record_id);
            EXPECT_EQ(rec.document.author, r.doctor.address());
            EXPECT_EQ(rec.document.kind, core::RecordKind::condition);
            EXPECT_EQ(rec.document.resource.at("code").at("text"), "batched " + std::to_string(i));
        }
    }
    EXPECT_EQ(objects.size(), 7u);
    EXPECT_EQ(core::record_count(ctx, p), 7u);

    // One RecordAdded entry per record, naming it, by the doctor; the chain verifies.
    std::vector<std::uint32_t> added_ids;
    for (const auto& e : core::audit_history(ctx, p)) {
        if (e.kind != core::AuditKind::record_added) continue;
        ASSERT_TRUE(e.record_id.has_value());
        added_ids.push_back(*e.record_id);
        EXPECT_EQ(e.number, 1u);
        EXPECT_EQ(e.actor, r.doctor.address());
    }
    EXPECT_EQ(added_ids, (std::vector<std::uint32_t>{1, 2, 3, 4, 5, 6, 7}));
    const auto v = core::verify_audit(ctx, p);
    EXPECT_TRUE(v.ok) << v.message;
}

TEST(RecordsBatch, BatchTransactionsRefuseADoctorWithoutAccessAndBadInputSendsNothing) {
    WithDoctors r;
    auto& ctx = r.f.ctx();
    const auto p = r.patient.address();
    std::vector<core::RecordInput> inputs{{core::RecordKind::condition, condition(r.subject(), "a")},
                                          {core::RecordKind::condition, condition(r.subject(), "b")}};
    bool landed = false;
    try {
        (void)core::add_records_batched(ctx, r.stranger, p, inputs, 2,
                                        [&](std::size_t, std::span<const core::WrittenRecord>) { landed = true; });
        ADD_FAILURE() << "a doctor without access wrote a batch";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::permission_denied) << e.what();
    }
    EXPECT_FALSE(landed);
    EXPECT_EQ(core::record_count(ctx, p), 0u);

    // The transaction size is 1 to 256; a resource of the wrong kind stops the batch before sending.
    EXPECT_THROW((void)core::add_records_batched(ctx, r.doctor, p, inputs, 0), Error);
    EXPECT_THROW((void)core::add_records_batched(ctx, r.doctor, p, inputs, core::kMaxRecordsPerTransaction + 1), Error);
    inputs.push_back({core::RecordKind::medication, condition(r.subject(), "wrong kind")});
    EXPECT_ANY_THROW((void)core::add_records_batched(ctx, r.doctor, p, inputs, 3));
    EXPECT_EQ(core::record_count(ctx, p), 0u);

    // The approved doctor's batch lands; after the patient revokes it, the next one is refused.
    inputs.pop_back();
    EXPECT_EQ(core::add_records_batched(ctx, r.doctor, p, inputs, 2).size(), 2u);
    (void)core::revoke(ctx, r.patient, r.doctor.address());
    try {
        (void)core::add_records_batched(ctx, r.doctor, p, inputs, 2);
        ADD_FAILURE() << "a revoked doctor wrote a batch";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::permission_denied) << e.what();
    }
    EXPECT_EQ(core::record_count(ctx, p), 2u);
}

TEST(RecordsBatch, ARotationWhileTransactionsAreInFlightResealsWhatItRefused) {
    // Transactions are sent a few ahead of the receipts. The patient rotates the key as soon as
    // the first lands: what was sealed under the old epoch and not mined yet is refused by the
    // chain, sealed again under the new key and sent once more; nothing is lost or doubled.
    WithDoctors r;
    auto& ctx = r.f.ctx();
    const auto p = r.patient.address();
    std::vector<core::RecordInput> inputs;
    for (int i = 0; i < 7; ++i)
        inputs.push_back({core::RecordKind::condition, condition(r.subject(), "pipelined " + std::to_string(i))});
    core::Keyring patient_keys(ctx, r.patient);
    std::uint32_t new_epoch = 0;
    std::vector<std::size_t> firsts;
    const auto written = core::add_records_batched(
        ctx, r.doctor, p, inputs, 1,
        [&](std::size_t first, std::span<const core::WrittenRecord>) {
            firsts.push_back(first);
            if (first == 0) new_epoch = core::rotate_key(ctx, r.patient, patient_keys, p).epoch;
        },
        {}, 3);
    ASSERT_EQ(written.size(), inputs.size());
    EXPECT_EQ(firsts, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6}));
    EXPECT_GT(new_epoch, 0u);
    EXPECT_EQ(core::record_count(ctx, p), inputs.size());
    core::Reader doctor_reader(ctx, r.doctor);
    std::set<std::uint32_t> ids;
    for (std::size_t i = 0; i < written.size(); ++i) {
        ids.insert(written[i].record_id);
        const auto rec = core::show_record(ctx, doctor_reader, p, written[i].record_id);
        EXPECT_EQ(rec.document.resource.at("code").at("text"), "pipelined " + std::to_string(i));
    }
    EXPECT_EQ(ids.size(), inputs.size());
    // The last one was sent after the rotation: sealed under the new epoch.
    auto sealed = ctx.store().cat(core::cid_of(written.back().ref));
    const Bytes bytes = ipfs::read_all(*sealed);
    EXPECT_EQ(crypto::ObjectHeader::parse(bytes).id.epoch, new_epoch);
    const auto v = core::verify_audit(ctx, p);
    EXPECT_TRUE(v.ok) << v.message;
}
