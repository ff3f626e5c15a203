#pragma once
/// The access desk: doctors ask, patients decide (approve until an expiry, deny, revoke), and
/// anyone can see the state of every (patient, doctor) pair.
///
/// Approving wraps the patient's CURRENT epoch key to the doctor (through the links it opens every
/// earlier epoch: the history). Revoking moves the patient to a new epoch in the same transaction
/// (key_rotation.hpp) and wraps the new key to the patient and to every other doctor whose grant
/// is still active: the revoked doctor keeps what it could already read (a key cannot be
/// un-shared) but cannot open anything sealed afterwards. Expiry and suspension end access the
/// same way without the patient: the epoch stops sealing and the next writer rotates.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "dossier/audit.hpp"
#include "dossier/context.hpp"
#include "dossier/doctors.hpp"
#include "dossier/keyring.hpp"
#include "eth/keys.hpp"

namespace dossier::core {

/// DoctorContract.AccessState: what the grant slot holds.
enum class GrantState : std::uint8_t { none = 0, requested = 1, approved = 2, blocked = 3, renewing = 4 };

struct Grant {
    GrantState state = GrantState::none;
    std::uint64_t expiry = 0;
    std::uint32_t epoch = 0;
};

/// DoctorContract.grantOf.
[[nodiscard]] Grant grant_of(Context& ctx, const eth::Address& patient, const eth::Address& doctor);

/// Where a (patient, doctor) pair stands.
enum class RequestState : std::uint8_t {
    none,      ///< never asked
    pending,   ///< asked, the patient has not decided
    approved,  ///< approved and not yet expired
    expired,   ///< approved, but the expiry has passed (the doctor may ask again)
    denied,    ///< the patient denied the last request
    revoked,   ///< the patient revoked the last approval
    blocked,   ///< the patient refuses further requests of this doctor
};
/// "none", "pending", "approved", "expired", "denied", "revoked", "blocked".
[[nodiscard]] const char* to_string(RequestState state) noexcept;

struct AccessRequest {
    eth::Address doctor;
    RequestState state = RequestState::none;
    std::uint64_t expiry = 0;        ///< approved / expired: the grant's expiry (unix seconds)
    std::uint32_t epoch = 0;         ///< approved / expired: the key epoch given at approval
    std::uint64_t requested_at = 0;  ///< timestamp of the last request (0: registered by the doctor)
    std::uint64_t updated_at = 0;    ///< timestamp of the last entry about this doctor
};

/// A verified doctor asks `patient` for access (DoctorContract.requestAccess). Throws RefusedError
/// if the doctor is not verified (registered only, suspended, unknown), the patient is not
/// registered, a request is already pending, or an approval is still active.
void request_access(Context& ctx, const eth::PrivateKey& doctor, const eth::Address& patient);

/// Every doctor that ever asked `patient` (or registered it), with its current state, in order of
/// first appearance. Derived from the audit entries (Registered by a doctor, Requested, Approved,
/// Denied, Revoked) and confirmed by DoctorContract.grantOf, with expiry against the chain's clock.
[[nodiscard]] std::vector<AccessRequest> list_requests(Context& ctx, const eth::Address& patient);

/// The same derivation from entries alone: `entries` are one patient's audit entries in chain
/// order; an approval whose expiry is not after `now` is expired. (The local index answers from
/// this; list_requests() also confirms each pair with the contract.)
[[nodiscard]] std::vector<AccessRequest> requests_from_entries(const std::vector<AuditEntry>& entries, std::uint64_t now);

/// The state of one pair (state none if the doctor never asked).
[[nodiscard]] AccessRequest request_of(Context& ctx, const eth::Address& patient, const eth::Address& doctor);

/// The lock file that serializes one patient's key decisions (approve, revoke) between processes
/// sharing the data directory. Each reads the current epoch and the active grants, then writes
/// envelopes for them; two interleaved could wrap a key for an epoch that just changed, or leave
/// a doctor approved a moment earlier without the new epoch's key. approve() and revoke() hold
/// it from their first read to their receipt.
[[nodiscard]] std::filesystem::path key_decision_lock_path(const Config& config, const eth::Address& patient);

/// The patient approves `doctor`'s pending request until `expiry` (unix seconds), wrapping its
/// current epoch key to the doctor's registered public key. Throws RefusedError if the caller is
/// not a registered patient, no request of that doctor is pending, or the expiry is not in the
/// future.
void approve(Context& ctx, const eth::PrivateKey& patient, const eth::Address& doctor, std::uint64_t expiry);

/// The patient denies `doctor`'s pending request. Throws RefusedError if none is pending or the
/// caller is not a registered patient.
void deny(Context& ctx, const eth::PrivateKey& patient, const eth::Address& doctor);

/// The patient refuses every further request of `doctor` (DoctorContract.blockRequests), or lets
/// it ask again (unblockRequests). Blocking a doctor that holds an approval is refused: revoke it.
void block_requests(Context& ctx, const eth::PrivateKey& patient, const eth::Address& doctor);
void unblock_requests(Context& ctx, const eth::PrivateKey& patient, const eth::Address& doctor);

struct RevokeResult {
    std::uint32_t new_epoch = 0;
    std::vector<eth::Address> kept;  ///< the doctors that received the new key
};

/// The patient revokes whatever `doctor` holds (an approval, active or expired, a renewal or a
/// pending request: nothing the doctor does can make it fail) and moves to a new key epoch: a
/// fresh data key wrapped to the patient and to every other doctor whose grant is active
/// (PatientContract.revoke).
[[nodiscard]] RevokeResult revoke(Context& ctx, const eth::PrivateKey& patient, const eth::Address& doctor);

/// The patient moves to a new key epoch without revoking anyone (PatientContract.rotateKey).
[[nodiscard]] RevokeResult rotate_patient_key(Context& ctx, const eth::PrivateKey& patient);

/// Why the chain refuses `doctor` reading or writing `patient`'s records (NotVerified or
/// NoActiveGrant): suspended if the doctor is suspended, access_expired if its approval has passed
/// its expiry, else permission_denied. Reads the chain; meant for the error path.
[[nodiscard]] ErrorCode refusal_code(Context& ctx, const eth::Address& patient, const eth::Address& doctor);

/// True when `doctor` is verified and holds an approved, unexpired grant from `patient`
/// (DoctorContract.hasAccess).
[[nodiscard]] bool has_access(Context& ctx, const eth::Address& patient, const eth::Address& doctor);

}  // namespace dossier::core
