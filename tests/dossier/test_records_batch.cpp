#include <gtest/gtest.h>

#include <set>

#include "dossier/patients.hpp"
#include "dossier/records.hpp"
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
