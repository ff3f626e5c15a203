#pragma once
/// An unlocked account: the only holder of a private key above the boundary, and the actor of
/// every call that signs or decrypts. Made by Client::unlock(); lock() wipes the key (an idle
/// timeout is the face's choice), after which every call throws Error(permission_denied).
///
/// Thread safety: every member may be called from several threads at once. Reads run in
/// parallel; the account's transactions are sent one call at a time (their nonces are in order),
/// while other accounts' writes and every read proceed.
///
/// Cancellation: every call that sends a transaction and waits for its receipt (deploy excepted)
/// takes a std::stop_token. A stop requested during the wait makes it throw Error(cancelled)
/// within 200 ms; the error's detail names the sent transaction, which is journaled and may still
/// be mined.
///
/// Reads cost no gas: listing and refreshing never send a transaction. A doctor's client logs on
/// chain (DoctorContract.logAccess, in the patient's audit trail) when it opens a record's content,
/// a listing or a file, as the audit requires, and at most once per object while the account stays
/// unlocked; a later open of the same object checks the grant with a free view call instead.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stop_token>
#include <string_view>
#include <vector>

#include "dossier/client/error.hpp"
#include "dossier/client/progress.hpp"
#include "dossier/client/types.hpp"

namespace dossier::client {

class Account {
public:
    virtual ~Account() = default;

    [[nodiscard]] virtual const AccountInfo& info() const noexcept = 0;
    [[nodiscard]] const Address& address() const noexcept { return info().address; }
    /// Wipes the key; the handle stays, refusing every call. Idempotent.
    virtual void lock() noexcept = 0;
    [[nodiscard]] virtual bool locked() const noexcept = 0;

    // ---- doctors ---------------------------------------------------------------------------
    /// Publishes this doctor's key and public profile; the authority must then verify it.
    virtual DoctorRegistration register_doctor(const DoctorProfile& profile, std::stop_token stop = {}) = 0;
    /// Publishes a new profile; returns its digest.
    virtual std::string update_doctor_profile(const DoctorProfile& profile, std::stop_token stop = {}) = 0;
    /// This doctor's patients (Client::doctor_patients) with the name and birth date of each
    /// profile it can read. Names are decrypted in memory only (kept while the account is
    /// unlocked), never written to disk.
    [[nodiscard]] virtual std::vector<DoctorsPatient> doctor_patients(const ProgressFn& progress = {},
                                                                      std::stop_token stop = {}) = 0;
    /// Case- and accent-insensitive prefix search over this doctor's patients: given and family
    /// names, birth date (YYYY, YYYY-MM...), address and label; every word of `query` must match.
    /// Best first, at most `limit`; no match is an empty list.
    [[nodiscard]] virtual std::vector<PatientMatch> search_patients(std::string_view query, std::size_t limit = 20,
                                                                    const ProgressFn& progress = {},
                                                                    std::stop_token stop = {}) = 0;
    /// A verified doctor asks a patient for access.
    virtual void request_access(const Address& patient, std::stop_token stop = {}) = 0;
    /// Creates, funds and registers a patient with the patient's consent (see NewPatient).
    virtual AddedPatient add_patient(const NewPatient& patient, const ProgressFn& progress = {},
                                     std::stop_token stop = {}) = 0;

    // ---- the credentialing authority -------------------------------------------------------
    virtual void verify_doctor(const Address& doctor, std::stop_token stop = {}) = 0;
    virtual void suspend_doctor(const Address& doctor, std::stop_token stop = {}) = 0;
    /// Deploys the contracts on the configured remote chain, this account paying, with
    /// `authority` as the credentialing authority (default: this account). `replace` sets an
    /// existing manifest aside.
    virtual Deployment deploy(std::optional<Address> authority, bool replace, const ProgressFn& progress = {}) = 0;

    // ---- patients --------------------------------------------------------------------------
    virtual PatientRegistration register_patient(const PatientProfile& profile, std::stop_token stop = {}) = 0;
    /// The patient's decrypted FHIR Patient document (this account must hold a key for it).
    [[nodiscard]] virtual Json patient_profile(const Address& patient) = 0;
    /// The patient's audit trail (Client::audit_trail) with each doctor's read named: what a
    /// doctor opened is logged keyed with the patient's access-log key, which this account must
    /// reach (the patient, or a doctor it gave a key to). Reads no record and logs nothing.
    [[nodiscard]] virtual std::vector<AuditEntry> audit_trail(const Address& patient, const ProgressFn& progress = {},
                                                              std::stop_token stop = {}) = 0;
    /// Approves a doctor's pending request for `days` from now (the chain's clock); returns the
    /// expiry.
    virtual std::uint64_t approve(const Address& doctor, unsigned days, std::stop_token stop = {}) = 0;
    virtual void deny(const Address& doctor, std::stop_token stop = {}) = 0;
    /// Revokes whatever the doctor holds (nothing it does can make this fail) and moves to a new
    /// key: the doctor reads nothing sealed from then on.
    virtual RevokeResult revoke(const Address& doctor, std::stop_token stop = {}) = 0;
    /// Moves this patient to a new key without revoking anyone (the doctors with access get it).
    virtual RevokeResult rotate_key(std::stop_token stop = {}) = 0;
    /// Refuses every further request of `doctor` (one holding an approval is revoked first), or
    /// lets it ask again.
    virtual void block_requests(const Address& doctor, std::stop_token stop = {}) = 0;
    virtual void unblock_requests(const Address& doctor, std::stop_token stop = {}) = 0;

