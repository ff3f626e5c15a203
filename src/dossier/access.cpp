#include "dossier/access.hpp"

#include <map>
#include <string>

#include "base/file_lock.hpp"
#include "dossier/audit.hpp"
#include "dossier/key_rotation.hpp"
#include "dossier/patients.hpp"
#include "eth/uint256.hpp"

namespace dossier::core {
namespace abi = eth::abi;
namespace gen = chain::gen;

namespace {

}  // namespace

Grant grant_of(Context& ctx, const eth::Address& patient, const eth::Address& doctor) {
    const abi::Value args[] = {abi::Value::address(patient), abi::Value::address(doctor)};
    const auto r = ctx.contracts().view(ctx.manifest().doctor, gen::DoctorContract::fn::grantOf,
                                        gen::DoctorContract::returns::grantOf, args);
    Grant g;
    const std::uint64_t s = eth::to_u64(r.at(0).as_uint());
    if (s > 4) throw DecodeError("DoctorContract returned an unknown grant state " + std::to_string(s));
    g.state = static_cast<GrantState>(s);
    g.expiry = eth::to_u64(r.at(1).as_uint());
    g.epoch = static_cast<std::uint32_t>(eth::to_u64(r.at(2).as_uint()));
    return g;
}

namespace {

std::uint32_t require_patient(Context& ctx, const eth::Address& patient, const char* action) {
    const PatientInfo info = patient_info(ctx, patient);
    if (!info.registered)
        throw RefusedError(ErrorCode::permission_denied,
                           "account " + patient.to_checksum() + " is not a registered patient and cannot " + action);
    return info.epoch;
}

std::uint64_t require_expiry(Context& ctx, std::uint64_t expiry) {
    const std::uint64_t now = ctx.chain_time();
    if (expiry <= now || expiry >= (std::uint64_t{1} << 40))
        throw RefusedError(ErrorCode::invalid_input, "the expiry " + std::to_string(expiry) +
                                                     " is not a future time (the chain's time is " +
                                                     std::to_string(now) + ")");
    return now;
}

[[noreturn]] void no_pending(const eth::Address& patient, const eth::Address& doctor, std::string detail = {}) {
    throw RefusedError(ErrorCode::not_found,
                       "doctor " + doctor.to_checksum() + " has no pending request to patient " + patient.to_checksum(),
                       std::move(detail));
}

}  // namespace

const char* to_string(RequestState state) noexcept {
    switch (state) {
        case RequestState::none: return "none";
        case RequestState::pending: return "pending";
        case RequestState::approved: return "approved";
        case RequestState::expired: return "expired";
        case RequestState::denied: return "denied";
        case RequestState::revoked: return "revoked";
        case RequestState::blocked: return "blocked";
    }
    return "unknown";
}

void request_access(Context& ctx, const eth::PrivateKey& doctor, const eth::Address& patient) {
    const eth::Address address = doctor.address();
    const DoctorStatus status = doctor_status(ctx, address);
    if (status != DoctorStatus::verified)
        refuse_unverified(status, "doctor " + address.to_checksum() + " is not verified (status: " + to_string(status) +
                                      ") and may not request access");
    if (!patient_info(ctx, patient).registered)
        throw RefusedError(ErrorCode::not_found, "account " + patient.to_checksum() + " is not a registered patient");
    const abi::Value args[] = {abi::Value::address(patient)};
    try {
        (void)ctx.contracts().transact(ctx.sender(doctor), ctx.manifest().doctor, gen::DoctorContract::fn::requestAccess,
                                       args);
    } catch (const eth::RevertedError& e) {
        if (reverted_with(e, "RequestPending"))
            refuse(e, "doctor " + address.to_checksum() + " already has a pending request to patient " +
                          patient.to_checksum());
        if (reverted_with(e, "AlreadyApproved"))
            refuse(e, "doctor " + address.to_checksum() + " already holds an active grant from patient " +
                          patient.to_checksum());
        if (reverted_with(e, "NotVerified"))
            refuse_unverified(doctor_status(ctx, address),
                              "doctor " + address.to_checksum() + " is not verified and may not request access",
                              e.detail());
        if (reverted_with(e, "UnknownPatient"))
            refuse(e, "account " + patient.to_checksum() + " is not a registered patient");
        if (reverted_with(e, "RequestsBlocked"))
            refuse(e, "patient " + patient.to_checksum() + " has blocked requests from doctor " + address.to_checksum());
        throw;
    }
}

std::vector<AccessRequest> requests_from_entries(const std::vector<AuditEntry>& entries, std::uint64_t now) {
    std::vector<AccessRequest> order;
    std::map<eth::Address, std::size_t> index;
    auto slot = [&](const eth::Address& doctor) -> AccessRequest& {
        auto [it, inserted] = index.emplace(doctor, order.size());
        if (inserted) {
            order.emplace_back();
            order.back().doctor = doctor;
        }
        return order[it->second];
    };
    for (const AuditEntry& e : entries) {
        if (!e.doctor) continue;  // a patient's own registration
        switch (e.kind) {
            case AuditKind::registered: {  // by a doctor, with the consent's grant
                AccessRequest& r = slot(*e.doctor);
                r.state = RequestState::approved;
                r.expiry = e.expiry.value_or(0);
                r.epoch = 1;
                r.updated_at = e.timestamp;
                break;
            }
            case AuditKind::requested: {
                AccessRequest& r = slot(*e.doctor);
                r.state = RequestState::pending;
                r.expiry = 0;
                r.epoch = 0;
                r.requested_at = e.timestamp;
                r.updated_at = e.timestamp;
                break;
            }
            case AuditKind::approved: {
                AccessRequest& r = slot(*e.doctor);
                r.state = RequestState::approved;
                r.expiry = e.expiry.value_or(0);
                r.epoch = e.epoch.value_or(0);
                r.updated_at = e.timestamp;
                break;
            }
            case AuditKind::blocked: {
                AccessRequest& r = slot(*e.doctor);
                r.state = RequestState::blocked;
                r.expiry = 0;
                r.epoch = 0;
                r.updated_at = e.timestamp;
                break;
            }
            case AuditKind::unblocked:
            case AuditKind::denied:
            case AuditKind::revoked: {
                AccessRequest& r = slot(*e.doctor);
                r.state = e.kind == AuditKind::revoked ? RequestState::revoked : RequestState::denied;
                r.expiry = 0;
                r.epoch = 0;
                r.updated_at = e.timestamp;
                break;
            }
            default: break;
        }
    }
    for (AccessRequest& r : order)
        if (r.state == RequestState::approved && r.expiry <= now) r.state = RequestState::expired;
    return order;
}

std::vector<AccessRequest> list_requests(Context& ctx, const eth::Address& patient) {
    std::vector<AuditEntry> entries;
    for (const ChainEntry& e : patient_entries(ctx, patient))
        entries.push_back(decode_entry(e.subject, eth::from_be(e.info), e.data));
    const std::uint64_t now = ctx.chain_time();
    std::vector<AccessRequest> order = requests_from_entries(entries, now);
    if (order.empty()) return order;
    // The entries say what happened; the grant slot says what holds now (and the clock decides
    // whether an approval is still active).
    for (AccessRequest& r : order) {
        const Grant g = grant_of(ctx, patient, r.doctor);
        switch (g.state) {
            case GrantState::requested:
            case GrantState::renewing:  // an expired approval asked again: pending for the patient
                r.state = RequestState::pending;
                r.expiry = 0;
                r.epoch = 0;
                break;
            case GrantState::blocked:
                r.state = RequestState::blocked;
                r.expiry = 0;
                r.epoch = 0;
                break;
            case GrantState::approved:
                r.state = g.expiry > now ? RequestState::approved : RequestState::expired;
                r.expiry = g.expiry;
                r.epoch = g.epoch;
                break;
            case GrantState::none:
                if (r.state != RequestState::denied && r.state != RequestState::revoked) {
                    r.state = RequestState::none;
                    r.expiry = 0;
                    r.epoch = 0;
                }
                break;
        }
    }
    return order;
}

AccessRequest request_of(Context& ctx, const eth::Address& patient, const eth::Address& doctor) {
    for (const AccessRequest& r : list_requests(ctx, patient))
        if (r.doctor == doctor) return r;
    AccessRequest none;
    none.doctor = doctor;
    return none;
}

std::filesystem::path key_decision_lock_path(const Config& config, const eth::Address& patient) {
    return config.data_dir / "locks" / (patient.to_hex() + ".keys.lock");
}

void approve(Context& ctx, const eth::PrivateKey& patient, const eth::Address& doctor, std::uint64_t expiry) {
    const eth::Address address = patient.address();
    const FileLock decisions(key_decision_lock_path(ctx.config(), address));
    (void)require_patient(ctx, address, "approve requests");
    (void)require_expiry(ctx, expiry);
    const GrantState state = grant_of(ctx, address, doctor).state;
    if (state != GrantState::requested && state != GrantState::renewing) no_pending(address, doctor);
    const eth::PublicKey doctor_key = doctor_public_key(ctx, doctor);
    Keyring keyring(ctx, patient);
    const EpochKey current = keyring.current(address);
    const Bytes envelope = wrap_epoch_key(current.key, address, current.epoch, doctor_key);
    const abi::Value args[] = {abi::Value::address(doctor), abi::Value::uint(expiry), abi::Value::bytes(envelope)};
    try {
        (void)ctx.contracts().transact(ctx.sender(patient), ctx.manifest().patient, gen::PatientContract::fn::approve,
                                       args);
    } catch (const eth::RevertedError& e) {
        if (reverted_with(e, "NoPendingRequest")) no_pending(address, doctor, e.detail());
        if (reverted_with(e, "InvalidExpiry"))
            refuse(e, "the expiry " + std::to_string(expiry) + " is not a future time");
        if (reverted_with(e, "NotVerified"))
            refuse_unverified(doctor_status(ctx, doctor),
                              "doctor " + doctor.to_checksum() + " is not verified and cannot be approved", e.detail());
        throw;
    }
}

void deny(Context& ctx, const eth::PrivateKey& patient, const eth::Address& doctor) {
    const eth::Address address = patient.address();
    (void)require_patient(ctx, address, "deny requests");
    const GrantState state = grant_of(ctx, address, doctor).state;
    if (state != GrantState::requested && state != GrantState::renewing) no_pending(address, doctor);
    const abi::Value args[] = {abi::Value::address(doctor)};
    try {
        // Straight to DoctorContract, which keys the grant by the sender: one contract call fewer
        // than PatientContract.deny, with the same transition and audit entry.
        (void)ctx.contracts().transact(ctx.sender(patient), ctx.manifest().doctor, gen::DoctorContract::fn::deny, args);
    } catch (const eth::RevertedError& e) {
        if (reverted_with(e, "NoPendingRequest")) no_pending(address, doctor, e.detail());
        throw;
    }
}

RevokeResult revoke(Context& ctx, const eth::PrivateKey& patient, const eth::Address& doctor) {
    const eth::Address address = patient.address();
    const FileLock decisions(key_decision_lock_path(ctx.config(), address));
    (void)require_patient(ctx, address, "revoke access");
    Keyring keyring(ctx, patient);
    // Whatever state the doctor left its grant in (even a request sent a moment ago), the revoke
    // goes through: one retry covers a grant or an epoch that changed between reading and mining.
    for (int attempt = 0;; ++attempt) {
        try {
            const Rotation r = rotate_key(ctx, patient, keyring, address, doctor);
            return RevokeResult{r.epoch, r.kept};
        } catch (const eth::RevertedError& e) {
            if (attempt > 0 || !(reverted_with(e, "GranteeCount") || reverted_with(e, "NotAGrantee") ||
                                 reverted_with(e, "InactiveRecipient") || reverted_with(e, "MissingEnvelope")))
                throw;
            keyring.clear();
        }
    }
}

RevokeResult rotate_patient_key(Context& ctx, const eth::PrivateKey& patient) {
    const eth::Address address = patient.address();
    const FileLock decisions(key_decision_lock_path(ctx.config(), address));
    (void)require_patient(ctx, address, "rotate its key");
    Keyring keyring(ctx, patient);
    const Rotation r = rotate_key(ctx, patient, keyring, address);
    return RevokeResult{r.epoch, r.kept};
}

void block_requests(Context& ctx, const eth::PrivateKey& patient, const eth::Address& doctor) {
    const eth::Address address = patient.address();
    (void)require_patient(ctx, address, "block requests");
    const abi::Value args[] = {abi::Value::address(doctor)};
    try {
        (void)ctx.contracts().transact(ctx.sender(patient), ctx.manifest().doctor,
                                       gen::DoctorContract::fn::blockRequests, args);
    } catch (const eth::RevertedError& e) {
        if (reverted_with(e, "RevokeFirst"))
            refuse(e, "doctor " + doctor.to_checksum() + " holds an approval from patient " + address.to_checksum() +
                          ": revoke it first, then block");
        throw;
    }
}

void unblock_requests(Context& ctx, const eth::PrivateKey& patient, const eth::Address& doctor) {
    const eth::Address address = patient.address();
    (void)require_patient(ctx, address, "unblock requests");
    const abi::Value args[] = {abi::Value::address(doctor)};
    try {
        (void)ctx.contracts().transact(ctx.sender(patient), ctx.manifest().doctor,
                                       gen::DoctorContract::fn::unblockRequests, args);
    } catch (const eth::RevertedError& e) {
        if (reverted_with(e, "NotBlocked"))
            refuse(e, "doctor " + doctor.to_checksum() + " is not blocked by patient " + address.to_checksum());
        throw;
    }
}

ErrorCode refusal_code(Context& ctx, const eth::Address& patient, const eth::Address& doctor) {
    if (doctor_status(ctx, doctor) == DoctorStatus::suspended) return ErrorCode::suspended;
    const Grant g = grant_of(ctx, patient, doctor);
    if (g.state == GrantState::approved && g.expiry <= ctx.chain_time()) return ErrorCode::access_expired;
    return ErrorCode::permission_denied;
}

bool has_access(Context& ctx, const eth::Address& patient, const eth::Address& doctor) {
    const abi::Value args[] = {abi::Value::address(patient), abi::Value::address(doctor)};
    const auto r = ctx.contracts().view(ctx.manifest().doctor, gen::DoctorContract::fn::hasAccess,
                                        gen::DoctorContract::returns::hasAccess, args);
    return r.at(0).as_bool();
}

}  // namespace dossier::core
