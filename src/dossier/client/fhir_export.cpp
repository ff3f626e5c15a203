// export_fhir: a patient's records (latest versions) out as a FHIR Bundle, NDJSON or a PDF
// summary, read through the Account (a doctor's reads are logged on chain, as for `record list`
// and `record show`).
#include <algorithm>
#include <ctime>

#include "base/atomic_file.hpp"
#include "dossier/client/connection.hpp"
#include "dossier/client/fhir_io.hpp"
#include "dossier/summary_pdf.hpp"

namespace dossier::client {

namespace {

std::string iso_date(std::uint64_t seconds) {
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

std::string iso_instant(std::uint64_t seconds) {
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

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

std::string pdf_of(Client& client, const Address& patient, const std::optional<Json>& profile,
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

}  // namespace

std::string_view export_format_name(ExportFormat format) noexcept {
    switch (format) {
        case ExportFormat::bundle: return "bundle";
        case ExportFormat::ndjson: return "ndjson";
        case ExportFormat::pdf: return "pdf";
    }
    return "bundle";
}

ExportFormat parse_export_format(std::string_view text) {
    for (const auto f : {ExportFormat::bundle, ExportFormat::ndjson, ExportFormat::pdf})
        if (export_format_name(f) == text) return f;
    throw Error(ErrorCode::invalid_input, "'" + std::string(text) + "' is not an export format (bundle, ndjson, pdf)");
}

ExportReport export_fhir(Client& client, Account& account, const ExportOptions& options, const ProgressFn& progress,
                         std::stop_token stop) {
    return detail::call(stop, [&] {
        if (options.out.empty()) throw Error(ErrorCode::invalid_input, "an export needs the file to write");
        if (!options.overwrite && std::filesystem::exists(options.out))
            throw Error(ErrorCode::already_exists, options.out.string() + " exists; choose another file or overwrite it");
        // The listing is the audited access of a doctor's export (one entry naming the listing),
        // then each record opened is logged as `record show` logs it.
        const auto listing = account.list_records(options.patient, progress, stop);
        ExportReport report;
        report.out = options.out;
        report.format = options.format;
        std::vector<Record> records;
        std::size_t done = 0;
        for (const auto& l : listing) {
            if (!l.readable) {
                ++report.unreadable;
                continue;
            }
            records.push_back(account.show_record(options.patient, l.record_id));
            if (progress) progress(Progress{"reading records", ++done, listing.size(), "records"});
        }
        std::sort(records.begin(), records.end(),
                  [](const Record& a, const Record& b) { return a.info.record_id < b.info.record_id; });
        report.records = records.size();
        std::optional<Json> profile;
        try {
            profile = account.patient_profile(options.patient);
        } catch (const Error&) {
            // A reader without the profile's key still exports the records it can open.
        }

        std::string bytes;
        if (options.format == ExportFormat::pdf) {
            bytes = pdf_of(client, options.patient, profile, records);
        } else {
            std::vector<Json> resources;
            if (profile) resources.push_back(*profile);
            for (const auto& r : records) resources.push_back(r.resource);
            if (options.format == ExportFormat::ndjson) {
                for (const auto& r : resources) bytes += r.dump(-1, ' ', false, Json::error_handler_t::strict) + "\n";
            } else {
                Json bundle = {{"resourceType", "Bundle"},
                               {"type", "collection"},
                               {"timestamp", iso_instant(static_cast<std::uint64_t>(std::time(nullptr)))},
                               {"entry", Json::array()}};
                for (auto& r : resources) bundle["entry"].push_back(Json{{"resource", std::move(r)}});
                bytes = bundle.dump(1, ' ', false, Json::error_handler_t::strict) + "\n";
            }
        }
        write_file_atomic(options.out, ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 0600,
                          options.overwrite ? Overwrite::allow : Overwrite::forbid);
        report.bytes = bytes.size();
        return report;
    });
}

}  // namespace dossier::client
