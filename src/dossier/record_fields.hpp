#pragma once
/// A record as a person types it: a few plain fields (the CLI's flags, a form), and the FHIR R4
/// resource of each kind that they describe. Callers with more to say (codings, several
/// reactions) build the resource with the fhir builders themselves.
#include <string>

#include "dossier/record_document.hpp"
#include "eth/address.hpp"
#include "fhir/builders.hpp"

namespace dossier::core {

/// Every member has a default so a caller can name only the fields it uses ({.code = ...}).
struct RecordFields {
    std::string code{};         ///< condition: diagnosis; medication: drug and strength; allergy: substance
    std::string text{};         ///< note: its text; condition: a note; appointment: description
    std::string status{};       ///< clinical status (condition, allergy) or status (medication, appointment)
    std::string start{};        ///< onset (condition), start (medication, appointment)
    std::string end{};          ///< end (medication, appointment)
    std::string dosage{};       ///< medication: dosage instructions
    std::string criticality{};  ///< allergy: low, high or unable-to-assess
    std::string reaction{};     ///< allergy: the reaction
    std::string title{};        ///< note: title
};

/// The resource of `kind` that `fields` describe, about `patient`, written by `author` (named as a
/// Practitioner unless the author is the patient). Defaults: a condition is "active". Throws
/// Error for RecordKind::file (files are attached, not typed). The result is not yet validated:
/// adding it as a record does that (fhir::InvalidResourceError names the element).
[[nodiscard]] fhir::Json resource_from_fields(RecordKind kind, const RecordFields& fields, const eth::Address& patient,
                                              const eth::Address& author);

}  // namespace dossier::core
