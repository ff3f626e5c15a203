// Access that holds in the cryptography: expiry, suspension and revocation exclude a doctor from
// everything sealed afterwards, whatever its client does. The attacker here is a doctor client
// that skips every polite call (no logAccess, no hasAccess) and tries every key the system ever
// gave it: its Keyring unwraps each KeyEnvelope addressed to it and follows every link.
#include <gtest/gtest.h>

#include "dossier/access.hpp"
#include "dossier/doctors.hpp"
#include "dossier/key_rotation.hpp"
#include "dossier/patients.hpp"
#include "dossier/records.hpp"
#include "dossier/sealed_store.hpp"
#include "eth/abi.hpp"
#include "eth/uint256.hpp"
#include "fhir/builders.hpp"
#include "fixture.hpp"
#include "support/error_code.hpp"

using namespace dossier;
namespace gen = chain::gen;

namespace {

struct Clinic {
    test::CoreFixture f;
    core::Context& ctx = f.ctx();
    eth::PrivateKey patient = f.funded_key();
    eth::Address addr = patient.address();

    Clinic() {
        fhir::PatientFields p;
        p.given_name = "Dana";
        p.family_name = "Okafor";
        p.birth_date = "1975-11-30";
        (void)core::register_patient(ctx, patient, p);
    }

    /// A verified doctor with a pending request to the patient.
    eth::PrivateKey requesting_doctor() {
        auto d = f.funded_key();
        fhir::PractitionerFields pf;
        pf.given_name = "Lee";
        pf.family_name = "D" + d.address().to_hex().substr(2, 6);
        pf.specialty = "Oncology";
        pf.licence_number = "L-" + pf.family_name;
        (void)core::register_doctor(ctx, d, pf);
        core::verify_doctor(ctx, f.admin(), d.address());
        core::request_access(ctx, d, addr);
        return d;
    }

    /// A verified doctor approved until `seconds` from now.
    eth::PrivateKey approved_doctor(std::uint64_t seconds) {
        auto d = requesting_doctor();
        core::approve(ctx, patient, d.address(), ctx.chain_time() + seconds);
        return d;
    }

    void advance(std::uint64_t seconds) {
        (void)ctx.rpc().call("evm_increaseTime", nlohmann::json::array({seconds}));
        (void)ctx.rpc().call("evm_mine");
    }

    core::WrittenRecord write(const eth::PrivateKey& author, const std::string& text) {
        fhir::ConditionFields c;
        c.subject = fhir::reference_to("Patient", addr.to_hex());
        c.code_text = text;
        c.clinical_status = "active";
        c.onset = "2024-01-01";
        return core::add_record(ctx, author, addr, core::RecordKind::condition, fhir::condition(c));
    }

    /// What the attacker does: open the sealed object with whatever keys it can get, skipping
    /// the chain's access check entirely.
    std::string open_raw(const eth::PrivateKey& reader, const core::WrittenRecord& w) {
        core::Keyring k(ctx, reader);
        const Bytes b = core::open_sealed_bytes(ctx, k, addr, w.version, w.ref);
        return std::string(as_chars(b));
    }

    std::uint32_t epoch() { return core::patient_info(ctx, addr).epoch; }

    /// Recipients of the KeyEnvelope events of `epoch`.
    std::vector<eth::Address> recipients(std::uint32_t epoch) {
        std::vector<eth::Address> out;
        for (const auto& e : ctx.contracts().events(ctx.manifest().patient, gen::PatientContract::ev::KeyEnvelope,
                                                    {chain::address_topic(addr)}))
            if (eth::to_u64(e.values.at(2).as_uint()) == epoch) out.push_back(e.values.at(1).as_address());
        return out;
    }
};

bool contains(const std::vector<eth::Address>& v, const eth::Address& a) {
    return std::find(v.begin(), v.end(), a) != v.end();
}

}  // namespace

