#include <gtest/gtest.h>

#include "dossier/access.hpp"
#include "dossier/audit.hpp"
#include "dossier/doctors.hpp"
#include "dossier/patients.hpp"
#include "dossier/records.hpp"
#include "eth/rpc_error.hpp"
#include "eth/uint256.hpp"
#include "fhir/builders.hpp"
#include "fixture.hpp"
#include "support/error_code.hpp"

using namespace dossier;

namespace {

/// A registered patient, a verified doctor with an active grant, a verified doctor whose request
/// the patient denied, and a funded account that is neither.
struct Care {
    test::CoreFixture f;
    eth::PrivateKey patient = f.funded_key();
    eth::PrivateKey doctor = f.funded_key();
    eth::PrivateKey denied = f.funded_key();
    eth::PrivateKey stranger = f.funded_key();

    Care() {
        auto& ctx = f.ctx();
        fhir::PatientFields p;
        p.given_name = "Alice";
        p.family_name = "Martin";
        p.birth_date = "1980-04-02";
        (void)core::register_patient(ctx, patient, p);
        for (const auto* d : {&doctor, &denied}) {
            fhir::PractitionerFields pf;
            pf.given_name = "Jane";
            pf.family_name = "Smith";
            pf.specialty = "Cardiology";
            pf.licence_number = "L-1";
            (void)core::register_doctor(ctx, *d, pf);
            core::verify_doctor(ctx, f.admin(), d->address());
            core::request_access(ctx, *d, patient.address());
        }
        core::approve(ctx, patient, doctor.address(), ctx.chain_time() + 3600);
        core::deny(ctx, patient, denied.address());
    }
    core::Context& ctx() { return f.ctx(); }
    eth::Address who() const { return patient.address(); }
    std::string subject() const { return fhir::reference_to("Patient", patient.address().to_hex()); }
};

fhir::Json condition(const std::string& subject, const std::string& text, const std::string& status = "active") {
    fhir::ConditionFields c;
    c.subject = subject;
    c.code_text = text;
    c.clinical_status = status;
    c.onset = "2019-03-01";
    return fhir::condition(c);
}

std::map<core::RecordKind, fhir::Json> one_of_each(const std::string& subject) {
    std::map<core::RecordKind, fhir::Json> out;
    out[core::RecordKind::condition] = condition(subject, "Type 2 diabetes mellitus");
    fhir::MedicationFields m;
    m.subject = subject;
    m.medication_text = "Metformin 500 mg tablet";
    m.dosage_text = "500 mg twice daily";
    out[core::RecordKind::medication] = fhir::medication_statement(m);
    fhir::AllergyFields a;
    a.patient = subject;
    a.substance_text = "Penicillin";
    a.criticality = "high";
    a.reaction_text = "Hives";
    out[core::RecordKind::allergy] = fhir::allergy_intolerance(a);
    fhir::AppointmentFields ap;
    ap.start = "2031-01-10T09:00:00Z";
    ap.end = "2031-01-10T09:30:00Z";
    ap.description = "Cardiology follow-up";
    ap.participants.push_back({subject, "Alice Martin", "accepted"});
    out[core::RecordKind::appointment] = fhir::appointment(ap);
    fhir::NoteFields n;
    n.subject = subject;
    n.title = "Consultation";
    n.text = "Blood pressure 130/85. Continue current treatment.";
    out[core::RecordKind::note] = fhir::clinical_note(n);
    return out;
}

std::uint64_t nonce_of(core::Context& ctx, const eth::Address& a) {
    return ctx.rpc().get_transaction_count(a, eth::BlockRef::latest());
}

}  // namespace

