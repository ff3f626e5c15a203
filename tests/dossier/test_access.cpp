#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "base/file_lock.hpp"
#include "dossier/access.hpp"
#include "dossier/doctors.hpp"
#include "dossier/patients.hpp"
#include "dossier/sealed_store.hpp"
#include "fixture.hpp"
#include "support/error_code.hpp"

using namespace dossier;

namespace {

fhir::PatientFields carol() {
    fhir::PatientFields f;
    f.given_name = "Carol";
    f.family_name = "Nguyen";
    f.birth_date = "1992-07-15";
    return f;
}

fhir::PractitionerFields doctor_fields(const std::string& family) {
    fhir::PractitionerFields f;
    f.given_name = "Sam";
    f.family_name = family;
    f.specialty = "Neurology";
    f.licence_number = "MD-" + family;
    return f;
}

bool mentions(const std::exception& e, const std::string& what) {
    return std::string(e.what()).find(what) != std::string::npos;
}

/// A deployment with a registered patient and helpers for doctors.
struct Desk {
    test::CoreFixture f;
    core::Context& ctx = f.ctx();
    eth::PrivateKey patient = f.funded_key();
    eth::Address addr = patient.address();

    Desk() { (void)core::register_patient(ctx, patient, carol()); }

    eth::PrivateKey doctor(bool verified = true) {
        auto d = f.funded_key();
        (void)core::register_doctor(ctx, d, doctor_fields("D" + d.address().to_hex().substr(2, 6)));
        if (verified) core::verify_doctor(ctx, f.admin(), d.address());
        return d;
    }
    std::uint64_t in(std::uint64_t seconds) { return ctx.chain_time() + seconds; }
    core::AccessRequest state_of(const eth::Address& d) { return core::request_of(ctx, addr, d); }
    void advance(std::uint64_t seconds) {
        (void)ctx.rpc().call("evm_increaseTime", nlohmann::json::array({seconds}));
        (void)ctx.rpc().call("evm_mine");
    }
    /// Seals a small document under the patient's current epoch, as the patient would.
    core::ObjectRef seal(const std::string& text) {
        core::Keyring k(ctx, patient);
        auto src = ipfs::source_from_bytes(as_bytes(text));
        return core::store_sealed(ctx, k.current(addr), addr, core::new_object_id(), 1, *src, text.size());
    }
    std::string open(const eth::PrivateKey& reader, const core::ObjectRef& ref) {
        core::Keyring k(ctx, reader);
        const Bytes b = core::open_sealed_bytes(ctx, k, addr, 1, ref);
        return std::string(as_chars(b));
    }
};

}  // namespace

TEST(Access, RequestApproveAndRead) {
    Desk d;
    const auto doc = d.doctor();
    EXPECT_TRUE(core::list_requests(d.ctx, d.addr).empty());
    EXPECT_EQ(d.state_of(doc.address()).state, core::RequestState::none);

    core::request_access(d.ctx, doc, d.addr);
    auto r = d.state_of(doc.address());
    EXPECT_EQ(r.state, core::RequestState::pending);
    EXPECT_GT(r.requested_at, 0u);
    EXPECT_FALSE(core::has_access(d.ctx, d.addr, doc.address()));
    core::Keyring dk(d.ctx, doc);
    EXPECT_THROW((void)core::read_profile(d.ctx, dk, d.addr), core::NoAccessError);
    test::expect_code([&] { core::request_access(d.ctx, doc, d.addr); }, ErrorCode::already_exists, "RequestPending");

    const std::uint64_t expiry = d.in(7 * 86400);
    core::approve(d.ctx, d.patient, doc.address(), expiry);
    r = d.state_of(doc.address());
    EXPECT_EQ(r.state, core::RequestState::approved);
    EXPECT_EQ(r.expiry, expiry);
    EXPECT_EQ(r.epoch, 1u);
    EXPECT_TRUE(core::has_access(d.ctx, d.addr, doc.address()));
    EXPECT_EQ(core::read_profile(d.ctx, dk, d.addr).at("name")[0].at("family"), "Nguyen");
    test::expect_code([&] { core::request_access(d.ctx, doc, d.addr); }, ErrorCode::already_exists, "AlreadyApproved");
    EXPECT_STREQ(core::to_string(r.state), "approved");
}

TEST(Access, UnverifiedOrSuspendedDoctorCannotRequest) {
    Desk d;
    const auto registered_only = d.doctor(false);
    test::expect_code([&] { core::request_access(d.ctx, registered_only, d.addr); }, ErrorCode::permission_denied);
    const auto suspended = d.doctor();
    core::suspend_doctor(d.ctx, d.f.admin(), suspended.address());
    test::expect_code([&] { core::request_access(d.ctx, suspended, d.addr); }, ErrorCode::suspended);
    const auto never = d.f.funded_key();
    test::expect_code([&] { core::request_access(d.ctx, never, d.addr); }, ErrorCode::permission_denied);
    EXPECT_TRUE(core::list_requests(d.ctx, d.addr).empty());

    // A verified doctor asking a non-patient is refused as well.
    const auto doc = d.doctor();
    test::expect_code([&] { core::request_access(d.ctx, doc, eth::PrivateKey::generate().address()); },
                      ErrorCode::not_found);
}

