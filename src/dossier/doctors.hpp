#pragma once
/// Doctors: registration with a public profile, the credentialing authority's decisions, and what
/// anyone can look up about a doctor.
///
/// A doctor's profile is a FHIR Practitioner document, public by design, stored in the clear in
/// the content store as a single raw block; the chain holds its CID digest. The doctor's public key
/// (the key patients wrap their data keys to) is published in the DoctorRegistered event and
/// checked by the contract against the sender's address.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "dossier/context.hpp"
#include "eth/keys.hpp"
#include "eth/rpc_error.hpp"
#include "fhir/builders.hpp"
#include "ipfs/cid.hpp"

namespace dossier::core {

/// An action was refused, by the chain or by the client before sending (wrong role, wrong state,
/// unknown account). The message is one sentence saying who may not do what, and why; the code
/// says which kind of refusal (permission_denied, suspended, access_expired, not_found,
/// already_exists, invalid_input...) and, when the chain refused, the detail is the contract's
/// custom error name.
class RefusedError : public Error {
public:
    RefusedError(ErrorCode code, const std::string& message, std::string detail = {})
        : Error(code, message, std::move(detail)) {}
};

/// True if `e` is a revert with the contract custom error `name` (e.g. "NotVerified").
[[nodiscard]] bool reverted_with(const eth::RevertedError& e, std::string_view name);

/// The code a custom error of the Dossier contracts means ("NotVerified": permission_denied,
/// "StaleVersion": conflict...); reverted for a name this client does not map.
[[nodiscard]] ErrorCode revert_code(std::string_view contract_error) noexcept;

/// Throws RefusedError with the code revert_code() gives `e`'s custom error, `message`, and the
/// error's name as detail.
[[noreturn]] void refuse(const eth::RevertedError& e, const std::string& message);

/// DoctorContract.DoctorStatus (the numbering is the contract's).
enum class DoctorStatus : std::uint8_t { none = 0, registered = 1, verified = 2, suspended = 3 };
/// "none", "registered", "verified", "suspended".
[[nodiscard]] const char* to_string(DoctorStatus status) noexcept;

/// RefusedError for a doctor that is not verified: code suspended if `status` is suspended, else
/// permission_denied (registered only, or not a doctor at all).
[[noreturn]] void refuse_unverified(DoctorStatus status, const std::string& message, std::string detail = {});

/// Largest profile document accepted: it must stay one raw block (256 KiB chunks).
inline constexpr std::size_t kMaxProfileBytes = 256 * 1024;

struct DoctorRegistration {
    eth::Address doctor;
    Bytes32 profile_digest{};  ///< as on chain
    ipfs::Cid profile_cid;     ///< raw CIDv1 of the Practitioner JSON
    Bytes32 tx_hash{};
};

/// Builds the FHIR Practitioner from `fields` (its id is set to the doctor's lower-case address if
/// empty), adds it to the store (pinned) and sends DoctorContract.registerDoctor(public key,
/// digest) from the doctor. Throws fhir::InvalidResourceError for invalid fields, RefusedError if
/// the account is already registered as a doctor.
[[nodiscard]] DoctorRegistration register_doctor(Context& ctx, const eth::PrivateKey& doctor,
                                                 const fhir::PractitionerFields& fields);

/// Publishes a new profile for a registered doctor (DoctorContract.updateProfile). Returns the new
/// digest. Throws RefusedError if the account is not a registered doctor.
[[nodiscard]] Bytes32 update_doctor_profile(Context& ctx, const eth::PrivateKey& doctor,
                                            const fhir::PractitionerFields& fields);

/// The credentialing authority (DoctorContract's owner) verifies a registered or suspended doctor.
/// Throws RefusedError if `authority` is not the authority or the doctor is in another state.
void verify_doctor(Context& ctx, const eth::PrivateKey& authority, const eth::Address& doctor);
/// The authority suspends a registered or verified doctor (same refusals as verify_doctor).
void suspend_doctor(Context& ctx, const eth::PrivateKey& authority, const eth::Address& doctor);

struct DoctorInfo {
    eth::Address address;
    DoctorStatus status = DoctorStatus::none;
    std::uint64_t since = 0;                    ///< timestamp of the last status change
    std::optional<eth::PublicKey> public_key;   ///< from DoctorRegistered (absent if none)
    std::optional<Bytes32> profile_digest;      ///< the latest published profile
    std::optional<fhir::Json> profile;          ///< the Practitioner, if the store has it
};

/// Everything public about `doctor` (status none and no key if it never registered).
[[nodiscard]] DoctorInfo doctor_info(Context& ctx, const eth::Address& doctor);

/// Every registered doctor, in registration order.
[[nodiscard]] std::vector<DoctorInfo> list_doctors(Context& ctx);

/// The encryption public key `doctor` registered; throws RefusedError if it is not a doctor.
[[nodiscard]] eth::PublicKey doctor_public_key(Context& ctx, const eth::Address& doctor);

/// The doctor's status from DoctorContract.doctorOf.
[[nodiscard]] DoctorStatus doctor_status(Context& ctx, const eth::Address& doctor);

/// The CIDv1 of a plaintext profile digest (raw codec).
[[nodiscard]] ipfs::Cid profile_cid(const Bytes32& digest);

}  // namespace dossier::core
