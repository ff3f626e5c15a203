#pragma once
/// Patients: registration (by themselves, or by a verified doctor on the patient's signed consent),
/// the encrypted profile, and what the chain says about a patient.
///
/// The profile is a FHIR Patient document sealed under the patient's data key (object id
/// patient_profile_object_id(), version 0) as a single raw block; the chain holds only its CID
/// digest (in the Registered / ProfileUpdated audit entries, and a 24-byte commitment in
/// PatientContract.patientOf). Registration creates the epoch-1 data key and wraps it to the
/// patient (and, for a registration by a doctor, to that doctor).
#include <cstdint>
#include <optional>
#include <vector>

#include "dossier/context.hpp"
#include "dossier/doctors.hpp"
#include "dossier/keyring.hpp"
#include "dossier/sealed_store.hpp"
#include "eth/eip712.hpp"
#include "fhir/builders.hpp"

namespace dossier::core {

/// The fixed object id of every patient's profile: the first 31 bytes of
/// keccak256("dossier/patient-profile"), last byte zero.
[[nodiscard]] Bytes32 patient_profile_object_id();

struct PatientRegistration {
    eth::Address patient;
    ObjectRef profile;  ///< the sealed profile (meta: profile object id || 0x55)
    Bytes32 tx_hash{};
};

/// The patient registers itself (PatientContract.registerPatient, gas paid by the patient): builds
/// the FHIR Patient from `fields` (id defaults to the lower-case address), draws the epoch-1 data
/// key, seals and stores the profile, wraps the key to the patient. Throws RefusedError if the
/// account is already a patient, fhir::InvalidResourceError for invalid fields.
[[nodiscard]] PatientRegistration register_patient(Context& ctx, const eth::PrivateKey& patient,
                                                   const fhir::PatientFields& fields);

/// The patient's signed consent to be registered by `doctor` (the EIP-712 `Consent` of
/// PatientContract), with everything the doctor needs to submit it.
struct Consent {
    eth::Address patient;
    eth::Address doctor;
    FixedBytes<64> public_key{};  ///< the patient's public key (x || y), published at registration
    ObjectRef profile;           ///< the sealed profile, already in the store
    Bytes patient_envelope;      ///< the epoch-1 key wrapped to the patient
    Bytes doctor_envelope;       ///< the epoch-1 key wrapped to the doctor
    std::uint64_t expiry = 0;    ///< the doctor's grant ends then (unix seconds)
    std::uint64_t deadline = 0;  ///< the consent must be used before then
    FixedBytes<65> signature{};  ///< r || s || v (v = 27 or 28)
};

/// The EIP-712 typed data of `consent` (domain: "Dossier", "1", the chain id and PatientContract).
[[nodiscard]] eth::eip712::TypedData consent_typed_data(Context& ctx, const Consent& consent);

/// Made on the patient's side: seals the profile under a fresh epoch-1 key, stores it, wraps the
/// key to the patient and to `doctor` (its registered public key) and signs the consent with the
/// patient's key. Throws RefusedError if the patient is already registered or `doctor` is not a
/// verified doctor, or if expiry/deadline are not in the future.
[[nodiscard]] Consent sign_consent(Context& ctx, const eth::PrivateKey& patient, const eth::Address& doctor,
                                   const fhir::PatientFields& fields, std::uint64_t expiry, std::uint64_t deadline);

/// Made on the doctor's side: sends PatientContract.registerPatientFor from the doctor (the patient
/// pays nothing). Throws RefusedError if the signer is not the patient, the consent expired, the
/// sender is not the consent's doctor or not verified, or the patient is already registered.
[[nodiscard]] PatientRegistration submit_consent(Context& ctx, const eth::PrivateKey& doctor, const Consent& consent);

/// sign_consent() then submit_consent(), for a doctor registering a patient sitting next to it.
/// `deadline` defaults to one hour after the chain's current time.
[[nodiscard]] PatientRegistration register_patient_by_doctor(Context& ctx, const eth::PrivateKey& doctor,
                                                             const eth::PrivateKey& patient,
                                                             const fhir::PatientFields& fields, std::uint64_t expiry,
                                                             std::optional<std::uint64_t> deadline = std::nullopt);

/// Seals a new profile under the patient's current epoch key and publishes it
/// (PatientContract.updateProfile). Returns the new reference.
[[nodiscard]] ObjectRef update_profile(Context& ctx, Keyring& patient_keyring, const eth::PrivateKey& patient,
                                       const fhir::PatientFields& fields);

struct PatientInfo {
    eth::Address patient;
    bool registered = false;
    std::uint32_t epoch = 0;    ///< current key epoch (0: not registered)
    std::uint32_t records = 0;  ///< number of records (ids 1..records)
    FixedBytes<15> profile_commitment{};
    std::uint64_t seal_until = 0;   ///< the epoch seals new objects before this time only
    std::uint32_t suspensions = 0;  ///< DoctorContract.suspensions() when the epoch began
    std::uint32_t grantees = 0;     ///< doctors with an approved or renewing grant
};

/// PatientContract.patientOf.
[[nodiscard]] PatientInfo patient_info(Context& ctx, const eth::Address& patient);

/// The reference of the patient's latest profile (from the audit entries, checked against the
/// on-chain commitment). Throws RefusedError if the patient is not registered.
[[nodiscard]] ObjectRef profile_ref(Context& ctx, const eth::Address& patient);

/// The decrypted FHIR Patient document. Throws NoAccessError if the keyring's account holds no key
/// of the profile's epoch, and the errors of open_sealed().
[[nodiscard]] fhir::Json read_profile(Context& ctx, Keyring& keyring, const eth::Address& patient);

/// AuditContract EntryKind (the numbering is the contract's).
enum class EntryKind : std::uint8_t {
    registered = 0,
    profile_updated = 1,
    requested = 2,
    approved = 3,
    denied = 4,
    revoked = 5,
    key_rotated = 6,
    record_added = 7,
    record_updated = 8,
    file_attached = 9,
    accessed = 10,
    blocked = 11,
    unblocked = 12,
};

/// One audit entry of a patient, as the Entry event carries it (info unpacked).
struct ChainEntry {
    eth::Address patient;  ///< whose trail it is in
    eth::Address actor;
    std::uint64_t timestamp = 0;
    EntryKind kind = EntryKind::registered;
    std::uint64_t seq = 0;
    Bytes32 subject{};
    Bytes32 data{};
    Bytes32 info{};  ///< the packed word as emitted (actor, timestamp, kind, seq: audit.hpp)
    std::uint64_t block_number = 0;
    Bytes32 tx_hash{};
};

/// Every audit entry of `patient`, in chain order. Entries of an unknown kind are skipped.
[[nodiscard]] std::vector<ChainEntry> patient_entries(Context& ctx, const eth::Address& patient);
/// Every audit entry of every patient, in chain order.
[[nodiscard]] std::vector<ChainEntry> all_entries(Context& ctx);
/// The audit entries of blocks `from` to `to` (of one patient, if given), in chain order.
[[nodiscard]] std::vector<ChainEntry> entries_between(Context& ctx, std::uint64_t from, std::uint64_t to,
                                                      const std::optional<eth::Address>& patient = std::nullopt);

}  // namespace dossier::core