TEST(Access, StrangersAndWrongStatesCannotDecide) {
    Desk d;
    const auto doc = d.doctor();
    core::request_access(d.ctx, doc, d.addr);
    const std::uint64_t expiry = d.in(3600);

    // Someone who is not a patient approving.
    const auto stranger = d.f.funded_key();
    test::expect_code([&] { core::approve(d.ctx, stranger, doc.address(), expiry); }, ErrorCode::permission_denied);
    // Another patient, whom the doctor did not ask.
    const auto other = d.f.funded_key();
    (void)core::register_patient(d.ctx, other, carol());
    test::expect_code([&] { core::approve(d.ctx, other, doc.address(), expiry); }, ErrorCode::not_found);
    test::expect_code([&] { core::deny(d.ctx, other, doc.address()); }, ErrorCode::not_found);
    test::expect_code([&] { core::deny(d.ctx, stranger, doc.address()); }, ErrorCode::permission_denied);
    EXPECT_FALSE(core::has_access(d.ctx, other.address(), doc.address()));
    // An expiry in the past.
    test::expect_code([&] { core::approve(d.ctx, d.patient, doc.address(), d.ctx.chain_time() - 1); },
                      ErrorCode::invalid_input);
    // Revoking a doctor that holds only a request goes through (the doctor cannot block a revoke)
    // and ends the request.
    EXPECT_EQ(d.state_of(doc.address()).state, core::RequestState::pending);
    (void)core::revoke(d.ctx, d.patient, doc.address());
    EXPECT_EQ(d.state_of(doc.address()).state, core::RequestState::revoked);
}

TEST(Access, DeniedDoctorCannotReadAndMayAskAgain) {
    Desk d;
    const auto doc = d.doctor();
    const core::ObjectRef note = d.seal("a note");
    core::request_access(d.ctx, doc, d.addr);
    core::deny(d.ctx, d.patient, doc.address());
    EXPECT_EQ(d.state_of(doc.address()).state, core::RequestState::denied);
    EXPECT_FALSE(core::has_access(d.ctx, d.addr, doc.address()));
    EXPECT_THROW((void)d.open(doc, note), core::NoAccessError);
    core::Keyring dk(d.ctx, doc);
    EXPECT_THROW((void)core::read_profile(d.ctx, dk, d.addr), core::NoAccessError);
    // Denying twice: nothing is pending any more.
    EXPECT_THROW(core::deny(d.ctx, d.patient, doc.address()), core::RefusedError);

    core::request_access(d.ctx, doc, d.addr);
    EXPECT_EQ(d.state_of(doc.address()).state, core::RequestState::pending);
}

TEST(Access, RevokeRotatesTheKeyForEveryoneButTheRevokedDoctor) {
    Desk d;
    const auto d1 = d.doctor();
    const auto d2 = d.doctor();
    const auto d3 = d.doctor();  // asked, never approved: gets nothing
    const std::uint64_t expiry = d.in(30 * 86400);
    for (const auto* doc : {&d1, &d2}) {
        core::request_access(d.ctx, *doc, d.addr);
        core::approve(d.ctx, d.patient, doc->address(), expiry);
    }
    core::request_access(d.ctx, d3, d.addr);
    const core::ObjectRef before = d.seal("written in epoch 1");
    EXPECT_EQ(d.open(d1, before), "written in epoch 1");

    const core::RevokeResult result = core::revoke(d.ctx, d.patient, d1.address());
    EXPECT_EQ(result.new_epoch, 2u);
    ASSERT_EQ(result.kept.size(), 1u);
    EXPECT_EQ(result.kept[0], d2.address());
    EXPECT_EQ(core::patient_info(d.ctx, d.addr).epoch, 2u);
    EXPECT_EQ(d.state_of(d1.address()).state, core::RequestState::revoked);
    EXPECT_EQ(d.state_of(d2.address()).state, core::RequestState::approved);
    EXPECT_EQ(d.state_of(d3.address()).state, core::RequestState::pending);
    EXPECT_FALSE(core::has_access(d.ctx, d.addr, d1.address()));

    // The revoked doctor keeps what it could read, and nothing sealed after the rotation.
    EXPECT_EQ(d.open(d1, before), "written in epoch 1");
    const core::ObjectRef after = d.seal("written in epoch 2");
    EXPECT_EQ(d.open(d.patient, after), "written in epoch 2");
    EXPECT_EQ(d.open(d2, after), "written in epoch 2");
    try {
        (void)d.open(d1, after);
        FAIL();
    } catch (const core::NoAccessError& e) {
        EXPECT_EQ(e.code(), ErrorCode::permission_denied);
        EXPECT_TRUE(mentions(e, "epoch 2"));  // the message names the epoch it has no key of
    }
    // A profile published after the rotation is sealed under epoch 2 as well.
    core::Keyring pk(d.ctx, d.patient);
    auto changed = carol();
    changed.phone = "+1 555 0100";
    (void)core::update_profile(d.ctx, pk, d.patient, changed);
    core::Keyring k1(d.ctx, d1);
    core::Keyring k2(d.ctx, d2);
    EXPECT_THROW((void)core::read_profile(d.ctx, k1, d.addr), core::NoAccessError);
    EXPECT_NE(core::read_profile(d.ctx, k2, d.addr).dump().find("+1 555 0100"), std::string::npos);

    // Approving after the rotation hands out the current (epoch 2) key, which opens the history
    // through the link of epoch 2.
    core::approve(d.ctx, d.patient, d3.address(), expiry);
    EXPECT_EQ(d.state_of(d3.address()).epoch, 2u);
    EXPECT_EQ(d.open(d3, after), "written in epoch 2");
    EXPECT_EQ(d.open(d3, before), "written in epoch 1");

    // The revoked doctor may ask again.
    core::request_access(d.ctx, d1, d.addr);
    EXPECT_EQ(d.state_of(d1.address()).state, core::RequestState::pending);
}

