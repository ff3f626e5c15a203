#include <gtest/gtest.h>

#include <algorithm>

#include "dossier/doctors.hpp"
#include "fixture.hpp"
#include "support/error_code.hpp"
#include "ipfs/content_store.hpp"

using namespace dossier;

namespace {

fhir::PractitionerFields jane() {
    fhir::PractitionerFields f;
    f.given_name = "Jane";
    f.family_name = "Smith";
    f.specialty = "Cardiology";
    f.licence_number = "MD-1001";
    return f;
}

}  // namespace

TEST(Doctors, RegisterPublishesKeyAndPlaintextPractitioner) {
    test::CoreFixture f;
    auto& ctx = f.ctx();
    const auto doctor = f.funded_key();
    const auto reg = core::register_doctor(ctx, doctor, jane());
    EXPECT_EQ(reg.doctor, doctor.address());
    EXPECT_EQ(reg.profile_cid.codec, ipfs::kCodecRaw);
    EXPECT_EQ(reg.profile_cid.hash.digest, reg.profile_digest);
    EXPECT_EQ(core::profile_cid(reg.profile_digest), reg.profile_cid);

    const core::DoctorInfo info = core::doctor_info(ctx, doctor.address());
    EXPECT_EQ(info.status, core::DoctorStatus::registered);
    EXPECT_GT(info.since, 0u);
    ASSERT_TRUE(info.public_key.has_value());
    EXPECT_EQ(*info.public_key, doctor.public_key());
    EXPECT_EQ(core::doctor_public_key(ctx, doctor.address()), doctor.public_key());
    ASSERT_TRUE(info.profile_digest.has_value());
    EXPECT_EQ(*info.profile_digest, reg.profile_digest);
    ASSERT_TRUE(info.profile.has_value());
    EXPECT_EQ(info.profile->at("resourceType"), "Practitioner");
    EXPECT_EQ(info.profile->at("id"), doctor.address().to_hex());
    EXPECT_EQ(info.profile->at("name")[0].at("family"), "Smith");
    EXPECT_TRUE(fhir::validate(*info.profile).empty());

    // The stored block is the plaintext JSON (public by design), whose digest is on chain.
    auto src = ctx.store().cat(reg.profile_cid);
    const Bytes raw = ipfs::read_all(*src);
    EXPECT_EQ(fhir::Json::parse(as_chars(raw)), *info.profile);
}

TEST(Doctors, ContractErrorsMapToCodes) {
    EXPECT_EQ(core::revert_code("NotVerified"), ErrorCode::permission_denied);
    EXPECT_EQ(core::revert_code("NoActiveGrant"), ErrorCode::permission_denied);
    EXPECT_EQ(core::revert_code("ConsentExpired"), ErrorCode::access_expired);
    EXPECT_EQ(core::revert_code("UnknownPatient"), ErrorCode::not_found);
    EXPECT_EQ(core::revert_code("AlreadyRegistered"), ErrorCode::already_exists);
    EXPECT_EQ(core::revert_code("StaleVersion"), ErrorCode::conflict);
    EXPECT_EQ(core::revert_code("InvalidExpiry"), ErrorCode::invalid_input);
    // Unmapped names (and none) stay reverted.
    EXPECT_EQ(core::revert_code("ChainFull"), ErrorCode::reverted);
    EXPECT_EQ(core::revert_code(""), ErrorCode::reverted);
}

TEST(Doctors, RegisteringTwiceIsRefused) {
    test::CoreFixture f;
    const auto doctor = f.funded_key();
    (void)core::register_doctor(f.ctx(), doctor, jane());
    test::expect_code([&] { (void)core::register_doctor(f.ctx(), doctor, jane()); }, ErrorCode::already_exists);
}

TEST(Doctors, InvalidFieldsAreRejectedBeforeAnythingIsSent) {
    test::CoreFixture f;
    const auto doctor = f.funded_key();
    auto fields = jane();
    fields.id = "not a valid id!";
    EXPECT_THROW((void)core::register_doctor(f.ctx(), doctor, fields), fhir::InvalidResourceError);
    EXPECT_EQ(core::doctor_status(f.ctx(), doctor.address()), core::DoctorStatus::none);
}

