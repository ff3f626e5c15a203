#include <gtest/gtest.h>

#include <algorithm>

#include "base/hex.hpp"
#include "dossier/access.hpp"
#include "dossier/doctors.hpp"
#include "dossier/patients.hpp"
#include "eth/keccak.hpp"
#include "fixture.hpp"
#include "support/error_code.hpp"
#include "ipfs/content_store.hpp"

using namespace dossier;

namespace {

fhir::PatientFields alice() {
    fhir::PatientFields f;
    f.given_name = "Alice";
    f.family_name = "Martinez-Okonkwo";
    f.birth_date = "1980-04-02";
    f.gender = "female";
    f.phone = "+33 6 12 34 56 78";
    return f;
}

fhir::PractitionerFields doctor_fields() {
    fhir::PractitionerFields f;
    f.given_name = "Jane";
    f.family_name = "Smith";
    f.specialty = "General practice";
    f.licence_number = "MD-2002";
    return f;
}

eth::PrivateKey verified_doctor(test::CoreFixture& f) {
    auto d = f.funded_key();
    (void)core::register_doctor(f.ctx(), d, doctor_fields());
    core::verify_doctor(f.ctx(), f.admin(), d.address());
    return d;
}

bool contains(ByteView hay, std::string_view needle) {
    const auto n = as_bytes(needle);
    return std::search(hay.begin(), hay.end(), n.begin(), n.end()) != hay.end();
}

}  // namespace

TEST(Patients, ProfileObjectIdIsTheFixedHashPrefix) {
    const Bytes32 id = core::patient_profile_object_id();
    const Bytes32 h = eth::keccak256(as_bytes("dossier/patient-profile"));
    EXPECT_TRUE(std::equal(h.begin(), h.begin() + 31, id.begin()));
    EXPECT_EQ(id[31], 0);
}

TEST(Patients, SelfRegistrationSealsTheProfile) {
    test::CoreFixture f;
    auto& ctx = f.ctx();
    const auto patient = f.funded_key();
    const auto addr = patient.address();
    EXPECT_FALSE(core::patient_info(ctx, addr).registered);

    const auto reg = core::register_patient(ctx, patient, alice());
    EXPECT_EQ(reg.patient, addr);
    EXPECT_EQ(reg.profile.meta[31], ipfs::kCodecRaw);
    EXPECT_EQ(core::object_id_of(reg.profile.meta), core::patient_profile_object_id());

    const auto info = core::patient_info(ctx, addr);
    EXPECT_TRUE(info.registered);
    EXPECT_EQ(info.epoch, 1u);
    EXPECT_EQ(info.records, 0u);
    EXPECT_TRUE(std::equal(info.profile_commitment.begin(), info.profile_commitment.end(), reg.profile.digest.begin()));
    EXPECT_EQ(core::profile_ref(ctx, addr), reg.profile);

    core::Keyring keyring(ctx, patient);
    const fhir::Json profile = core::read_profile(ctx, keyring, addr);
    EXPECT_EQ(profile.at("resourceType"), "Patient");
    EXPECT_EQ(profile.at("id"), addr.to_hex());
    EXPECT_EQ(profile.at("name")[0].at("family"), "Martinez-Okonkwo");
    EXPECT_EQ(profile.at("birthDate"), "1980-04-02");
    EXPECT_TRUE(fhir::validate(profile).empty());

    // Nothing personal in the store or in the registration transaction.
    auto src = ctx.store().cat(core::cid_of(reg.profile));
    const Bytes raw = ipfs::read_all(*src);
    EXPECT_FALSE(contains(raw, "Martinez-Okonkwo"));
    EXPECT_FALSE(contains(raw, "1980-04-02"));
    const auto tx = ctx.rpc().get_transaction(reg.tx_hash);
    ASSERT_TRUE(tx);
    const auto receipt = ctx.rpc().get_transaction_receipt(reg.tx_hash);
    ASSERT_TRUE(receipt);
    for (const auto& log : receipt->logs) EXPECT_FALSE(contains(log.data, "Martinez"));

    // Strangers cannot read it.
    const auto stranger_key = f.funded_key();
    core::Keyring stranger(ctx, stranger_key);
    EXPECT_THROW((void)core::read_profile(ctx, stranger, addr), core::NoAccessError);

    test::expect_code([&] { (void)core::register_patient(ctx, patient, alice()); }, ErrorCode::already_exists);
}

