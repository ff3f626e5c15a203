#include "dossier/access.hpp"

#include <map>
#include <string>

#include "base/file_lock.hpp"
#include "dossier/audit.hpp"
#include "dossier/patients.hpp"
#include "eth/uint256.hpp"

namespace dossier::core {
namespace abi = eth::abi;
namespace gen = chain::gen;

namespace {

/// DoctorContract.AccessState.
enum class GrantState : std::uint8_t { none = 0, requested = 1, approved = 2 };

struct Grant {
    GrantState state = GrantState::none;
    std::uint64_t expiry = 0;
    std::uint32_t epoch = 0;
};

Grant grant_of(Context& ctx, const eth::Address& patient, const eth::Address& doctor) {
    const abi::Value args[] = {abi::Value::address(patient), abi::Value::address(doctor)};
    const auto r = ctx.contracts().view(ctx.manifest().doctor, gen::DoctorContract::fn::grantOf,
                                        gen::DoctorContract::returns::grantOf, args);
    Grant g;
    const std::uint64_t s = eth::to_u64(r.at(0).as_uint());
    if (s > 2) throw DecodeError("DoctorContract returned an unknown grant state " + std::to_string(s));
    g.state = static_cast<GrantState>(s);
    g.expiry = eth::to_u64(r.at(1).as_uint());
    g.epoch = static_cast<std::uint32_t>(eth::to_u64(r.at(2).as_uint()));
    return g;
}

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
            case AuditKind::denied:
            case AuditKind::revoked: {
                AccessRequest& r = slot(*e.doctor);
                r.state = e.kind == AuditKind::denied ? RequestState::denied : RequestState::revoked;
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
                r.state = RequestState::pending;
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
    if (grant_of(ctx, address, doctor).state != GrantState::requested) no_pending(address, doctor);
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
        throw;
    }
}

void deny(Context& ctx, const eth::PrivateKey& patient, const eth::Address& doctor) {
    const eth::Address address = patient.address();
    (void)require_patient(ctx, address, "deny requests");
    if (grant_of(ctx, address, doctor).state != GrantState::requested) no_pending(address, doctor);
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
    const std::uint32_t epoch = require_patient(ctx, address, "revoke access");
    if (grant_of(ctx, address, doctor).state != GrantState::approved)
        throw RefusedError(ErrorCode::not_found, "doctor " + doctor.to_checksum() + " holds no approval from patient " +
                                                 address.to_checksum() + " to revoke");
    RevokeResult result;
    result.new_epoch = epoch + 1;
    const crypto::SecretKey32 key = new_data_key();
    const Bytes own = wrap_epoch_key(key, address, result.new_epoch, patient.public_key());
    abi::Value::List recipients;
    abi::Value::List envelopes;
    for (const AccessRequest& r : list_requests(ctx, address)) {
        if (r.doctor == doctor || r.state != RequestState::approved) continue;
        const eth::PublicKey pub = doctor_public_key(ctx, r.doctor);
        recipients.push_back(abi::Value::address(r.doctor));
        envelopes.push_back(abi::Value::bytes(wrap_epoch_key(key, address, result.new_epoch, pub)));
        result.kept.push_back(r.doctor);
    }
    const abi::Value args[] = {abi::Value::address(doctor), abi::Value::bytes(own),
                               abi::Value::list(std::move(recipients)), abi::Value::list(std::move(envelopes))};
    try {
        (void)ctx.contracts().transact(ctx.sender(patient), ctx.manifest().patient, gen::PatientContract::fn::revoke,
                                       args);
    } catch (const eth::RevertedError& e) {
        if (reverted_with(e, "NotApproved"))
            refuse(e, "doctor " + doctor.to_checksum() + " holds no approval from patient " + address.to_checksum() +
                          " to revoke");
        throw;
    }
    return result;
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
