#pragma once
/// What an EHR hands over, read as a list of FHIR resources: a Bundle (collection, transaction,
/// batch, searchset, document) or NDJSON (one resource a line, as the FHIR Bulk Data Access
/// specification writes them). Nothing here writes anything: import_fhir (the client API) decides
/// what becomes a record, and this file gives it the pieces: each resource with where it came
/// from, its content digest (the key of the import journal), the patient it is about, and the
/// files it carries inline.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "fhir/validate.hpp"

namespace dossier::core {

/// One resource of the input, or why a piece of the input is not one.
struct SourceResource {
    std::string where;     ///< "entry 3", "line 12": for a person to find it in the file
    std::string full_url;  ///< Bundle.entry.fullUrl ("" in NDJSON)
    std::optional<fhir::Json> resource;  ///< absent: `error` says why (bad JSON, no resourceType)
    std::string error;
};

/// Reads `file`: a JSON document that is a Bundle of an importable type (its entries' resources,
/// nested Bundles flattened), a single resource, or NDJSON. Throws Error(invalid_input) when the
/// file as a whole is neither (a Bundle of type history or message, not JSON at all) and
/// Error(io) when it cannot be read. A bad line of NDJSON is one SourceResource with an error, not
/// a failure of the whole file.
[[nodiscard]] std::vector<SourceResource> read_fhir_source(const std::filesystem::path& file);

/// The canonical form of a resource: compact JSON with object keys in byte order and no
/// insignificant whitespace (numbers and strings as parsed), so that two copies of one resource
/// in different files, or pretty-printed differently, have one digest.
[[nodiscard]] std::string canonical_json(const fhir::Json& resource);
/// Lower-case hex SHA-256 of canonical_json(resource).
[[nodiscard]] std::string resource_digest(const fhir::Json& resource);

/// The Patient a clinical resource is about, as its reference text ("Patient/example",
/// "urn:uuid:..."), from subject, patient or (Appointment) the first Patient participant. None if
/// the resource names no patient.
[[nodiscard]] std::optional<std::string> patient_reference(const fhir::Json& resource);

/// The texts other resources may use to refer to `patient` (a Patient resource): "Patient/<id>",
/// "<id>", its fullUrl, and "identifier:<system>|<value>" and "identifier:<value>" for each identifier.
[[nodiscard]] std::vector<std::string> patient_aliases(const fhir::Json& patient, const std::string& full_url);

/// A file carried inside a resource (an Attachment with data).
struct InlineFile {
    std::string path;          ///< where in the resource, e.g. "content[0].attachment"
    std::string name;          ///< the attachment's title, else a name made from the resource and path
    std::string content_type;  ///< "" if the attachment does not say
    std::string bytes;         ///< decoded
};
/// Every Attachment with data inside `resource`, decoded (a Binary's own data included, named
/// from its id). Throws Error(invalid_input) naming the path for data that is not base64.
[[nodiscard]] std::vector<InlineFile> inline_files(const fhir::Json& resource);

}  // namespace dossier::core