TEST(Patients, ProfileUpdateIsReadBack) {
    test::CoreFixture f;
    auto& ctx = f.ctx();
    const auto patient = f.funded_key();
    const auto addr = patient.address();
    (void)core::register_patient(ctx, patient, alice());
    core::Keyring keyring(ctx, patient);
    auto changed = alice();
    changed.phone = "+33 7 00 00 00 01";
    const core::ObjectRef ref = core::update_profile(ctx, keyring, patient, changed);
    EXPECT_EQ(core::profile_ref(ctx, addr), ref);
    const auto profile = core::read_profile(ctx, keyring, addr);
    EXPECT_NE(profile.dump().find("+33 7 00 00 00 01"), std::string::npos);

    const auto entries = core::patient_entries(ctx, addr);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].kind, core::EntryKind::registered);
    EXPECT_EQ(entries[0].actor, addr);
    EXPECT_EQ(entries[0].seq, 1u);
    EXPECT_EQ(entries[1].kind, core::EntryKind::profile_updated);
    EXPECT_EQ(entries[1].seq, 2u);
    EXPECT_EQ(entries[1].data, ref.digest);
    EXPECT_GE(entries[1].timestamp, entries[0].timestamp);
    EXPECT_LE(entries[1].timestamp, ctx.chain_time());

    // Another account cannot publish a profile for this patient through its own keyring.
    const auto other_key = f.funded_key();
    core::Keyring other(ctx, other_key);
    test::expect_code([&] { (void)core::update_profile(ctx, other, patient, changed); }, ErrorCode::permission_denied);
}

TEST(Patients, ConsentDigestMatchesTheContract) {
    test::CoreFixture f;
    auto& ctx = f.ctx();
    const auto doctor = verified_doctor(f);
    const auto patient = eth::PrivateKey::generate();
    const std::uint64_t now = ctx.chain_time();
    const core::Consent c = core::sign_consent(ctx, patient, doctor.address(), alice(), now + 86400, now + 600);
    const Bytes32 local = eth::eip712::digest(core::consent_typed_data(ctx, c));
    const eth::abi::Value args[] = {eth::abi::Value::address(c.doctor),
                                    eth::abi::Value::fixed_bytes(Bytes(c.profile.digest.begin(), c.profile.digest.end())),
                                    eth::abi::Value::bytes(c.patient_envelope),
                                    eth::abi::Value::bytes(c.doctor_envelope),
                                    eth::abi::Value::uint(c.expiry),
                                    eth::abi::Value::uint(c.deadline)};
    const auto r = ctx.contracts().view(ctx.manifest().patient, chain::gen::PatientContract::fn::consentDigest,
                                        chain::gen::PatientContract::returns::consentDigest, args);
    const Bytes& onchain = r.at(0).as_fixed_bytes().data;
    EXPECT_EQ(Bytes(local.begin(), local.end()), onchain);
    // And the signature recovers to the patient.
    EXPECT_EQ(eth::recover_address(local, eth::Signature::from_bytes(c.signature)), patient.address());
}