TEST(RecordDocument, BuildsParsesAndRejects) {
    const auto author = eth::PrivateKey::generate().address();
    const auto subject = fhir::reference_to("Patient", author.to_hex());
    core::RecordDocument doc{core::RecordKind::condition, condition(subject, "Asthma"), author, 1700000000};
    const std::string text = core::build_record_document(doc);
    // Padded to a size class: a short diagnosis and a longer one seal to the same size.
    EXPECT_EQ(text.size(), 1024u);
    core::RecordDocument longer{core::RecordKind::condition,
                                condition(subject, "Asthma, moderate persistent, with seasonal exacerbations"), author,
                                1700000000};
    EXPECT_EQ(core::build_record_document(longer).size(), text.size());
    const auto back = core::parse_record_document(as_bytes(text));
    EXPECT_EQ(back.kind, core::RecordKind::condition);
    EXPECT_EQ(back.resource, doc.resource);
    EXPECT_EQ(back.author, author);
    EXPECT_EQ(back.created, 1700000000u);
    for (auto k : {core::RecordKind::condition, core::RecordKind::medication, core::RecordKind::allergy,
                   core::RecordKind::appointment, core::RecordKind::note, core::RecordKind::file})
        EXPECT_EQ(core::parse_kind(core::kind_name(k)), k);
    EXPECT_THROW((void)core::parse_kind("diagnosis"), core::InvalidRecordDocumentError);

    auto j = fhir::Json::parse(text);
    j["format"] = "dossier-record/2";
    EXPECT_THROW((void)core::parse_record_document(as_bytes(j.dump())), core::InvalidRecordDocumentError);
    j = fhir::Json::parse(text);
    j["kind"] = "medication";  // a Condition in a medication record
    EXPECT_THROW((void)core::parse_record_document(as_bytes(j.dump())), core::InvalidRecordDocumentError);
    j = fhir::Json::parse(text);
    j["resource"]["onsetDateTime"] = "2019-02-30";
    EXPECT_THROW((void)core::parse_record_document(as_bytes(j.dump())), fhir::InvalidResourceError);
    j = fhir::Json::parse(text);
    j.erase("author");
    EXPECT_THROW((void)core::parse_record_document(as_bytes(j.dump())), core::InvalidRecordDocumentError);
    EXPECT_THROW((void)core::parse_record_document(as_bytes(std::string("{not json"))),
                 core::InvalidRecordDocumentError);
    // A note is inline text, a file names its object.
    const auto kinds = one_of_each(subject);
    EXPECT_EQ(core::kind_of_resource(kinds.at(core::RecordKind::note)), core::RecordKind::note);
    EXPECT_EQ(core::kind_of_resource(kinds.at(core::RecordKind::allergy)), core::RecordKind::allergy);
    fhir::FileFields ff;
    ff.subject = subject;
    ff.content_type = "application/pdf";
    ff.title = "scan.pdf";
    ff.size = 12;
    ff.cid = "x";
    auto file = fhir::file_reference(ff);
    EXPECT_THROW(core::check_record_resource(core::RecordKind::file, file), core::InvalidRecordDocumentError);
    Bytes32 meta{};
    meta[0] = 0xab;
    meta[31] = 0x55;
    file["content"][0]["attachment"]["url"] = core::object_url(meta);
    EXPECT_NO_THROW(core::check_record_resource(core::RecordKind::file, file));
    EXPECT_EQ(core::kind_of_resource(file), core::RecordKind::file);
    const auto d = core::describe_file(file);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->name, "scan.pdf");
    EXPECT_EQ(d->size, 12u);
    EXPECT_EQ(d->meta, meta);
}

