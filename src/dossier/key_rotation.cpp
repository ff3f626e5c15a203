#include "dossier/key_rotation.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "base/file_lock.hpp"
#include "dossier/access.hpp"
#include "dossier/doctors.hpp"
#include "dossier/patients.hpp"
#include "eth/uint256.hpp"

namespace dossier::core {
namespace abi = eth::abi;
namespace gen = chain::gen;

namespace {

struct Grantee {
    eth::Address doctor;
    bool active = false;
};

/// Every grantee of `patient` (approved or renewing grant), in ascending address order, and
/// whether it holds access now. Candidates are the doctors the audit trail names as approved or
/// as registering the patient; the grant slot decides.
std::vector<Grantee> grantees_of(Context& ctx, const eth::Address& patient) {
    std::set<eth::Address> candidates;
    for (const ChainEntry& e : patient_entries(ctx, patient)) {
        const bool by_doctor = e.kind == EntryKind::registered && e.subject != Bytes32{};
        if (e.kind != EntryKind::approved && !by_doctor) continue;
        eth::Address doctor;
        std::copy_n(e.subject.begin() + 12, 20, doctor.bytes.begin());
        candidates.insert(doctor);
    }
    const std::uint64_t now = ctx.chain_time();
    std::vector<Grantee> out;
    for (const eth::Address& doctor : candidates) {  // std::set: ascending, as the contract wants
        const Grant g = grant_of(ctx, patient, doctor);
        if (g.state != GrantState::approved && g.state != GrantState::renewing) continue;
        const bool active = g.state == GrantState::approved && g.expiry > now &&
                            doctor_status(ctx, doctor) == DoctorStatus::verified;
        out.push_back(Grantee{doctor, active});
    }
    return out;
}

std::uint32_t doctor_suspensions(Context& ctx) {
    const auto r = ctx.contracts().view(ctx.manifest().doctor, gen::DoctorContract::fn::suspensions,
                                        gen::DoctorContract::returns::suspensions, {});
    return static_cast<std::uint32_t>(eth::to_u64(r.at(0).as_uint()));
}

}  // namespace

eth::PublicKey patient_public_key(Context& ctx, const eth::Address& patient) {
    const auto events = ctx.contracts().events(ctx.manifest().patient, gen::PatientContract::ev::PatientKey,
                                               {chain::address_topic(patient)});
    if (events.empty())
        throw RefusedError(ErrorCode::not_found, "account " + patient.to_checksum() + " is not a registered patient");
    const auto key = eth::PublicKey::from_bytes(events.front().values.at(1).as_bytes());
    if (key.address() != patient)
        throw DecodeError("the public key registered for patient " + patient.to_checksum() + " is not its key");
    return key;
}

namespace {
bool may_seal(Context& ctx, const PatientInfo& info) {
    return ctx.chain_time() < info.seal_until && doctor_suspensions(ctx) == info.suspensions;
}
}  // namespace

bool epoch_may_seal(Context& ctx, const eth::Address& patient) { return may_seal(ctx, patient_info(ctx, patient)); }

Rotation rotate_key(Context& ctx, const eth::PrivateKey& writer, Keyring& keyring, const eth::Address& patient,
                    std::optional<eth::Address> revoked) {
    const PatientInfo info = patient_info(ctx, patient);
    if (!info.registered)
        throw RefusedError(ErrorCode::not_found, "account " + patient.to_checksum() + " is not a registered patient");
    const crypto::SecretKey32 current = keyring.key(patient, info.epoch);
    Rotation result;
    result.epoch = info.epoch + 1;
    const crypto::SecretKey32 key = new_data_key();
    const eth::PublicKey patient_key =
        writer.address() == patient ? writer.public_key() : patient_public_key(ctx, patient);
    const Bytes own = wrap_epoch_key(key, patient, result.epoch, patient_key);
    const Bytes link = seal_key_link(key, current, patient, result.epoch);
    abi::Value::List recipients;
    abi::Value::List envelopes;
    for (const Grantee& g : grantees_of(ctx, patient)) {
        if (revoked && g.doctor == *revoked) continue;  // revoke() removes it before the rotation
        recipients.push_back(abi::Value::address(g.doctor));
        if (g.active) {
            envelopes.push_back(
                abi::Value::bytes(wrap_epoch_key(key, patient, result.epoch, doctor_public_key(ctx, g.doctor))));
            result.kept.push_back(g.doctor);
        } else {
            envelopes.push_back(abi::Value::bytes({}));
            result.left_out.push_back(g.doctor);
        }
    }
    if (revoked) {
        const abi::Value args[] = {abi::Value::address(*revoked), abi::Value::uint(info.epoch),
                                   abi::Value::bytes(own), abi::Value::bytes(link),
                                   abi::Value::list(std::move(recipients)), abi::Value::list(std::move(envelopes))};
        (void)ctx.contracts().transact(ctx.sender(writer), ctx.manifest().patient, gen::PatientContract::fn::revoke,
                                       args);
    } else {
        const abi::Value args[] = {abi::Value::address(patient), abi::Value::uint(info.epoch),
                                   abi::Value::bytes(own), abi::Value::bytes(link),
                                   abi::Value::list(std::move(recipients)), abi::Value::list(std::move(envelopes))};
        (void)ctx.contracts().transact(ctx.sender(writer), ctx.manifest().patient,
                                       gen::PatientContract::fn::rotateKey, args);
    }
    keyring.clear();
    return result;
}

EpochKey sealing_key(Context& ctx, const eth::PrivateKey& writer, Keyring& keyring, const eth::Address& patient) {
    // One read of the patient's slot serves both the check and the key on the usual path (the
    // epoch may seal): a write costs no more chain reads than before key epochs, plus one.
    const PatientInfo info = patient_info(ctx, patient);
    if (!info.registered) return keyring.current(patient);  // throws NoAccessError (not_found)
    if (may_seal(ctx, info)) return EpochKey{info.epoch, keyring.key(patient, info.epoch)};
    try {
        (void)rotate_key(ctx, writer, keyring, patient);
    } catch (const eth::RevertedError& e) {
        // Another writer rotated first (its epoch is the one to seal under), or the grants moved
        // under this rotation: the write that follows finds out which, and retries once.
        if (!reverted_with(e, "StaleEpoch") && !reverted_with(e, "RotationNotRequired") &&
            !reverted_with(e, "GranteeCount"))
            throw;
        keyring.clear();
    }
    return keyring.current(patient);
}

bool stale_seal(const eth::RevertedError& e) noexcept {
    return reverted_with(e, "StaleEpoch") || reverted_with(e, "RotationRequired");
}

}  // namespace dossier::core
