#include "dossier/record_fields.hpp"

#include "base/error.hpp"

namespace dossier::core {

fhir::Json resource_from_fields(RecordKind kind, const RecordFields& a, const eth::Address& patient,
                                const eth::Address& author) {
    const std::string subject = fhir::reference_to("Patient", patient.to_hex());
    const bool by_patient = author == patient;
    const std::string author_ref = by_patient ? subject : fhir::reference_to("Practitioner", author.to_hex());
    switch (kind) {
        case RecordKind::condition: {
            fhir::ConditionFields f;
            f.subject = subject;
            f.code_text = a.code;
            f.clinical_status = a.status.empty() ? "active" : a.status;
            f.onset = a.start;
            f.note = a.text;
            if (!by_patient) f.recorder = author_ref;
            return fhir::condition(f);
        }
        case RecordKind::medication: {
            fhir::MedicationFields f;
            f.subject = subject;
            f.medication_text = a.code;
            if (!a.status.empty()) f.status = a.status;
            f.dosage_text = a.dosage;
            f.effective_start = a.start;
            f.effective_end = a.end;
            f.information_source = author_ref;
            return fhir::medication_statement(f);
        }
        case RecordKind::allergy: {
            fhir::AllergyFields f;
            f.patient = subject;
            f.substance_text = a.code;
            f.criticality = a.criticality;
            f.reaction_text = a.reaction;
            if (!a.status.empty()) f.clinical_status = a.status;
            if (!by_patient) f.recorder = author_ref;
            return fhir::allergy_intolerance(f);
        }
        case RecordKind::appointment: {
            fhir::AppointmentFields f;
            if (!a.status.empty()) f.status = a.status;
            f.start = a.start;
            f.end = a.end;
            f.description = a.text;
            f.participants.push_back({subject, "", "accepted"});
            if (!by_patient) f.participants.push_back({author_ref, "", "accepted"});
            return fhir::appointment(f);
        }
        case RecordKind::note: {
            fhir::NoteFields f;
            f.subject = subject;
            if (!by_patient) f.author = author_ref;
            f.title = a.title;
            f.text = a.text;
            return fhir::clinical_note(f);
        }
        case RecordKind::file:
        case RecordKind::clinical:
            break;
    }
    throw Error(ErrorCode::invalid_input,
                kind == RecordKind::file ? "a file is not typed as fields: it is attached"
                                         : "a clinical record is written as a FHIR resource, not as fields");
}

}  // namespace dossier::core