TEST(Access, ExpiredGrantCountsAsExpired) {
    Desk d;
    const auto short_lived = d.doctor();
    const auto long_lived = d.doctor();
    core::request_access(d.ctx, short_lived, d.addr);
    core::approve(d.ctx, d.patient, short_lived.address(), d.in(100));
    core::request_access(d.ctx, long_lived, d.addr);
    core::approve(d.ctx, d.patient, long_lived.address(), d.in(86400));
    EXPECT_TRUE(core::has_access(d.ctx, d.addr, short_lived.address()));

    d.advance(200);
    const auto r = d.state_of(short_lived.address());
    EXPECT_EQ(r.state, core::RequestState::expired);
    EXPECT_GT(r.expiry, 0u);
    EXPECT_LE(r.expiry, d.ctx.chain_time());
    EXPECT_FALSE(core::has_access(d.ctx, d.addr, short_lived.address()));
    EXPECT_EQ(d.state_of(long_lived.address()).state, core::RequestState::approved);

    // A rotation (revoking the long-lived doctor) does not hand the new key to the expired one.
    const auto result = core::revoke(d.ctx, d.patient, long_lived.address());
    EXPECT_TRUE(result.kept.empty());
    const core::ObjectRef after = d.seal("after expiry");
    EXPECT_THROW((void)d.open(short_lived, after), core::NoAccessError);

    // An expired doctor may ask again, and an expired approval can still be revoked.
    core::request_access(d.ctx, short_lived, d.addr);
    EXPECT_EQ(d.state_of(short_lived.address()).state, core::RequestState::pending);
}

TEST(Access, ExpiredApprovalCanBeRevoked) {
    Desk d;
    const auto doc = d.doctor();
    core::request_access(d.ctx, doc, d.addr);
    core::approve(d.ctx, d.patient, doc.address(), d.in(50));
    d.advance(100);
    EXPECT_EQ(d.state_of(doc.address()).state, core::RequestState::expired);
    const auto result = core::revoke(d.ctx, d.patient, doc.address());
    EXPECT_EQ(result.new_epoch, 2u);
    EXPECT_EQ(d.state_of(doc.address()).state, core::RequestState::revoked);
}

TEST(Access, ListingOrdersDoctorsByFirstAppearance) {
    Desk d;
    const auto a = d.doctor();
    const auto b = d.doctor();
    const auto c = d.doctor();
    core::request_access(d.ctx, b, d.addr);
    core::request_access(d.ctx, a, d.addr);
    core::request_access(d.ctx, c, d.addr);
    core::approve(d.ctx, d.patient, a.address(), d.in(3600));
    core::deny(d.ctx, d.patient, c.address());
    const auto list = core::list_requests(d.ctx, d.addr);
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[0].doctor, b.address());
    EXPECT_EQ(list[0].state, core::RequestState::pending);
    EXPECT_EQ(list[1].doctor, a.address());
    EXPECT_EQ(list[1].state, core::RequestState::approved);
    EXPECT_EQ(list[2].doctor, c.address());
    EXPECT_EQ(list[2].state, core::RequestState::denied);
    EXPECT_GE(list[2].updated_at, list[2].requested_at);
}

TEST(Access, KeyDecisionsOfOnePatientWaitForEachOther) {
    Desk d;
    const auto doc = d.doctor();
    core::request_access(d.ctx, doc, d.addr);
    const std::uint64_t expiry = d.in(86400);
    std::future<void> approving;
    {
        // Another process deciding for the same patient holds the lock: approve() must wait
        // before it reads anything.
        const FileLock held(core::key_decision_lock_path(d.ctx.config(), d.addr));
        approving = std::async(std::launch::async, [&] { core::approve(d.ctx, d.patient, doc.address(), expiry); });
        EXPECT_EQ(approving.wait_for(std::chrono::milliseconds(500)), std::future_status::timeout);
    }
    approving.get();
    EXPECT_EQ(d.state_of(doc.address()).state, core::RequestState::approved);
}
