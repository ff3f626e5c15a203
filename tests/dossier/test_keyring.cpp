#include <gtest/gtest.h>

#include "crypto/ecies.hpp"
#include "dossier/access.hpp"
#include "dossier/doctors.hpp"
#include "dossier/keyring.hpp"
#include "dossier/patients.hpp"
#include "fixture.hpp"
#include "support/error_code.hpp"

using namespace dossier;

namespace {

fhir::PatientFields bob() {
    fhir::PatientFields f;
    f.given_name = "Bob";
    f.family_name = "Durand";
    f.birth_date = "1975-11-30";
    return f;
}

fhir::PractitionerFields doctor_fields() {
    fhir::PractitionerFields f;
    f.given_name = "Jane";
    f.family_name = "Smith";
    f.specialty = "Cardiology";
    f.licence_number = "MD-1001";
    return f;
}

}  // namespace

TEST(Keyring, WrapEpochKeyOpensOnlyForItsRecipientPatientAndEpoch) {
    const auto recipient = eth::PrivateKey::generate();
    const auto patient = eth::PrivateKey::generate().address();
    const auto key = core::new_data_key();
    EXPECT_FALSE(key == core::new_data_key());
    const Bytes env = core::wrap_epoch_key(key, patient, 3, recipient.public_key());
    EXPECT_EQ(env.size(), crypto::kKeyEnvelopeSize);
    EXPECT_TRUE(crypto::unwrap_key(env, recipient, crypto::key_envelope_aad(patient, 3)) == key);
    EXPECT_THROW((void)crypto::unwrap_key(env, recipient, crypto::key_envelope_aad(patient, 4)), crypto::EnvelopeOpenError);
    EXPECT_THROW((void)crypto::unwrap_key(env, eth::PrivateKey::generate(), crypto::key_envelope_aad(patient, 3)),
                 crypto::EnvelopeOpenError);
}

TEST(Keyring, PatientReadsItsOwnEpochKeysFromTheChain) {
    test::CoreFixture f;
    auto& ctx = f.ctx();
    const auto patient = f.funded_key();
    const auto addr = patient.address();
    core::Keyring keyring(ctx, patient);
    EXPECT_EQ(keyring.reader(), addr);
    EXPECT_EQ(keyring.current_epoch(addr), 0u);
    test::expect_code([&] { (void)keyring.current(addr); }, ErrorCode::not_found);  // not registered yet

    (void)core::register_patient(ctx, patient, bob());
    EXPECT_EQ(keyring.current_epoch(addr), 1u);
    const core::EpochKey k1 = keyring.current(addr);
    EXPECT_EQ(k1.epoch, 1u);
    EXPECT_TRUE(keyring.key(addr, 1) == k1.key);
    EXPECT_THROW((void)keyring.key(addr, 2), core::NoAccessError);

    // Another reader cannot unwrap the patient's envelope.
    const auto stranger_key = eth::PrivateKey::generate();
    core::Keyring stranger(ctx, stranger_key);
    EXPECT_THROW((void)stranger.key(addr, 1), core::NoAccessError);
}

TEST(Keyring, DoctorGetsTheSameKeyOnApprovalAndTheNextEpochOnlyIfKept) {
    test::CoreFixture f;
    auto& ctx = f.ctx();
    const auto patient = f.funded_key();
    const auto addr = patient.address();
    const auto d1 = f.funded_key();
    const auto d2 = f.funded_key();
    for (const auto* d : {&d1, &d2}) {
        (void)core::register_doctor(ctx, *d, doctor_fields());
        core::verify_doctor(ctx, f.admin(), d->address());
    }
    (void)core::register_patient(ctx, patient, bob());
    const std::uint64_t expiry = ctx.chain_time() + 86400;
    for (const auto* d : {&d1, &d2}) {
        core::request_access(ctx, *d, addr);
        core::approve(ctx, patient, d->address(), expiry);
    }
    core::Keyring pk(ctx, patient);
    core::Keyring k1(ctx, d1);
    core::Keyring k2(ctx, d2);
    EXPECT_TRUE(k1.key(addr, 1) == pk.key(addr, 1));
    EXPECT_TRUE(k2.current(addr).key == pk.current(addr).key);

    const auto result = core::revoke(ctx, patient, d1.address());
    EXPECT_EQ(result.new_epoch, 2u);
    pk.clear();
    const core::EpochKey e2 = pk.current(addr);
    EXPECT_EQ(e2.epoch, 2u);
    EXPECT_FALSE(e2.key == pk.key(addr, 1));
    EXPECT_TRUE(k2.key(addr, 2) == e2.key);
    EXPECT_THROW((void)k1.key(addr, 2), core::NoAccessError);
    EXPECT_TRUE(k1.key(addr, 1) == pk.key(addr, 1));  // what was shared stays shared
}
