#pragma once
/// One-line human descriptions of FHIR resources, for lists in the CLI and the desktop app, e.g.
/// "Condition: Type 2 diabetes (active, since 2019-03-01)". Works on any JSON: missing or odd
/// elements are skipped, never an error; control characters become spaces; names come from CodeableConcept.text, else the first
/// coding's display, else its code.
#include <string>

#include "fhir/validate.hpp"

namespace dossier::fhir {

[[nodiscard]] std::string summary(const Json& resource);

}  // namespace dossier::fhir
