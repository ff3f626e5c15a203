#pragma once
/// Builders for the FHIR R4 documents Dossier stores, from the simple fields a form collects.
/// Every builder returns a resource that passes check() (validate.hpp) and throws
/// InvalidResourceError, naming the element, if the fields make an invalid one (a malformed date,
/// an unknown status code, a missing required value). Empty optional fields are left out.
///
/// References between documents use "<Type>/<id>" with the ids Dossier assigns (a patient's id is
/// their account address, e.g. "Patient/0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").
///
/// Clinical notes are DocumentReference resources with the text inline as a text/plain attachment
/// and the LOINC type 11506-3 "Progress note", as HL7's US Core clinical-notes guidance does: a
/// note is a document (author, date, title, free text of any length), which is what
/// DocumentReference describes; Observation.valueString is meant for one observed value and would
/// need an observation code that a free note does not have. Attached files are DocumentReference
/// resources too, with the encrypted file's IPFS address instead of inline data; summary() tells the
/// two apart by whether the attachment carries data or a url.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/validate.hpp"

namespace dossier::fhir {

/// "<type>/<id>"; throws InvalidResourceError if id is not a valid FHIR id.
[[nodiscard]] std::string reference_to(std::string_view type, std::string_view id);

struct PractitionerFields {
    std::string id{};              ///< optional
    std::string given_name{};      ///< e.g. "Jane" (several given names separated by spaces)
    std::string family_name{};     ///< e.g. "Smith"
    std::string specialty{};       ///< Practitioner.qualification.code.text, e.g. "Cardiology"
    std::string licence_number{};  ///< Practitioner.identifier.value
    std::string licence_system = "urn:dossier:medical-licence";  ///< Practitioner.identifier.system
    std::string phone{};           ///< optional
    std::string email{};           ///< optional
};
[[nodiscard]] Json practitioner(const PractitionerFields& f);

struct PatientFields {
    std::string id{};           ///< optional; Dossier uses the account address
    std::string given_name{};
    std::string family_name{};
    std::string birth_date{};   ///< YYYY-MM-DD (or YYYY, YYYY-MM)
    std::string gender{};       ///< male | female | other | unknown; optional
    std::string phone{};        ///< optional
    std::string email{};        ///< optional
};
[[nodiscard]] Json patient(const PatientFields& f);

struct ConditionFields {
    std::string id{};
    std::string subject{};          ///< reference, "Patient/<id>"
    std::string code_text{};        ///< e.g. "Type 2 diabetes mellitus"
    std::string clinical_status{};  ///< active | recurrence | relapse | inactive | remission | resolved
    std::string onset{};            ///< dateTime; optional
    std::string recorder{};         ///< reference to the Practitioner; optional
    std::string note{};             ///< optional
};
[[nodiscard]] Json condition(const ConditionFields& f);

struct MedicationFields {
    std::string id{};
    std::string subject{};          ///< reference, "Patient/<id>"
    std::string medication_text{};  ///< e.g. "Metformin 500 mg tablet"
    std::string status = "active";  ///< active | completed | entered-in-error | intended | stopped | on-hold | unknown | not-taken
    std::string dosage_text{};      ///< e.g. "500 mg twice daily with meals"; optional
    std::string effective_start{};  ///< dateTime; optional
    std::string effective_end{};    ///< dateTime; optional
    std::string information_source{};  ///< reference; optional
};
[[nodiscard]] Json medication_statement(const MedicationFields& f);

struct AllergyFields {
    std::string id{};
    std::string patient{};         ///< reference, "Patient/<id>"
    std::string substance_text{};  ///< AllergyIntolerance.code.text, e.g. "Penicillin"
    std::string criticality{};     ///< low | high | unable-to-assess; optional
    std::string reaction_text{};   ///< reaction manifestation, e.g. "Hives"; optional
    std::string clinical_status = "active";  ///< active | inactive | resolved
    std::string recorded_date{};   ///< dateTime; optional
    std::string recorder{};        ///< reference, "Practitioner/<id>"; optional
};
[[nodiscard]] Json allergy_intolerance(const AllergyFields& f);

struct AppointmentParticipant {
    std::string actor{};    ///< reference, "Patient/<id>" or "Practitioner/<id>"
    std::string display{};  ///< optional
    std::string status = "accepted";  ///< accepted | declined | tentative | needs-action
};

struct AppointmentFields {
    std::string id{};
    std::string status = "booked";  ///< proposed | pending | booked | arrived | fulfilled | cancelled | noshow | ...
    std::string start{};              ///< instant, e.g. "2025-01-10T09:00:00Z"; optional unless status is booked
    std::string end{};                ///< instant; optional
    std::string description{};        ///< optional
    std::vector<AppointmentParticipant> participants{};  ///< at least one
};
[[nodiscard]] Json appointment(const AppointmentFields& f);

struct FileFields {
    std::string id{};
    std::string subject{};       ///< reference, "Patient/<id>"
    std::string status = "current";  ///< current | superseded | entered-in-error
    std::string type_text{};     ///< e.g. "Radiology report"
    std::string content_type{};  ///< MIME type, e.g. "application/pdf"
    std::string title{};         ///< the file name
    std::uint64_t size = 0;    ///< plaintext bytes
    std::string cid{};           ///< IPFS CID of the sealed file; stored as url "ipfs://<cid>"
    std::string date{};          ///< instant; optional
    std::string author{};        ///< reference; optional
};
[[nodiscard]] Json file_reference(const FileFields& f);

struct NoteFields {
    std::string id{};
    std::string subject{};  ///< reference, "Patient/<id>"
    std::string author{};   ///< reference, "Practitioner/<id>"; optional
    std::string title{};    ///< optional
    std::string text{};     ///< the note (UTF-8)
    std::string date{};     ///< instant; optional
};
[[nodiscard]] Json clinical_note(const NoteFields& f);

/// The text of a clinical note built by clinical_note() (decodes its attachment); nullopt if
/// `resource` is not such a note.
[[nodiscard]] std::optional<std::string> note_text(const Json& resource);

/// The IPFS CID of a file reference built by file_reference(); nullopt if it is not one.
[[nodiscard]] std::optional<std::string> file_cid(const Json& resource);

}  // namespace dossier::fhir
