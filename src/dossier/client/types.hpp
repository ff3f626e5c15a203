#pragma once
/// The plain values that cross the client boundary: addresses, accounts, node status, doctors,
/// patients, grants, records, files, audit entries. They hold no handle to anything below the
/// boundary (no RPC client, binding, store or journal), copy freely between threads, and say
/// everything a face prints. Digests, hashes and keys are 0x-prefixed lower-case hex text; FHIR
/// resources are JSON values (nlohmann::json); times are unix seconds of the chain's clock.
#include <array>
#include <compare>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/client/error.hpp"

namespace dossier::client {

using Json = nlohmann::json;

/// An Ethereum account address (20 bytes). A strong type, so that a label or a digest cannot be
/// passed where an address is meant.
class Address {
public:
    Address() = default;  ///< the zero address
    explicit Address(const std::array<std::uint8_t, 20>& bytes) noexcept : bytes_(bytes) {}
    /// "0x" + 40 hex digits, any case (a mixed-case text must be a correct EIP-55 checksum).
    /// Throws Error(invalid_input) otherwise.
    [[nodiscard]] static Address from_hex(std::string_view text);
    /// from_hex() that says "not an address" with nullopt instead of throwing.
    [[nodiscard]] static std::optional<Address> parse(std::string_view text) noexcept;
    /// An address given as a person hands it over: the hex text, or the account's code text
    /// (code(), e.g. read from its QR code), with surrounding spaces ignored. nullopt otherwise.
    [[nodiscard]] static std::optional<Address> parse_code(std::string_view text) noexcept;

    /// EIP-55 mixed-case text, as people and wallets show it.
    [[nodiscard]] std::string checksum() const;
    /// Lower-case "0x..." text.
    [[nodiscard]] std::string hex() const;
    /// The account's code text, "ethereum:0x<checksum>" (an EIP-681 address URI, so that a
    /// wallet scanning it recognises an account): what a QR code of the account holds.
    [[nodiscard]] std::string code() const;
    [[nodiscard]] const std::array<std::uint8_t, 20>& bytes() const noexcept { return bytes_; }

