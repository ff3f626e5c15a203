#pragma once
/// Test helpers: the HL7 R4 example resources and the official R4 JSON schema validator (node).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fhir/validate.hpp"
#include "support/process.hpp"

namespace dossier::test {

struct Example {
    std::string file;
    fhir::Json json;
};

/// Every example of `type` in the hl7.fhir.r4.examples package (files "<Type>-<id>.json").
inline std::vector<Example> hl7_examples(const std::string& type) {
    const std::filesystem::path dir = source_dir() + "/node_modules/hl7.fhir.r4.examples";
    std::vector<Example> out;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(type + "-", 0) != 0 || entry.path().extension() != ".json") continue;
        std::ifstream in(entry.path());
        std::stringstream ss;
        ss << in.rdbuf();
        out.push_back({name, fhir::Json::parse(ss.str())});
    }
    std::sort(out.begin(), out.end(), [](const Example& a, const Example& b) { return a.file < b.file; });
    return out;
}

/// The HL7 examples of the types a record holds, and Binary: what an import of a clinic's data
/// looks like.
inline std::vector<fhir::Json> hl7_clinical_examples() {
    std::vector<fhir::Json> out;
    for (const char* type : {"Condition", "MedicationStatement", "MedicationRequest", "AllergyIntolerance", "Observation",
                             "Immunization", "Procedure", "Encounter", "Appointment", "DiagnosticReport",
                             "DocumentReference", "CarePlan", "Binary"})
        for (auto& ex : hl7_examples(type)) out.push_back(std::move(ex.json));
    return out;
}

struct SchemaVerdict {
    bool valid = false;
    std::string errors;
};

/// Validates each resource with the official R4 JSON schema (tests/fhir/js/validate_r4.mjs).
inline std::vector<SchemaVerdict> official_schema(const std::vector<fhir::Json>& resources) {
    const std::string script = source_dir() + "/tests/fhir/js/validate_r4.mjs";
    const auto res = fhir::Json::parse(run_ok({"node", script}, fhir::Json(resources).dump(), std::chrono::minutes(3)));
    std::vector<SchemaVerdict> out;
    for (const auto& r : res) out.push_back({r["valid"].get<bool>(), r["errors"].dump()});
    return out;
}

}  // namespace dossier::test