TEST(KeyEpochs, AnExpiredDoctorCannotOpenWhatAnotherDoctorWritesAfterTheExpiry) {
    Clinic c;
    const auto leaving = c.approved_doctor(600);
    const auto staying = c.approved_doctor(365 * 86400);
    const auto before = c.write(staying, "written while both had access");
    EXPECT_NE(c.open_raw(leaving, before).find("written while both"), std::string::npos);

    c.advance(1200);  // the first approval has expired; the patient is not online
    const auto after = c.write(staying, "written after the expiry");
    EXPECT_EQ(c.epoch(), 2u) << "the writer rotated the key: the old epoch may no longer seal";
    const auto holders = c.recipients(2);
    EXPECT_TRUE(contains(holders, c.addr));
    EXPECT_TRUE(contains(holders, staying.address()));
    EXPECT_FALSE(contains(holders, leaving.address())) << "no envelope of the new epoch for the expired doctor";

    // The attacker holds every key it was ever given, and still cannot open the new record.
    try {
        (void)c.open_raw(leaving, after);
        FAIL() << "the expired doctor opened a record sealed after its access ended";
    } catch (const core::NoAccessError& e) {
        EXPECT_EQ(e.code(), ErrorCode::permission_denied);
    }
    // Everyone who holds access reads it; the expired doctor keeps what it could read before.
    EXPECT_NE(c.open_raw(staying, after).find("after the expiry"), std::string::npos);
    EXPECT_NE(c.open_raw(c.patient, after).find("after the expiry"), std::string::npos);
    EXPECT_NE(c.open_raw(leaving, before).find("written while both"), std::string::npos);
}

TEST(KeyEpochs, ASuspendedDoctorCannotOpenWhatIsWrittenAfterTheSuspension) {
    Clinic c;
    const auto suspended = c.approved_doctor(365 * 86400);
    const auto staying = c.approved_doctor(365 * 86400);
    core::suspend_doctor(c.ctx, c.f.admin(), suspended.address());
    const auto after = c.write(staying, "written after the suspension");
    EXPECT_EQ(c.epoch(), 2u);
    EXPECT_FALSE(contains(c.recipients(2), suspended.address()));
    EXPECT_THROW((void)c.open_raw(suspended, after), core::NoAccessError);
    EXPECT_NE(c.open_raw(staying, after).find("after the suspension"), std::string::npos);
}

TEST(KeyEpochs, AWriteSealedBeforeARevokeIsRefusedOnChainAndSealedAgainOnce) {
    Clinic c;
    const auto revoked = c.approved_doctor(365 * 86400);
    const auto writer = c.approved_doctor(365 * 86400);
    core::Keyring keyring(c.ctx, writer);
    int attempts = 0;
    std::vector<std::uint32_t> epochs;
    const auto digest = core::write_sealed(c.ctx, writer, keyring, c.addr, [&](const core::EpochKey& key) {
        ++attempts;
        epochs.push_back(key.epoch);
        const std::string text = "sealed, then the revoke lands";  // outlives the source viewing it
        auto src = ipfs::source_from_bytes(as_bytes(text));
        const auto ref = core::store_sealed(c.ctx, key, c.addr, core::new_object_id(), 1, *src);
        // The revoke is mined after the seal and before the write: the race a slow writer loses.
        if (attempts == 1) (void)core::revoke(c.ctx, c.patient, revoked.address());
        const eth::abi::Value args[] = {eth::abi::Value::address(c.addr), eth::abi::Value::uint(key.epoch),
                                        eth::abi::Value::bytes32(ref.digest), eth::abi::Value::bytes32(ref.meta)};
        (void)c.ctx.contracts().transact(c.ctx.sender(writer), c.ctx.manifest().patient,
                                         gen::PatientContract::fn::addRecord, args);
        return ref;
    });
    EXPECT_EQ(attempts, 2) << "the stale write was refused by the chain and sealed again";
    ASSERT_EQ(epochs.size(), 2u);
    EXPECT_EQ(epochs[0], 1u);
    EXPECT_EQ(epochs[1], 2u);
    core::Keyring attacker(c.ctx, revoked);
    EXPECT_THROW((void)core::open_sealed_bytes(c.ctx, attacker, c.addr, 1, digest), core::NoAccessError);
}