TEST(Records, EveryKindRoundTripsAndIsListed) {
    Care c;
    const auto resources = one_of_each(c.subject());
    std::map<std::uint32_t, core::RecordKind> ids;
    for (const auto& [kind, resource] : resources) {
        const auto w = core::add_record(c.ctx(), c.doctor, c.who(), kind, resource);
        EXPECT_EQ(w.version, 1u);
        ids[w.record_id] = kind;
    }
    ASSERT_EQ(ids.size(), 5u);
    EXPECT_EQ(core::record_count(c.ctx(), c.who()), 5u);

    core::Reader patient(c.ctx(), c.patient);
    for (const auto& [id, kind] : ids) {
        const auto r = core::show_record(c.ctx(), patient, c.who(), id);
        EXPECT_EQ(r.document.kind, kind);
        EXPECT_EQ(r.document.resource, resources.at(kind));
        EXPECT_EQ(r.document.author, c.doctor.address());
        EXPECT_EQ(r.info.author, c.doctor.address());
        EXPECT_EQ(r.info.version, 1u);
        EXPECT_EQ(r.latest_version, 1u);
        EXPECT_GT(r.info.timestamp, 0u);
    }
    const auto list = core::list_records(c.ctx(), patient, c.who());
    ASSERT_EQ(list.size(), 5u);
    for (const auto& l : list) {
        EXPECT_TRUE(l.readable) << l.summary;
        ASSERT_TRUE(l.kind);
        EXPECT_EQ(*l.kind, ids.at(l.record_id));
    }
    const auto& diabetes =
        *std::find_if(list.begin(), list.end(), [](const auto& l) { return l.kind == core::RecordKind::condition; });
    EXPECT_NE(diabetes.summary.find("Type 2 diabetes mellitus"), std::string::npos) << diabetes.summary;

    // The doctor reads too (and the patient wrote one itself).
    core::Reader doctor(c.ctx(), c.doctor);
    const auto own = core::add_record(c.ctx(), c.patient, c.who(), core::RecordKind::condition,
                                      condition(c.subject(), "Seasonal rhinitis"));
    EXPECT_EQ(own.record_id, 6u);
    const auto seen = core::show_record(c.ctx(), doctor, c.who(), own.record_id);
    EXPECT_EQ(seen.document.author, c.patient.address());
}

TEST(Records, UpdateAddsVersionsAndKeepsThePreviousReadable) {
    Care c;
    const auto v1 = core::add_record(c.ctx(), c.doctor, c.who(), core::RecordKind::condition,
                                     condition(c.subject(), "Hypertension"));
    const auto v2 = core::update_record(c.ctx(), c.patient, c.who(), v1.record_id,
                                        condition(c.subject(), "Hypertension", "remission"));
    const auto v3 = core::update_record(c.ctx(), c.doctor, c.who(), v1.record_id,
                                        condition(c.subject(), "Hypertension", "resolved"));
    EXPECT_EQ(v2.record_id, v1.record_id);
    EXPECT_EQ(v2.version, 2u);
    EXPECT_EQ(v3.version, 3u);
    // One object id for every version.
    EXPECT_EQ(core::object_id_of(v2.ref.meta), core::object_id_of(v1.ref.meta));
    EXPECT_EQ(core::object_id_of(v3.ref.meta), core::object_id_of(v1.ref.meta));

    const auto h = core::record_history(c.ctx(), c.who(), v1.record_id);
    ASSERT_EQ(h.size(), 3u);
    EXPECT_EQ(h[0].version, 1u);
    EXPECT_EQ(h[1].version, 2u);
    EXPECT_EQ(h[2].version, 3u);
    EXPECT_EQ(h[0].previous, Bytes32{});
    EXPECT_EQ(h[1].previous, h[0].ref.digest);
    EXPECT_EQ(h[2].previous, h[1].ref.digest);
    EXPECT_EQ(h[0].author, c.doctor.address());
    EXPECT_EQ(h[1].author, c.patient.address());
    EXPECT_EQ(h[2].author, c.doctor.address());
    EXPECT_LE(h[0].block, h[1].block);
    EXPECT_LE(h[1].timestamp, h[2].timestamp);
    EXPECT_EQ(h[2].ref, v3.ref);

    core::Reader reader(c.ctx(), c.patient);
    const auto first = core::show_record(c.ctx(), reader, c.who(), v1.record_id, 1);
    EXPECT_EQ(first.document.resource["clinicalStatus"]["coding"][0]["code"], "active");
    EXPECT_EQ(first.latest_version, 3u);
    const auto latest = core::show_record(c.ctx(), reader, c.who(), v1.record_id);
    EXPECT_EQ(latest.info.version, 3u);
    EXPECT_EQ(latest.document.resource["clinicalStatus"]["coding"][0]["code"], "resolved");
    test::expect_code([&] { (void)core::show_record(c.ctx(), reader, c.who(), v1.record_id, 4); },
                      ErrorCode::not_found);
    test::expect_code([&] { (void)core::show_record(c.ctx(), reader, c.who(), 99); }, ErrorCode::not_found);
    test::expect_code([&] { (void)core::update_record(c.ctx(), c.patient, c.who(), 99, condition(c.subject(), "X")); },
                      ErrorCode::not_found);

    // A writer that missed version 3 (names version 2 as the latest) is told the record changed.
    namespace abi = eth::abi;
    const abi::Value args[] = {abi::Value::address(c.who()), abi::Value::uint(v1.record_id),
                               abi::Value::uint(core::patient_info(c.ctx(), c.who()).epoch),
                               abi::Value::fixed_bytes(Bytes(v2.ref.digest.begin(), v2.ref.digest.end())),
                               abi::Value::fixed_bytes(Bytes(32, 7)), abi::Value::fixed_bytes(Bytes(32, 7))};
    test::expect_code(
        [&] {
            try {
                (void)c.ctx().contracts().transact(c.ctx().sender(c.patient), c.ctx().manifest().patient,
                                                   chain::gen::PatientContract::fn::updateRecord, args);
            } catch (const eth::RevertedError&) {
                core::rethrow_write_error(c.ctx(), c.patient.address(), c.who(), v1.record_id);
            }
        },
        ErrorCode::conflict, "StaleVersion");
    EXPECT_EQ(core::record_history(c.ctx(), c.who(), v1.record_id).size(), 3u);
}

