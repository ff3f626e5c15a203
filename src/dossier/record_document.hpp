#pragma once
/// The plaintext of a record version: a small JSON document sealed into one object.
///
///   {"format":"dossier-record/1",
///    "kind":"condition|medication|allergy|appointment|note|file",
///    "resource":{...a FHIR R4 resource...},
///    "author":"0x...",            (the writing account, lower-case hex)
///    "created":<unix seconds>}
///
/// Each kind holds one resource type: condition -> Condition, medication -> MedicationStatement,
/// allergy -> AllergyIntolerance, appointment -> Appointment, note -> DocumentReference with the
/// text inline (fhir::clinical_note), file -> DocumentReference whose attachment url is
/// "dossier-object:<hex of the file object's meta>" (the encrypted file itself is a separate object,
/// see files.hpp), clinical -> any of Observation, MedicationRequest, Immunization, Procedure,
/// Encounter, DiagnosticReport, CarePlan (what an EHR's export holds beyond the typed kinds,
/// kept as written: import_fhir). The resource is checked with fhir::check() when a document is built and when it
/// is parsed, so a reader never trusts a document another client wrote without validating it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "base/error.hpp"
#include "eth/address.hpp"
#include "fhir/validate.hpp"

namespace dossier::core {

/// A record document that is not one (bad JSON, wrong format tag, unknown kind, a resource of
/// another type than its kind holds, a malformed author). FHIR problems inside the resource are
/// fhir::InvalidResourceError, which names the element.
class InvalidRecordDocumentError : public DecodeError {
public:
    using DecodeError::DecodeError;
};

enum class RecordKind : std::uint8_t { condition, medication, allergy, appointment, note, file, clinical };

inline constexpr std::string_view kRecordFormat = "dossier-record/1";
/// Attachment url scheme of a file reference: "dossier-object:" + 64 hex digits (the meta word).
inline constexpr std::string_view kObjectUrlScheme = "dossier-object:";

/// "condition", "medication", ...
[[nodiscard]] std::string_view kind_name(RecordKind kind) noexcept;
/// The inverse of kind_name(); throws InvalidRecordDocumentError naming the accepted kinds.
[[nodiscard]] RecordKind parse_kind(std::string_view name);
/// The FHIR resourceType a kind holds (a clinical record: the first of the types it holds).
[[nodiscard]] std::string_view resource_type_of(RecordKind kind) noexcept;
/// The kind for a resource: by resourceType; a DocumentReference is a file if its first attachment
/// has a dossier-object url, else a note; the clinical types are clinical. Throws InvalidRecordDocumentError for other types.
[[nodiscard]] RecordKind kind_of_resource(const fhir::Json& resource);

/// Checks that `resource` is a valid FHIR resource (fhir::InvalidResourceError, naming the element)
/// of the type `kind` holds (InvalidRecordDocumentError); a file reference must carry a
/// dossier-object url.
void check_record_resource(RecordKind kind, const fhir::Json& resource);

struct RecordDocument {
    RecordKind kind = RecordKind::note;
    fhir::Json resource;
    eth::Address author;
    std::uint64_t created = 0;  ///< unix seconds, the writer's clock (the chain's block time is authoritative)
};

/// The writer's clock in unix seconds, for RecordDocument::created and file descriptions.
[[nodiscard]] std::uint64_t now_seconds();

/// The document's bytes (compact JSON, UTF-8). Checks the resource first (check_record_resource).
[[nodiscard]] std::string build_record_document(const RecordDocument& doc);

/// Documents up to this size are padded (pad_document) to a power of two; larger ones (rare for
/// records and profiles) keep their size.
inline constexpr std::size_t kMaxPaddedDocument = 64 * 1024;
/// Pads a JSON document with trailing spaces (JSON whitespace, which every parser skips) to the
/// next power of two of at least 1 KiB, up to kMaxPaddedDocument: the sealed object's size then
/// tells an observer of the store only a size class, not how long a diagnosis or a name is.
void pad_document(std::string& text);
/// Parses and checks a document; throws InvalidRecordDocumentError or fhir::InvalidResourceError.
[[nodiscard]] RecordDocument parse_record_document(ByteView bytes);

/// The attachment url naming a file object ("dossier-object:<hex of meta>").
[[nodiscard]] std::string object_url(const Bytes32& meta);
/// The meta word of a file reference's attachment url; nullopt if `resource` is not a
/// DocumentReference with such a url.
[[nodiscard]] std::optional<Bytes32> file_object_meta(const fhir::Json& resource);

/// What a file reference says about its file (from its first attachment).
struct FileDescription {
    std::string name;          ///< attachment title (the file name)
    std::string content_type;  ///< MIME type
    std::uint64_t size = 0;    ///< plaintext bytes
    Bytes32 meta{};            ///< the file object's meta word
};
/// Reads a file reference; nullopt if it is not one.
[[nodiscard]] std::optional<FileDescription> describe_file(const fhir::Json& resource);

}  // namespace dossier::core
