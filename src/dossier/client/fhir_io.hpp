#pragma once
/// FHIR in and out: a clinic's EHR export imported as records, and a patient's record exported as
/// a FHIR Bundle, NDJSON or a readable PDF. Both faces (the CLI's `import` and `export`, the
/// desktop app's Import… and Export…) call these functions.
///
/// Import reads a Bundle (collection, transaction, batch, searchset, document) or NDJSON, checks
/// each resource with the R4 validator, and adds one record per clinical resource (Condition,
/// MedicationStatement, AllergyIntolerance, Appointment, DocumentReference, and as "clinical"
/// records Observation, MedicationRequest, Immunization, Procedure, Encounter, DiagnosticReport,
/// CarePlan). Files inside resources (Attachment.data) are attached to their record; Binary
/// resources become files of their own. Patient resources are checked against the patient they
/// are imported for and never imported as records.
///
/// It is resumable and idempotent: a journal in the data directory (import/journal.jsonl) keyed
/// by patient and resource digest (SHA-256 of the canonical JSON) says what was sent and what the
/// chain confirmed; a run killed at any point and started again settles what was in flight by
/// reading the records back, then adds only what is missing. The same resource in another file
/// is skipped too.
///
/// Export writes decrypted data where the caller says: the face warns the person. A doctor's
/// export is logged on chain as one access naming the export (Account::read_for_export).
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "dossier/client/account.hpp"
#include "dossier/client/client.hpp"

namespace dossier::client {

struct ImportOptions {
    std::filesystem::path file;
    /// The patient every resource is for (--patient); or, with `patients`, the one for resources
    /// that name no patient (none: those are refused).
    std::optional<Address> patient;
    /// Several patients at once (--patients-from): a reference as the input writes it
    /// ("Patient/123", a fullUrl "urn:uuid:...", "identifier:<system>|<value>") -> the patient.
    std::map<std::string, Address> patients;
    bool dry_run = false;          ///< check everything, write nothing
    /// Records per write batch: one addRecords transaction and one journal sync each (at most
    /// 256, PatientContract.MAX_BATCH; a larger value is taken as 256).
    std::size_t batch = 128;
    /// One addRecord transaction per record instead (pipelined, `in_flight` at once): the write
    /// before batch transactions, kept for comparison (bench/fhir/bench_import.sh).
    bool per_record = false;
    /// Transactions sent and waiting for the chain at once; 0: 8 batch transactions (on a chain
    /// that makes a block every few seconds, about what one block takes), or 16 with per_record.
    std::size_t in_flight = 0;
};

/// Why a resource was not imported.
enum class RefusalReason { invalid_resource, unknown_patient, patient_mismatch, no_access, not_a_record };
/// "invalid-resource", "unknown-patient", "patient-mismatch", "no-access", "not-a-record".
[[nodiscard]] std::string_view refusal_name(RefusalReason reason) noexcept;

struct ImportRefusal {
    std::string where;     ///< "entry 3", "line 12"
    std::string resource;  ///< "Observation/abc" ("" if it could not be read)
    RefusalReason reason = RefusalReason::invalid_resource;
    std::string message;   ///< one sentence
};

struct ImportedRecord {
    std::string where, resource;
    Address patient;
    std::uint32_t record_id = 0;
    std::size_t files = 0;  ///< inline files attached
};

struct ImportReport {
    std::size_t resources = 0;  ///< read from the input (Patient resources included)
    std::size_t added = 0;      ///< records added by this run (a dry run: that would be added)
    std::size_t files = 0;      ///< files attached by this run (Binary resources and inline data)
    std::size_t skipped = 0;    ///< already imported (the journal says so)
    std::size_t patients_checked = 0;  ///< Patient resources that matched their target
    std::size_t settled = 0;    ///< in doubt after an interruption, found on chain and not sent again
    std::vector<ImportRefusal> refused;
    std::vector<ImportedRecord> records;  ///< what this run added, in input order
    double seconds = 0;
    bool dry_run = false;
    std::filesystem::path journal;
};

/// Imports `options.file` as `account` (a doctor with access to each patient, or the patient).
/// Progress: "checking" then "importing" (records). Throws Error(invalid_input) for a file that
/// is not FHIR as a whole or a mapping without patients, Error(node_unavailable) and
/// Error(cancelled) as any write; resources it cannot import are refusals in the report.
[[nodiscard]] ImportReport import_fhir(Client& client, Account& account, const ImportOptions& options,
                                       const ProgressFn& progress = {}, std::stop_token stop = {});

/// Reads a --patients-from mapping: a JSON object {"Patient/123": "alice", "urn:uuid:...":
/// "0x..."} whose values are labels or addresses (Client::resolve). Error(invalid_input).
[[nodiscard]] std::map<std::string, Address> load_patient_mapping(Client& client, const std::filesystem::path& file);

enum class ExportFormat { bundle, ndjson, pdf, ips };
/// "bundle", "ndjson", "pdf", "ips"; parse_export_format throws Error(invalid_input) naming them.
[[nodiscard]] std::string_view export_format_name(ExportFormat format) noexcept;
[[nodiscard]] ExportFormat parse_export_format(std::string_view text);

struct ExportOptions {
    Address patient;
    ExportFormat format = ExportFormat::bundle;
    std::filesystem::path out;  ///< the file written (replaced only if `overwrite`)
    bool overwrite = false;
    /// bundle: write attached files here (created, mode 0700), referenced from the bundle by
    /// their path relative to `out`'s directory, instead of inside it as Binary resources.
    std::filesystem::path files_dir;
};

struct ExportReport {
    std::filesystem::path out;
    std::size_t records = 0;      ///< exported (latest versions)
    std::size_t unreadable = 0;   ///< listed but not openable by this account (left out)
    std::size_t files = 0;        ///< bundle: attached files written (Binary resources or files_dir)
    std::size_t provenances = 0;  ///< bundle: Provenance resources (one per version and file)
    std::uint64_t bytes = 0;
    ExportFormat format = ExportFormat::bundle;
};

/// The patient's records (latest versions) as
/// - bundle: a FHIR R4 Bundle of type collection: the Patient resource first, each record, each
///   attached file as a Binary (or, with files_dir, a file beside the bundle that the file's
///   DocumentReference names), and a Provenance per record version and per file (author's
///   address, time, chain transaction). A file that travels inside its record's resource
///   (Attachment.data) is not written twice. Importing it gives back the same records.
/// - ndjson: one resource a line, the Patient first, every record as stored.
/// - ips: an International Patient Summary, a Bundle of type document: a Composition with the
///   problems, medications, allergies, immunizations, results and procedures sections, the
///   Patient, then the resources the sections list.
/// - pdf: a readable summary (patient, then problems, medications, allergies, immunizations,
///   results, procedures, appointments, other records, each with its author and date).
/// A doctor's export is one access in the patient's audit trail (Account::read_for_export).
/// Written atomically with mode 0600. Error(already_exists) if `out` exists and !overwrite.
[[nodiscard]] ExportReport export_fhir(Client& client, Account& account, const ExportOptions& options,
                                       const ProgressFn& progress = {}, std::stop_token stop = {});

}  // namespace dossier::client