TEST(Records, StrangersAndDeniedDoctorsAreRefused) {
    Care c;
    const auto w = core::add_record(c.ctx(), c.doctor, c.who(), core::RecordKind::condition,
                                    condition(c.subject(), "Migraine"));
    // Writing: without a key the client refuses before sending; the chain refuses the rest.
    for (const auto* who : {&c.denied, &c.stranger})
        test::expect_code([&] { (void)core::add_record(c.ctx(), *who, c.who(), core::RecordKind::condition,
                                                       condition(c.subject(), "Forged")); },
                          ErrorCode::permission_denied);
    namespace abi = eth::abi;
    for (const auto* who : {&c.denied, &c.stranger}) {
        const abi::Value args[] = {abi::Value::address(c.who()), abi::Value::uint(1),
                                   abi::Value::fixed_bytes(Bytes(32, 1)), abi::Value::fixed_bytes(Bytes(32, 2))};
        // The denied doctor is verified but holds no grant; the stranger is no doctor at all.
        const auto refused = test::expect_code(
            [&] {
                try {
                    (void)c.ctx().contracts().transact(c.ctx().sender(*who), c.ctx().manifest().patient,
                                                       chain::gen::PatientContract::fn::addRecord, args);
                } catch (const eth::RevertedError&) {
                    core::rethrow_write_error(c.ctx(), who->address(), c.who(), 0);
                }
            },
            ErrorCode::permission_denied, who == &c.denied ? "NoActiveGrant" : "NotVerified");
        // The message names the refused account.
        EXPECT_NE(test::message_of(refused).find(who->address().to_checksum()), std::string::npos)
            << test::message_of(refused);
    }
    EXPECT_EQ(core::record_count(c.ctx(), c.who()), 1u);

    // Reading: no key, and the chain refuses to log their access.
    core::Reader denied(c.ctx(), c.denied);
    core::Reader stranger(c.ctx(), c.stranger);
    test::expect_code([&] { (void)core::show_record(c.ctx(), denied, c.who(), w.record_id); },
                      ErrorCode::permission_denied, "NoActiveGrant");
    test::expect_code([&] { (void)core::show_record(c.ctx(), stranger, c.who(), w.record_id); },
                      ErrorCode::permission_denied, "NotVerified");
    EXPECT_THROW((void)core::show_record(c.ctx(), denied, c.who(), w.record_id, std::nullopt, {.log_access = false}),
                 core::NoAccessError);
    EXPECT_THROW((void)core::list_records(c.ctx(), stranger, c.who()), core::NoAccessError);
    const auto quiet = core::list_records(c.ctx(), stranger, c.who(), {.log_access = false});
    ASSERT_EQ(quiet.size(), 1u);
    EXPECT_FALSE(quiet[0].readable);
}