    auto operator<=>(const Address&) const = default;

private:
    std::array<std::uint8_t, 20> bytes_{};
};

// ---- accounts ----------------------------------------------------------------------------

enum class Role { doctor, patient, admin };
/// "doctor", "patient", "admin".
[[nodiscard]] std::string_view role_name(Role role) noexcept;
/// The inverse of role_name(); throws Error(invalid_input) naming the accepted values.
[[nodiscard]] Role parse_role(std::string_view text);

struct AccountInfo {
    Address address;
    Role role = Role::patient;
    std::string label;
    std::filesystem::path keystore;  ///< its encrypted keystore file
    std::uint64_t created = 0;
};

/// How a new account gets gas: on the embedded chain it is funded from the chain's dev account
/// (the library's policy: 10 ETH unless told otherwise); on a remote chain its owner funds it.
struct FundingOptions {
    bool fund = true;
    std::uint64_t ether = 10;
};

struct CreatedAccount {
    AccountInfo info;
    bool funded = false;
    /// Set when funding was attempted and failed: the account exists (it is not rolled back);
    /// one sentence saying why, for the face to show with its own way of funding it later.
    std::string funding_error;
};

/// Where an imported key comes from.
struct ImportSource {
    enum class Kind {
        keystore_file,       ///< a Web3 v3 keystore of any wallet (opened with the password to prove it;
                             ///< one below the KDF floor is kept re-encrypted at Dossier's cost)
        private_key_hex,     ///< 64 hex digits, never taken as a path nor echoed in an error (then
                             ///< encrypted under the password)
        embedded_authority,  ///< the embedded chain's credentialing authority (its key is public)
    };
    Kind kind = Kind::keystore_file;
    std::string value;  ///< the keystore path, or the hex key; empty for embedded_authority
};

// ---- node --------------------------------------------------------------------------------

struct Deployment {
    std::uint64_t chain_id = 0;
    Address patient_contract, doctor_contract, audit_contract;
    std::uint64_t deployment_block = 0;
    Json manifest;  ///< the deployment manifest as written
};

struct RecoveryReport {
    std::size_t journaled = 0, already_on_chain = 0, in_flight = 0, resent = 0, reverted = 0, superseded = 0,
                rejected = 0, unrecoverable = 0;
    std::vector<std::string> problems;
};

struct NodeStatus {
    bool embedded = true;  ///< false: a remote chain (no anvil, no gateway of ours)
    bool anvil_running = false;
    int anvil_pid = -1;
    std::string rpc_url;
    bool rpc_ok = false;
    std::optional<std::uint64_t> chain_id;
    std::optional<std::uint64_t> block_number;
    std::filesystem::path manifest_path;
    std::optional<Deployment> deployment;  ///< absent: not deployed yet (or unreadable: see problems)
    bool deployment_ok = false;
    std::optional<Address> authority;
    bool gateway_enabled = false, gateway_running = false, gateway_ok = false;
    int gateway_pid = -1;
    std::string gateway_url;
    // Set by node_up only.
    bool started_anvil = false, started_gateway = false, deployed = false;
    RecoveryReport recovery;
    std::vector<std::string> problems;  ///< one sentence each; empty when healthy
    bool healthy = false;
};

struct NodeUpOptions {
    std::optional<std::uint64_t> chain_id;  ///< of a chain created now (default 31337)
    bool redeploy_if_lost = false;          ///< the chain lost the contracts: deploy afresh instead of failing
    /// Seconds between blocks when the chain starts now (0, the default: a block per
    /// transaction, at once). A running chain keeps its mode.
    unsigned block_time = 0;
};

struct NodeDownReport {
    bool anvil_was_running = false, gateway_was_running = false, state_saved = false;
    std::size_t journal_compacted = 0, journal_kept = 0;
};

// ---- doctors and patients ------------------------------------------------------------------

enum class DoctorStatus { none, registered, verified, suspended };
/// "none", "registered", "verified", "suspended".
[[nodiscard]] std::string_view status_name(DoctorStatus status) noexcept;

/// A doctor's public profile (a FHIR Practitioner is built from it).
struct DoctorProfile {
    std::string name;  ///< full name, family name last
    std::string specialty, licence, phone, email;
};

struct DoctorInfo {
    Address address;
    DoctorStatus status = DoctorStatus::none;
    std::uint64_t since = 0;
    std::optional<std::string> public_key;      ///< hex, 64 bytes x || y
    std::optional<std::string> profile_digest;  ///< hex
    std::optional<Json> profile;                ///< the FHIR Practitioner, if the store has it
    std::string summary;                        ///< one line about the profile ("" if none)
};

struct DoctorRegistration {
    Address doctor;
    std::string profile_digest, profile_cid, tx;
};

/// What a patient's profile says (a FHIR Patient is built from it).
struct PatientProfile {
    std::string name;        ///< full name, family name last
    std::string birth_date;  ///< YYYY-MM-DD
    std::string gender;      ///< male, female, other, unknown or empty
    std::string phone, email;
};

struct PatientRegistration {
    Address patient;
    std::string profile_digest, profile_meta, tx;
};

/// A doctor registers a new patient sitting next to it: the patient's account is created here
/// (its password chosen by the patient), funded on the embedded chain, and registered with the
/// patient's signed consent; the doctor gets access for `days`.
struct NewPatient {
    std::string label;
    std::string password;
    PatientProfile profile;
    unsigned days = 365;
};

struct AddedPatient {
    AccountInfo account;
    PatientRegistration registration;
    Address doctor;
    std::uint64_t grant_expiry = 0;
};

struct PatientInfo {
    Address patient;
    bool registered = false;
    std::uint32_t epoch = 0;
    std::uint32_t records = 0;
};

// ---- access --------------------------------------------------------------------------------

enum class RequestState { none, pending, approved, expired, denied, revoked, blocked };
/// "none", "pending", "approved", "expired", "denied", "revoked", "blocked".
[[nodiscard]] std::string_view state_name(RequestState state) noexcept;

struct AccessRequest {
    Address doctor;
    RequestState state = RequestState::none;
    std::uint64_t expiry = 0;
    std::uint32_t epoch = 0;
    std::uint64_t requested_at = 0;
    std::uint64_t updated_at = 0;
};

struct RevokeResult {
    std::uint32_t new_epoch = 0;
    std::vector<Address> kept;  ///< doctors that received the new key
};

// ---- records and files ---------------------------------------------------------------------

/// clinical: an Observation, MedicationRequest, Immunization, Procedure, Encounter,
/// DiagnosticReport or CarePlan kept as written (an imported EHR's records).
enum class RecordKind { condition, medication, allergy, appointment, note, file, clinical };
/// "condition", "medication", "allergy", "appointment", "note", "file", "clinical".
[[nodiscard]] std::string_view kind_name(RecordKind kind) noexcept;
/// The inverse of kind_name(); throws Error(invalid_input) naming the accepted kinds.
[[nodiscard]] RecordKind parse_kind(std::string_view text);

/// A record as a person types it (a form, the CLI's flags); the library maps it onto FHIR.
struct RecordFields {
    std::string code;         ///< condition: diagnosis; medication: drug and strength; allergy: substance
    std::string text;         ///< note: its text; condition: a note; appointment: description
    std::string status;       ///< clinical status (condition, allergy) or status (medication, appointment)
    std::string start;        ///< onset (condition), start (medication, appointment)
    std::string end;          ///< end (medication, appointment)
    std::string dosage;       ///< medication: dosage instructions
    std::string criticality;  ///< allergy: low, high or unable-to-assess
    std::string reaction;     ///< allergy: the reaction
    std::string title;        ///< note: title
};

/// What to write: simple fields of a kind, or a whole FHIR resource (its kind is read from its
/// resourceType unless given).
struct RecordContent {
    std::optional<RecordKind> kind;
    std::optional<RecordFields> fields;  ///< needs kind
    std::optional<Json> resource;
};

/// One version as the chain records it (nothing decrypted).
struct RecordVersion {
    std::uint32_t record_id = 0;
    std::uint32_t version = 0;
    Address author;
    std::string digest, meta, previous;
    std::uint64_t block = 0;
    std::uint64_t timestamp = 0;
    std::string tx;
};

struct WrittenRecord {
    Address patient;
    std::uint32_t record_id = 0;
    std::uint32_t version = 0;
    RecordKind kind = RecordKind::note;
    std::string digest, tx;
    std::uint64_t block = 0;
};

struct Record {
    RecordVersion info;
    std::uint32_t latest_version = 0;
    std::uint32_t attachments = 0;
    RecordKind kind = RecordKind::note;
    Json resource;             ///< the FHIR resource
    std::uint64_t created = 0;  ///< the writer's clock
    std::string summary;       ///< one line
};

struct RecordListing {
    std::uint32_t record_id = 0;
    RecordVersion latest;
    std::uint32_t attachments = 0;
    std::optional<RecordKind> kind;  ///< absent if the reader could not open it
    std::string summary;             ///< the resource in one line, or why it could not be opened
    bool readable = false;
    /// Why it could not be opened (tampered, permission_denied, node_unavailable, ...).
    std::optional<ErrorCode> problem;
};

struct AttachRequest {
    std::optional<std::uint32_t> record_id;  ///< the record to attach to; none: the file's own record
    std::filesystem::path path;
    std::string name;          ///< default: the path's file name
    std::string content_type;  ///< default: detected from the content
    std::string type_text;     ///< what it is, e.g. "Radiology report"
};

struct AttachedFile {
    std::uint32_t record_id = 0, index = 0, file_record_id = 0;
    std::string digest, meta;
    std::uint64_t size = 0;
    std::string name, content_type, tx;
};

struct FileListing {
    std::uint32_t record_id = 0, index = 0;
    Address author;
    std::string digest;
    std::uint64_t block = 0, timestamp = 0;
    std::string tx;
    std::optional<std::uint32_t> file_record_id;
    /// From the file's description, when the reader can open it (else see error).
    std::optional<std::string> name, content_type;
    std::optional<std::uint64_t> size;
    std::string error;
};

struct FetchedFile {
    std::filesystem::path path;
    std::uint64_t size = 0;
    std::string digest;
};

/// A file an export decrypted: its listing and where its plaintext was written.
struct ExportedFile {
    FileListing listing;
    std::filesystem::path path;
};

/// Everything an export writes, opened as one audited access (Account::read_for_export).
struct PatientExport {
    std::optional<Json> profile;   ///< absent if this reader holds no key for it
    std::vector<Record> records;   ///< latest versions, by record id
    std::size_t unreadable = 0;    ///< records listed but not openable by this reader
    std::vector<ExportedFile> files;
    std::size_t unreadable_files = 0;
};

// ---- audit and store -----------------------------------------------------------------------

struct AuditEntry {
    Address patient;  ///< whose trail it is in
    std::uint64_t seq = 0;
    std::string kind;  ///< "registered", "requested", "approved", ..., "accessed", "unknown"
    Address actor;
    std::uint64_t timestamp = 0, block = 0;
    std::string tx;
    std::string text;  ///< one line in English
    std::optional<Address> doctor;
    std::optional<std::uint32_t> record_id;
    /// approved, registered by a doctor: the grant's expiry (unix seconds), which `text` writes
    /// as a number of seconds; a face shows it as a date.
    std::optional<std::uint64_t> expiry;
    /// False while its block has fewer confirmations than the configured depth: a reorganisation
    /// may still remove it (Config::confirmations; always true on the embedded node).
    bool confirmed = true;
};

struct AuditVerification {
    bool ok = false;
    std::uint64_t entries = 0, chain_seq = 0;
    std::optional<std::uint64_t> first_bad_seq;
    std::string message;
};

struct ObjectProblem {
    std::string object, cid, problem;
};

struct StoreCheck {
    Address patient;
    std::uint64_t objects = 0, bytes = 0;
    std::vector<ObjectProblem> problems;
};

// ---- the local index ---------------------------------------------------------------------

/// The local index of the data directory: the chain's Dossier events, which lists, history and
/// search read without asking the chain.
struct IndexStatus {
    std::filesystem::path file;
    std::optional<std::uint64_t> tip;  ///< the last block indexed (none before the first sync)
    std::uint64_t head = 0;            ///< the chain's head at the last sync
    std::uint64_t lag = 0;             ///< head - tip
    std::uint64_t events = 0, audit_entries = 0;
    std::uint64_t bytes = 0;  ///< on disk (database and write-ahead log)
    std::optional<std::string> last_reorg;  ///< the last reorganisation handled, in one sentence
    std::uint32_t confirmations = 0;        ///< the depth below which entries are shown unconfirmed
};

struct IndexSync {
    std::uint64_t from = 0, to = 0, head = 0, events = 0, pages = 0;
    bool complete = false;             ///< false: stopped by its time budget; the next sync goes on
    std::optional<std::string> reorg;  ///< what a rollback did
};

/// A page of history: a patient's trail, or what one account did across patients.
struct HistoryQuery {
    std::optional<Address> patient;  ///< entries of this patient's trail
    std::optional<Address> actor;    ///< entries this account wrote
    std::optional<std::string> kind;  ///< "approved", "record-added", ... (entry_kind names)
    std::optional<std::uint64_t> since, until;  ///< unix seconds, inclusive
    std::optional<std::string> after;  ///< the previous page's `next`
    std::size_t limit = 50;
};

struct HistoryPage {
    std::vector<AuditEntry> entries;  ///< newest first
    std::optional<std::string> next;  ///< cursor of the next (older) page
};

/// A patient as their doctor sees them in the Patients list.
struct DoctorsPatient {
    Address patient;
    AccessRequest grant;  ///< where this doctor's access stands (grant.doctor: the doctor)
    bool registered_by_doctor = false;
    std::optional<std::string> name, birth_date;  ///< when the doctor can read the profile
};

/// What a patient's Home shows, in one call.
struct PatientHome {
    std::vector<AccessRequest> pending;  ///< requests waiting for a decision
    std::vector<AccessRequest> active;   ///< approved and not expired, with their expiry
    std::vector<AuditEntry> recent;      ///< the last entries of the trail, newest first
};

/// A patient found by a doctor's search.
struct PatientMatch {
    Address patient;
    std::string name, birth_date;  ///< as the profile says ("" where the doctor cannot read it)
    std::optional<std::string> label;  ///< the account's label in this data directory
    RequestState state = RequestState::none;
    std::uint64_t expiry = 0;
    int score = 0;  ///< higher is better
};

// ---- the demonstration ---------------------------------------------------------------------

struct DemoOptions {
    std::filesystem::path examples_dir;  ///< HL7's FHIR R4 examples; empty: found as the library says
    std::string password = "dossier-demo";
    bool start_gateway = true;  ///< when the demo starts the node: with its IPFS gateway daemon
};

struct DemoStep {
    std::string name, text;
    Json data;
    bool refusal = false;
};

struct DemoResult {
    std::uint32_t run = 0;
    std::size_t steps = 0, expected_refusals = 0;
    bool audit_verified = false, started_node = false;
    std::vector<std::string> private_strings;
};

// ---- backup ----------------------------------------------------------------------------------

/// An archive of a data directory (backup.hpp), as create, verify and restore describe it.
struct BackupSummary {
    std::filesystem::path file;
    std::string digest;              ///< the archive's final SHA-256, hex
    std::uint64_t archive_bytes = 0;
    std::uint64_t entries = 0;
    std::uint64_t content_bytes = 0;
    std::uint64_t keystores = 0;
    std::uint64_t blocks = 0;        ///< content-store block files (ciphertext)
    std::string chain_state;         ///< "anvil-dump", "state-file" or "none"
    std::optional<std::uint64_t> chain_id;
    std::uint64_t created = 0;       ///< unix time
    std::vector<std::string> not_included;  ///< one sentence per part left out (a remote chain or Kubo node)
};

}  // namespace dossier::client
