#pragma once
/// Patients' medical records: add, update (a new version, never an overwrite), show, list, history.
///
/// A record is a chain of versions under one record id (1, 2, ... per patient). Each version is a
/// record document (record_document.hpp) sealed with the patient's current epoch key as object
/// (object id, version); the chain keeps, in RecordVersion events, its digest, the previous
/// version's digest, its author and meta (object id || codec, the same object id for every
/// version). Writers are the patient and verified doctors with an active grant (the contract
/// checks); readers need the epoch key of the version they open (the keyring).
///
/// Reading as a doctor logs the access on chain (DoctorContract.logAccess) BEFORE the record is
/// opened, so that a doctor whose grant is gone is refused (NoAccessError) even if it still holds
/// an old key, and the patient's audit shows "Dr X viewed record 3 version 2". The patient's own
/// reads are not logged. What is logged is access_what() (audit.hpp), keyed so that only holders of the
/// patient's keys can tell which record it names.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "dossier/audit.hpp"
#include "dossier/context.hpp"
#include "dossier/doctors.hpp"
#include "dossier/keyring.hpp"
#include "dossier/record_document.hpp"
#include "dossier/sealed_store.hpp"
#include "eth/keys.hpp"

namespace dossier::core {

/// An account that reads patients' data: its keyring (epoch keys, cached) and its key, which signs
/// the logAccess transactions of a doctor's reads.
class Reader {
public:
    // A Reader keeps its own copy of the key: in a client session it outlives the caller's (a
    // read in progress may hold it after the account was locked), and its callers go on signing
    // with theirs.
    Reader(Context& ctx, const eth::PrivateKey& key) : key_(key.clone()), keyring_(ctx, key_) {}
    [[nodiscard]] const eth::Address& address() const noexcept { return keyring_.reader(); }
    [[nodiscard]] const eth::PrivateKey& key() const noexcept { return key_; }
    [[nodiscard]] Keyring& keyring() noexcept { return keyring_; }

