// The PDF summary of an export: the patient, then one section per kind of record a reader looks
// for, each row with its author and date, and whether the audit trail verified.
#include <algorithm>
#include <ctime>

#include "dossier/client/export_parts.hpp"
#include "dossier/client/fhir_io.hpp"
#include "dossier/summary_pdf.hpp"

namespace dossier::client::detail {

namespace {

/// The PDF's section of a resource type, in the order a reader looks for them.
struct SectionOf {
    const char* title;
    std::vector<std::string_view> types;
};
const std::vector<SectionOf> kSections = {
    {"Problems", {"Condition"}},
    {"Medications", {"MedicationStatement", "MedicationRequest"}},
    {"Allergies and intolerances", {"AllergyIntolerance"}},
    {"Immunizations", {"Immunization"}},
    {"Results", {"Observation", "DiagnosticReport"}},
    {"Procedures", {"Procedure"}},
    {"Appointments", {"Appointment"}},
    {"Encounters and care plans", {"Encounter", "CarePlan"}},
    {"Notes and files", {"DocumentReference"}},
};

/// "Condition: Type 2 diabetes (active)" without its type: the section says it.
std::string what_of(const Json& resource) {
    std::string s = summarize(resource);
    const std::string type = resource.value("resourceType", std::string());
    if (s.rfind(type + ": ", 0) == 0) s.erase(0, type.size() + 2);
    return s;
}

}  // namespace

std::string summary_pdf_of(Client& client, const Address& patient, const std::optional<Json>& profile,
                           const std::vector<Record>& records) {
    core::SummaryDocument doc;
    doc.title = "Medical record summary";
    std::string name = client.display_name(patient);
    if (profile) {
        const std::string full = what_of(*profile);
        if (!full.empty()) name = full;
    }
    doc.identity.emplace_back("Patient", name);
    if (profile && profile->contains("birthDate")) doc.identity.emplace_back("Born", profile->value("birthDate", ""));
    if (profile && profile->contains("gender")) doc.identity.emplace_back("Gender", profile->value("gender", ""));
    doc.identity.emplace_back("Account", patient.checksum());
    doc.identity.emplace_back("Records", std::to_string(records.size()) + " (latest versions), printed " +
                                              iso_date(static_cast<std::uint64_t>(std::time(nullptr))));
    for (const auto& s : kSections) {
        core::SummarySection section{s.title, {}};
        for (const auto& r : records) {
            const std::string type = r.resource.value("resourceType", std::string());
            if (std::find(s.types.begin(), s.types.end(), type) == s.types.end()) continue;
            section.rows.push_back(core::SummaryRow{what_of(r.resource), iso_date(r.info.timestamp),
                                                    client.display_name(r.info.author)});
        }
        doc.sections.push_back(std::move(section));
    }
    try {
        const AuditVerification v = client.verify_audit(patient);
        doc.footer = "Audit trail: " + std::to_string(v.entries) + " entries, " +
                     (v.ok ? "verified against the chain's head" : "NOT verified: " + v.message);
    } catch (const Error& e) {
        doc.footer = std::string("Audit trail not verified: ") + e.what();
    }
    return core::summary_pdf(doc);
}

}  // namespace dossier::client::detail
