// The International Patient Summary's Composition: the first entry of an IPS document Bundle,
// with the sections the IPS requires and recommends, coded with their LOINC codes.
#include <algorithm>

#include "dossier/client/export_parts.hpp"

namespace dossier::client::detail {

namespace {

struct IpsSection {
    const char* title;
    const char* loinc;
    const char* display;
    std::vector<std::string_view> types;
};
const std::vector<IpsSection> kIpsSections = {
    {"Problems", "11450-4", "Problem list - Reported", {"Condition"}},
    {"Medications", "10160-0", "History of Medication use Narrative", {"MedicationStatement", "MedicationRequest"}},
    {"Allergies and intolerances", "48765-2", "Allergies and adverse reactions Document", {"AllergyIntolerance"}},
    {"Immunizations", "11369-6", "History of Immunization Narrative", {"Immunization"}},
    {"Results", "30954-2", "Relevant diagnostic tests/laboratory data Narrative", {"Observation", "DiagnosticReport"}},
    {"Procedures", "47519-4", "History of Procedures Document", {"Procedure"}},
};

Json loinc(const char* code, const char* display) {
    return {{"coding", Json::array({Json{{"system", "http://loinc.org"}, {"code", code}, {"display", display}}})}};
}

}  // namespace

bool in_ips_section(const Json& resource) {
    const std::string type = resource.value("resourceType", std::string());
    return std::any_of(kIpsSections.begin(), kIpsSections.end(), [&](const IpsSection& s) {
        return std::find(s.types.begin(), s.types.end(), type) != s.types.end();
    });
}

Json ips_composition(const std::string& patient_url, const Address& author, const std::string& author_name,
                     const std::vector<ExportEntry>& entries, std::uint64_t now) {
    Json who = {{"identifier", {{"system", kAccountSystem}, {"value", author.checksum()}}}};
    if (!author_name.empty()) who["display"] = author_name;
    Json composition = {{"resourceType", "Composition"},
                        {"status", "final"},
                        {"type", loinc("60591-5", "Patient summary Document")},
                        {"subject", {{"reference", patient_url}}},
                        {"date", iso_instant(now)},
                        {"author", Json::array({who})},
                        {"title", "International Patient Summary"},
                        {"section", Json::array()}};
    for (const auto& s : kIpsSections) {
        Json section = {{"title", s.title}, {"code", loinc(s.loinc, s.display)}};
        Json refs = Json::array();
        for (const auto& e : entries) {
            const std::string type = e.resource.value("resourceType", std::string());
            if (std::find(s.types.begin(), s.types.end(), type) != s.types.end())
                refs.push_back(Json{{"reference", e.url}});
        }
        if (refs.empty()) {
            // An empty section says why it is empty rather than being left out (IPS requires
            // problems, medications and allergies to be present).
            section["emptyReason"] = {
                {"coding", Json::array({Json{{"system", "http://terminology.hl7.org/CodeSystem/list-empty-reason"},
                                             {"code", "unavailable"},
                                             {"display", "Unavailable"}}})}};
        } else {
            section["entry"] = std::move(refs);
        }
        composition["section"].push_back(std::move(section));
    }
    return composition;
}

}  // namespace dossier::client::detail