TEST(Patients, DoctorRegistersAPatientWhoPaysNothing) {
    test::CoreFixture f;
    auto& ctx = f.ctx();
    const auto doctor = verified_doctor(f);
    const auto patient = eth::PrivateKey::generate();  // no funds at all
    const auto addr = patient.address();
    const std::uint64_t expiry = ctx.chain_time() + 30 * 86400;

    const auto reg = core::register_patient_by_doctor(ctx, doctor, patient, alice(), expiry);
    EXPECT_EQ(ctx.rpc().get_balance(addr), eth::U256(0));
    EXPECT_EQ(ctx.rpc().get_transaction_count(addr), 0u);
    const auto receipt = ctx.rpc().get_transaction_receipt(reg.tx_hash);
    ASSERT_TRUE(receipt);
    EXPECT_EQ(receipt->from, doctor.address());

    const auto info = core::patient_info(ctx, addr);
    EXPECT_EQ(info.epoch, 1u);
    EXPECT_TRUE(core::has_access(ctx, addr, doctor.address()));
    const auto requests = core::list_requests(ctx, addr);
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].doctor, doctor.address());
    EXPECT_EQ(requests[0].state, core::RequestState::approved);
    EXPECT_EQ(requests[0].expiry, expiry);
    EXPECT_EQ(requests[0].epoch, 1u);

    // Both the patient and the doctor read the profile.
    core::Keyring pk(ctx, patient);
    core::Keyring dk(ctx, doctor);
    EXPECT_EQ(core::read_profile(ctx, pk, addr).at("name")[0].at("family"), "Martinez-Okonkwo");
    EXPECT_EQ(core::read_profile(ctx, dk, addr), core::read_profile(ctx, pk, addr));
    const auto entries = core::patient_entries(ctx, addr);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].actor, doctor.address());
}

TEST(Patients, ConsentRefusals) {
    test::CoreFixture f;
    auto& ctx = f.ctx();
    const auto doctor = verified_doctor(f);
    const auto other_doctor = verified_doctor(f);
    const auto unverified = f.funded_key();
    (void)core::register_doctor(ctx, unverified, doctor_fields());
    const auto patient = eth::PrivateKey::generate();
    const std::uint64_t now = ctx.chain_time();

    // An unverified doctor cannot be named in a consent.
    test::expect_code(
        [&] { (void)core::sign_consent(ctx, patient, unverified.address(), alice(), now + 3600, now + 600); },
        ErrorCode::permission_denied);
    test::expect_code([&] { (void)core::sign_consent(ctx, patient, doctor.address(), alice(), now - 1, now + 600); },
                      ErrorCode::invalid_input);

    core::Consent c = core::sign_consent(ctx, patient, doctor.address(), alice(), now + 3600, now + 600);
    // Submitted by another doctor.
    test::expect_code([&] { (void)core::submit_consent(ctx, other_doctor, c); }, ErrorCode::permission_denied);
    // Terms changed after signing: the chain recovers another signer.
    core::Consent changed = c;
    changed.expiry += 86400;
    test::expect_code([&] { (void)core::submit_consent(ctx, doctor, changed); }, ErrorCode::permission_denied,
                      "InvalidConsent");
    // A doctor suspended after the consent was signed cannot use it.
    core::suspend_doctor(ctx, f.admin(), doctor.address());
    test::expect_code([&] { (void)core::submit_consent(ctx, doctor, c); }, ErrorCode::suspended, "NotVerified");
    core::verify_doctor(ctx, f.admin(), doctor.address());
    EXPECT_FALSE(core::patient_info(ctx, patient.address()).registered);
    (void)core::submit_consent(ctx, doctor, c);
    EXPECT_TRUE(core::patient_info(ctx, patient.address()).registered);
    // A consent cannot be replayed.
    test::expect_code([&] { (void)core::submit_consent(ctx, doctor, c); }, ErrorCode::already_exists,
                      "AlreadyRegistered");
}

TEST(Patients, ExpiredConsentIsRefused) {
    test::CoreFixture f;
    auto& ctx = f.ctx();
    const auto doctor = verified_doctor(f);
    const auto patient = eth::PrivateKey::generate();
    const std::uint64_t now = ctx.chain_time();
    const core::Consent c = core::sign_consent(ctx, patient, doctor.address(), alice(), now + 86400, now + 60);
    (void)ctx.rpc().call("evm_increaseTime", nlohmann::json::array({120}));
    (void)ctx.rpc().call("evm_mine");
    test::expect_code([&] { (void)core::submit_consent(ctx, doctor, c); }, ErrorCode::access_expired, "ConsentExpired");
}