TEST(KeyEpochs, TheChainRefusesAWriteUnderAStaleEpoch) {
    Clinic c;
    const auto revoked = c.approved_doctor(365 * 86400);
    const auto writer = c.approved_doctor(365 * 86400);
    (void)core::revoke(c.ctx, c.patient, revoked.address());
    const eth::abi::Value args[] = {eth::abi::Value::address(c.addr), eth::abi::Value::uint(1),
                                    eth::abi::Value::bytes32(Bytes32{1}), eth::abi::Value::bytes32(Bytes32{2})};
    try {
        (void)c.ctx.contracts().transact(c.ctx.sender(writer), c.ctx.manifest().patient,
                                         gen::PatientContract::fn::addRecord, args);
        FAIL() << "a write under the epoch before the revoke was accepted";
    } catch (const eth::RevertedError& e) {
        EXPECT_TRUE(core::stale_seal(e)) << e.what();
    }
}

TEST(KeyEpochs, RevokeGoesThroughWhenTheExpiredDoctorRequestsAgainFirst) {
    Clinic c;
    const auto doctor = c.approved_doctor(600);
    c.advance(1200);
    core::request_access(c.ctx, doctor, c.addr);  // the doctor's move just before the patient's
    const auto r = core::revoke(c.ctx, c.patient, doctor.address());
    EXPECT_EQ(r.new_epoch, 2u);
    EXPECT_EQ(core::grant_of(c.ctx, c.addr, doctor.address()).state, core::GrantState::none);
    // And a patient can always move to a new key by itself.
    EXPECT_EQ(core::rotate_patient_key(c.ctx, c.patient).new_epoch, 3u);
}

TEST(KeyEpochs, ADoctorApprovedAfterARevokeReadsTheHistoryThroughTheLinks) {
    Clinic c;
    const auto first = c.approved_doctor(365 * 86400);
    const auto old = c.write(c.patient, "from the first epoch");
    (void)core::revoke(c.ctx, c.patient, first.address());
    const auto later = c.approved_doctor(365 * 86400);
    EXPECT_FALSE(contains(c.recipients(1), later.address())) << "approved at epoch 2 only";
    EXPECT_NE(c.open_raw(later, old).find("from the first epoch"), std::string::npos);
    // The revoked doctor, for its part, gets nothing from the links: they only lead down.
    const auto fresh = c.write(c.patient, "from the second epoch");
    EXPECT_THROW((void)c.open_raw(first, fresh), core::NoAccessError);
}

TEST(KeyEpochs, ApprovingASuspendedDoctorIsRefused) {
    Clinic c;
    const auto d = c.requesting_doctor();
    core::suspend_doctor(c.ctx, c.f.admin(), d.address());
    (void)test::expect_code([&] { core::approve(c.ctx, c.patient, d.address(), c.ctx.chain_time() + 3600); }, ErrorCode::suspended);
}

TEST(KeyEpochs, ABlockedDoctorCannotRequestAgain) {
    Clinic c;
    const auto d = c.requesting_doctor();
    core::deny(c.ctx, c.patient, d.address());
    core::block_requests(c.ctx, c.patient, d.address());
    (void)test::expect_code([&] { core::request_access(c.ctx, d, c.addr); }, ErrorCode::permission_denied);
    EXPECT_EQ(core::request_of(c.ctx, c.addr, d.address()).state, core::RequestState::blocked);
    core::unblock_requests(c.ctx, c.patient, d.address());
    core::request_access(c.ctx, d, c.addr);
    EXPECT_EQ(core::request_of(c.ctx, c.addr, d.address()).state, core::RequestState::pending);
}