TEST(Doctors, AuthorityVerifiesAndSuspendsOthersCannot) {
    test::CoreFixture f;
    auto& ctx = f.ctx();
    const auto doctor = f.funded_key();
    const auto stranger = f.funded_key();
    (void)core::register_doctor(ctx, doctor, jane());

    test::expect_code([&] { core::verify_doctor(ctx, stranger, doctor.address()); }, ErrorCode::permission_denied,
                      "OwnableUnauthorizedAccount");
    EXPECT_EQ(core::doctor_status(ctx, doctor.address()), core::DoctorStatus::registered);

    core::verify_doctor(ctx, f.admin(), doctor.address());
    EXPECT_EQ(core::doctor_info(ctx, doctor.address()).status, core::DoctorStatus::verified);
    const auto twice = test::expect_code([&] { core::verify_doctor(ctx, f.admin(), doctor.address()); },
                                         ErrorCode::invalid_input, "InvalidStatus");
    // The message says which state the doctor is in.
    EXPECT_NE(test::message_of(twice).find("from status 'verified'"), std::string::npos) << test::message_of(twice);
    test::expect_code([&] { core::suspend_doctor(ctx, stranger, doctor.address()); }, ErrorCode::permission_denied,
                      "OwnableUnauthorizedAccount");
    core::suspend_doctor(ctx, f.admin(), doctor.address());
    EXPECT_EQ(core::doctor_status(ctx, doctor.address()), core::DoctorStatus::suspended);
    core::verify_doctor(ctx, f.admin(), doctor.address());
    EXPECT_EQ(core::doctor_status(ctx, doctor.address()), core::DoctorStatus::verified);

    // An account that never registered cannot be verified.
    test::expect_code([&] { core::verify_doctor(ctx, f.admin(), stranger.address()); }, ErrorCode::invalid_input,
                      "InvalidStatus");
}

TEST(Doctors, UnknownAccountHasNoStatusNorKey) {
    test::CoreFixture f;
    const auto nobody = eth::PrivateKey::generate().address();
    const auto info = core::doctor_info(f.ctx(), nobody);
    EXPECT_EQ(info.status, core::DoctorStatus::none);
    EXPECT_FALSE(info.public_key);
    EXPECT_FALSE(info.profile);
    test::expect_code([&] { (void)core::doctor_public_key(f.ctx(), nobody); }, ErrorCode::not_found);
    EXPECT_STREQ(core::to_string(core::DoctorStatus::suspended), "suspended");
}

TEST(Doctors, ProfileUpdatesAndListing) {
    test::CoreFixture f;
    auto& ctx = f.ctx();
    const auto a = f.funded_key();
    const auto b = f.funded_key();
    EXPECT_TRUE(core::list_doctors(ctx).empty());
    (void)core::register_doctor(ctx, a, jane());
    auto bf = jane();
    bf.given_name = "Paul";
    bf.family_name = "Lee";
    bf.specialty = "Dermatology";
    (void)core::register_doctor(ctx, b, bf);
    core::verify_doctor(ctx, f.admin(), b.address());

    auto updated = jane();
    updated.specialty = "Cardiac surgery";
    const Bytes32 digest = core::update_doctor_profile(ctx, a, updated);
    const auto info = core::doctor_info(ctx, a.address());
    EXPECT_EQ(info.profile_digest, digest);
    ASSERT_TRUE(info.profile);
    EXPECT_NE(info.profile->dump().find("Cardiac surgery"), std::string::npos);

    test::expect_code([&] { (void)core::update_doctor_profile(ctx, f.funded_key(), jane()); }, ErrorCode::not_found);

    const auto all = core::list_doctors(ctx);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].address, a.address());
    EXPECT_EQ(all[0].status, core::DoctorStatus::registered);
    EXPECT_EQ(all[0].profile_digest, digest);
    EXPECT_EQ(all[1].address, b.address());
    EXPECT_EQ(all[1].status, core::DoctorStatus::verified);
    ASSERT_TRUE(all[1].profile);
    EXPECT_EQ(all[1].profile->at("name")[0].at("family"), "Lee");
    EXPECT_EQ(all[1].public_key, b.public_key());
}