    /// Records that this reader logged `what` of `patient`; false if it had already.
    [[nodiscard]] bool first_log(const eth::Address& patient, const Bytes32& what) {
        const std::lock_guard lock(logged_mutex_);
        return logged_.emplace(patient, what).second;
    }

private:
    eth::PrivateKey key_;  // before keyring_, which refers to it
    Keyring keyring_;
    std::mutex logged_mutex_;
    std::set<std::pair<eth::Address, Bytes32>> logged_;
};

struct ReadOptions {
    /// Log the read on chain when the reader is not the patient (a doctor). Off: nothing is sent,
    /// and a doctor without an active grant may still open what its old keys open.
    bool log_access = true;
    /// Log each object at most once per Reader (a face's unlocked account keeps one Reader): a
    /// repeated open checks the grant with a view call (DoctorContract.hasAccess, no gas) instead
    /// of sending another logAccess, so refreshing a screen costs nothing.
    bool log_once = false;
};

/// A doctor's read as ReadOptions say: nothing for the patient itself or with log_access off;
/// else log_access() (audit.hpp) of access_what(target, record_id, n) keyed with the patient's
/// access-log key (from the reader's keyring), or with log_once a free grant check for what this
/// reader logged already (NoAccessError if the grant is gone).
void log_read(Context& ctx, Reader& reader, const eth::Address& patient, AccessTarget target,
              std::uint32_t record_id, std::uint32_t n, const ReadOptions& options);

/// One version as the chain records it.
struct RecordVersionInfo {
    std::uint32_t record_id = 0;
    std::uint32_t version = 0;
    eth::Address author;
    ObjectRef ref;             ///< digest and meta of the sealed document
    Bytes32 previous{};        ///< digest of the version it replaced (0 for version 1)
    std::uint64_t block = 0;
    std::uint64_t timestamp = 0;  ///< block time, unix seconds
    Bytes32 tx_hash{};
};

struct WrittenRecord {
    std::uint32_t record_id = 0;
    std::uint32_t version = 0;
    ObjectRef ref;
    Bytes32 tx_hash{};
    std::uint64_t block = 0;
};

struct Record {
    RecordVersionInfo info;
    std::uint32_t latest_version = 0;
    std::uint32_t attachments = 0;  ///< files attached to the record (files.hpp)
    RecordDocument document;
};

struct RecordListing {
    std::uint32_t record_id = 0;
    RecordVersionInfo latest;   ///< the latest version's chain metadata
    std::uint32_t attachments = 0;
    std::optional<RecordKind> kind;  ///< absent if the reader could not open it
    std::string summary;        ///< fhir::summary() of the resource, or why it could not be opened
    bool readable = false;
    std::optional<ErrorCode> problem;  ///< why it could not be opened
};

/// Adds a record. Checks `resource` first (fhir::InvalidResourceError naming the element, or
/// InvalidRecordDocumentError if it is not what `kind` holds: nothing is sent), seals the document
/// with the patient's current epoch key (the author's keyring: NoAccessError if the author holds
/// none), stores it, then PatientContract.addRecord. Throws RefusedError if the chain refuses
/// (see rethrow_write_error()).
[[nodiscard]] WrittenRecord add_record(Context& ctx, const eth::PrivateKey& author, const eth::Address& patient,
                                       RecordKind kind, const fhir::Json& resource);

/// add_record() with a keyring the caller keeps (saves one event query per call) and, optionally,
/// the object id to use (files.hpp gives a file's description the file's object id).
[[nodiscard]] WrittenRecord add_record(Context& ctx, const eth::PrivateKey& author, Keyring& keyring,
                                       const eth::Address& patient, RecordKind kind, const fhir::Json& resource,
                                       std::optional<Bytes32> object_id = std::nullopt);

/// One record to add in a batch.
struct RecordInput {
    RecordKind kind = RecordKind::note;
    fhir::Json resource;
};

/// A record added by add_records(), with the time from the start of its sealing to its receipt.
struct AddedRecord {
    WrittenRecord written;
    std::chrono::steady_clock::duration latency{};
};

/// Documents sealed and stored per flush in add_records(): large enough that the flush is a small
/// part of each document's cost, small enough that the first transaction is not held back long.
inline constexpr std::size_t kRecordStoreBatch = 32;

/// Adds several records from one author, pipelined: the documents are checked, then sealed and
/// stored kRecordStoreBatch at a time (one durable flush of the embedded store per batch), then each addRecord is
/// sent without waiting, keeping at most `in_flight` (>= 1) transactions
/// unconfirmed; receipts are collected oldest first. Results are in input order; record ids come
/// from the receipts' RecordVersion events. All resources are checked before anything is sent.
/// `progress(done, total)` is called after each receipt. Errors as add_record(); a failure leaves
/// the records confirmed before it on chain (transactions already sent may still be mined).
[[nodiscard]] std::vector<AddedRecord> add_records(Context& ctx, const eth::PrivateKey& author,
                                                   const eth::Address& patient, std::span<const RecordInput> records,
                                                   std::size_t in_flight, const ProgressFn& progress = {});

/// Adds version n+1 to record `record_id` (same object id; previous = version n's digest). The kind
/// is kind_of_resource(resource). Throws Error with code not_found (no such record), Error with
/// code conflict if another version was added meanwhile (StaleVersion), RefusedError, or the
/// errors of add_record().
[[nodiscard]] WrittenRecord update_record(Context& ctx, const eth::PrivateKey& author, const eth::Address& patient,
                                          std::uint32_t record_id, const fhir::Json& resource);

/// Opens version `version` (default: the latest) of a record. Throws Error (not_found),
/// NoAccessError (no key for the version's epoch, or a doctor whose access the chain refuses to
/// log), crypto tamper errors, Error (tampered) for a misplaced object, InvalidRecordDocumentError.
[[nodiscard]] Record show_record(Context& ctx, Reader& reader, const eth::Address& patient, std::uint32_t record_id,
                                 std::optional<std::uint32_t> version = std::nullopt, const ReadOptions& options = {});

/// The latest version of every record, opened and summarised (records the reader cannot open are
/// listed with readable = false and the reason). A doctor's listing is logged once (what =
/// access_what(AccessTarget::list, 0, number of records)). `progress(done, total)` counts records
/// opened.
[[nodiscard]] std::vector<RecordListing> list_records(Context& ctx, Reader& reader, const eth::Address& patient,
                                                      const ReadOptions& options = {}, const ProgressFn& progress = {});

/// Every version of a record, oldest first, from the chain only (nothing is decrypted or logged).
/// Throws Error (not_found) if there is none.
[[nodiscard]] std::vector<RecordVersionInfo> record_history(Context& ctx, const eth::Address& patient,
                                                            std::uint32_t record_id);

/// Every version of every record of `patient`, in chain order (no decryption, nothing logged).
[[nodiscard]] std::vector<RecordVersionInfo> record_versions(Context& ctx, const eth::Address& patient);

/// Opens one version's document with `keyring` and checks that its author is the chain's. Logs
/// nothing: a caller showing it to a doctor logs first (log_access, audit.hpp).
[[nodiscard]] RecordDocument open_record_document(Context& ctx, Keyring& keyring, const eth::Address& patient,
                                                  const RecordVersionInfo& version);

/// The number of records of `patient` (PatientContract.patientOf).
[[nodiscard]] std::uint32_t record_count(Context& ctx, const eth::Address& patient);

/// Turns a revert of a record or file write into an Error with one sentence and a code: conflict
/// (StaleVersion: re-read and retry), not_found (UnknownRecord), or a RefusedError (not_found for
/// an unknown patient; suspended, access_expired or permission_denied for an author the chain
/// does not let write, which it reads from the chain); the contract's error name is the detail.
/// Rethrows anything else unchanged. Call inside a catch.
[[noreturn]] void rethrow_write_error(Context& ctx, const eth::Address& author, const eth::Address& patient,
                                      std::uint32_t record_id);

}  // namespace dossier::core