TEST(Records, AnExpiredGrantIsRefusedByTheChain) {
    Care c;
    const auto w = core::add_record(c.ctx(), c.doctor, c.who(), core::RecordKind::condition,
                                    condition(c.subject(), "Gout"));
    (void)c.f.anvil().raw_call(R"({"jsonrpc":"2.0","id":1,"method":"evm_increaseTime","params":[7200]})");
    (void)c.f.anvil().raw_call(R"({"jsonrpc":"2.0","id":2,"method":"evm_mine","params":[]})");
    // The doctor still holds the epoch key, but the contract refuses its write...
    test::expect_code([&] { (void)core::add_record(c.ctx(), c.doctor, c.who(), core::RecordKind::condition,
                                                   condition(c.subject(), "Late entry")); },
                      ErrorCode::access_expired, "NoActiveGrant");
    // ...and its logged read; only an unlogged read (its own choice) still opens what it could open.
    core::Reader doctor(c.ctx(), c.doctor);
    test::expect_code([&] { (void)core::show_record(c.ctx(), doctor, c.who(), w.record_id); },
                      ErrorCode::access_expired, "NoActiveGrant");
    const auto r = core::show_record(c.ctx(), doctor, c.who(), w.record_id, std::nullopt, {.log_access = false});
    EXPECT_EQ(r.info.version, 1u);
}

TEST(Records, ASuspendedDoctorIsRefusedAsSuspended) {
    Care c;
    const auto w = core::add_record(c.ctx(), c.doctor, c.who(), core::RecordKind::condition,
                                    condition(c.subject(), "Angina"));
    core::suspend_doctor(c.ctx(), c.f.admin(), c.doctor.address());
    // Its grant is still active and it holds the key: the chain refuses because it is suspended.
    test::expect_code([&] { (void)core::add_record(c.ctx(), c.doctor, c.who(), core::RecordKind::condition,
                                                   condition(c.subject(), "After suspension")); },
                      ErrorCode::suspended, "NotVerified");
    test::expect_code([&] { (void)core::update_record(c.ctx(), c.doctor, c.who(), w.record_id,
                                                      condition(c.subject(), "Angina", "resolved")); },
                      ErrorCode::suspended, "NotVerified");
    core::Reader doctor(c.ctx(), c.doctor);
    test::expect_code([&] { (void)core::show_record(c.ctx(), doctor, c.who(), w.record_id); }, ErrorCode::suspended,
                      "NotVerified");
    EXPECT_EQ(core::record_count(c.ctx(), c.who()), 1u);
}

TEST(Records, MalformedFhirIsRejectedBeforeAnythingIsSent) {
    Care c;
    const auto nonce = nonce_of(c.ctx(), c.doctor.address());
    const auto pins = c.ctx().store().pins().size();
    auto bad = condition(c.subject(), "Asthma");
    bad["onsetDateTime"] = "2019-02-30";
    try {
        (void)core::add_record(c.ctx(), c.doctor, c.who(), core::RecordKind::condition, bad);
        FAIL() << "an invalid Condition was accepted";
    } catch (const fhir::InvalidResourceError& e) {
        EXPECT_NE(std::string(e.what()).find("onsetDateTime"), std::string::npos) << e.what();
    }
    auto unknown = condition(c.subject(), "Asthma");
    unknown["diagnosisText"] = "Asthma";
    try {
        (void)core::add_record(c.ctx(), c.doctor, c.who(), core::RecordKind::condition, unknown);
        FAIL() << "an unknown element was accepted";
    } catch (const fhir::InvalidResourceError& e) {
        EXPECT_NE(std::string(e.what()).find("diagnosisText"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)core::add_record(c.ctx(), c.doctor, c.who(), core::RecordKind::medication,
                                        condition(c.subject(), "Asthma")),
                 core::InvalidRecordDocumentError);
    const auto w = core::add_record(c.ctx(), c.doctor, c.who(), core::RecordKind::condition,
                                    condition(c.subject(), "Asthma"));
    EXPECT_THROW((void)core::update_record(c.ctx(), c.doctor, c.who(), w.record_id, bad), fhir::InvalidResourceError);
    EXPECT_EQ(nonce_of(c.ctx(), c.doctor.address()), nonce + 1);  // only the valid add
    EXPECT_EQ(c.ctx().store().pins().size(), pins + 1);
    EXPECT_EQ(core::record_history(c.ctx(), c.who(), w.record_id).size(), 1u);
}
