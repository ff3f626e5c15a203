#pragma once
/// A light validator for the FHIR R4 resources Dossier stores. It checks what a careful reader of
/// the R4 specification would check before trusting a document from another client:
///  - the document is a JSON object whose resourceType is a supported kind;
///  - every property is an element of that resource (or its _element extension form), with the right
///    JSON shape: single value or array, object or primitive;
///  - primitives are well formed: code, id, uri, boolean, integer, date, dateTime and instant
///    (including calendar validity: no 30 February), base64Binary;
///  - codes with a required binding that the R4 schema enumerates are from their value set;
///  - required elements are present, including the primitive ones the JSON schema cannot require
///    (MedicationStatement.status...) and choice elements (MedicationStatement.medication[x]).
/// Nested data types that Dossier uses (CodeableConcept, Reference, Period, Attachment...) and the
/// backbone elements of the supported resources are checked in depth; other data types (Extension,
/// Quantity, Timing...) only to be JSON objects. Element tables come from the official R4 JSON
/// schema (elements.hpp). It does not evaluate FHIRPath invariants or terminology.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.hpp"

namespace dossier::fhir {

using Json = nlohmann::json;

/// One problem: where (a FHIRPath-like element path, e.g. "MedicationStatement.dosage[0].text")
/// and what.
struct Issue {
    std::string path;
    std::string message;

    [[nodiscard]] std::string to_string() const { return path.empty() ? message : path + ": " + message; }
};

/// A document that is not a valid resource of a supported kind. what() is the first issue;
/// issues() lists all of them.
class InvalidResourceError : public DecodeError {
public:
    explicit InvalidResourceError(std::vector<Issue> issues);
    [[nodiscard]] const std::vector<Issue>& issues() const noexcept { return issues_; }

private:
    std::vector<Issue> issues_;
};

/// The resource types Dossier reads and writes.
[[nodiscard]] const std::vector<std::string_view>& supported_resource_types();
[[nodiscard]] bool is_supported_resource_type(std::string_view type) noexcept;

/// Every issue found (empty if the resource is valid).
[[nodiscard]] std::vector<Issue> validate(const Json& resource);
/// Throws InvalidResourceError if validate() finds anything.
void check(const Json& resource);

/// R4 primitive formats, exposed for builders and tests.
[[nodiscard]] bool is_date(std::string_view s) noexcept;       ///< YYYY, YYYY-MM or YYYY-MM-DD
[[nodiscard]] bool is_date_time(std::string_view s) noexcept;  ///< a date, or date T hh:mm:ss[.f] zone
[[nodiscard]] bool is_instant(std::string_view s) noexcept;    ///< date T hh:mm:ss[.f] zone
[[nodiscard]] bool is_code(std::string_view s) noexcept;
[[nodiscard]] bool is_id(std::string_view s) noexcept;

}  // namespace dossier::fhir