    // ---- records and files -----------------------------------------------------------------
    /// Seals, stores and records; waits for the chain (cancel: the sent transaction is named in
    /// the error's detail, and may still be mined).
    virtual WrittenRecord add_record(const Address& patient, const RecordContent& content,
                                     std::stop_token stop = {}) = 0;
    /// Adds several records to one patient, pipelined: every resource is checked before anything is
    /// sent, the documents are sealed and stored in batches, and up to `in_flight` transactions
    /// wait for the chain at once. Results are in input order. A failure (Error, as add_record)
    /// leaves the records confirmed before it on chain: a caller that must not add twice keeps a
    /// journal (import_fhir does). Progress: "adding records", counted in records.
    virtual std::vector<WrittenRecord> add_records(const Address& patient, const std::vector<RecordContent>& contents,
                                                   std::size_t in_flight = 16, const ProgressFn& progress = {},
                                                   std::stop_token stop = {}) = 0;
    /// Called as the transactions of add_records_batched() are confirmed, in input order, with
    /// the records each added (from input index `first`): where a caller journals what landed.
    using RecordsLandedFn = std::function<void(std::size_t first, const std::vector<WrittenRecord>& written)>;
    /// Adds several records to one patient in few transactions: PatientContract.addRecords of
    /// `per_transaction` records (1 to 256) each, one audit entry per record. Every resource is
    /// checked before anything is sent; each transaction's documents are sealed under one key and
    /// stored together, and it is sent once its objects are stored, while the transactions before
    /// it are mined (`in_flight` sent and waiting at once). Results are in input order. A failure (Error, as
    /// add_record) leaves the transactions confirmed before it on chain, each reported to
    /// `landed`. Progress: "adding records", counted in records, after each receipt.
    virtual std::vector<WrittenRecord> add_records_batched(const Address& patient,
                                                           const std::vector<RecordContent>& contents,
                                                           std::size_t per_transaction = 128,
                                                           std::size_t in_flight = 4,
                                                           const ProgressFn& progress = {},
                                                           const RecordsLandedFn& landed = {},
                                                           std::stop_token stop = {}) = 0;
    /// Adds a version to a record. Throws Error(conflict) if someone else added one since
    /// `expected_version` (when given): re-read and retry, nothing is overwritten.
    virtual WrittenRecord update_record(const Address& patient, std::uint32_t record_id, const RecordContent& content,
                                        std::optional<std::uint32_t> expected_version = std::nullopt,
                                        std::stop_token stop = {}) = 0;
    [[nodiscard]] virtual Record show_record(const Address& patient, std::uint32_t record_id,
                                             std::optional<std::uint32_t> version = std::nullopt) = 0;
    [[nodiscard]] virtual std::vector<RecordListing> list_records(const Address& patient,
                                                                  const ProgressFn& progress = {},
                                                                  std::stop_token stop = {}) = 0;
    virtual AttachedFile attach_file(const Address& patient, const AttachRequest& request,
                                     const ProgressFn& progress = {}, std::stop_token stop = {}) = 0;
    [[nodiscard]] virtual std::vector<FileListing> list_files(const Address& patient,
                                                              std::optional<std::uint32_t> record_id = std::nullopt) = 0;
    /// Decrypts an attachment to `destination` (a file, or a directory to keep its name); nothing
    /// is left there unless all of it authenticated.
    /// Everything an export writes, as one audited access: a doctor logs one access naming the
    /// export (audit text "exported the records (n)") before anything is opened, then the
    /// listing, each record's latest version, the profile and every file are opened without
    /// logging each. Files are decrypted into `files_to` (an existing directory) as
    /// "<record id>-<index>" (an empty `files_to`: files are listed, not decrypted). Progress:
    /// "reading records" then "decrypting files" (files).
    [[nodiscard]] virtual PatientExport read_for_export(const Address& patient, const std::filesystem::path& files_to,
                                                        const ProgressFn& progress = {}, std::stop_token stop = {}) = 0;
    virtual FetchedFile fetch_file(const Address& patient, std::uint32_t record_id, std::uint32_t index,
                                   const std::filesystem::path& destination, bool overwrite = false,
                                   const ProgressFn& progress = {}, std::stop_token stop = {}) = 0;
};

}  // namespace dossier::client
