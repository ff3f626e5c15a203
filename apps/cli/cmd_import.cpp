/// `dossier import`: a clinic's FHIR export (a Bundle or NDJSON) in as records, resumable.
#include "format.hpp"
#include "session.hpp"

#include "dossier/client/fhir_io.hpp"

namespace dossier::cli {

namespace {

struct Args {
    std::string file, as, patient, patients_from;
    bool dry_run = false, per_record = false;
    std::size_t batch = 128, in_flight = 0;
};

}  // namespace

void add_import_command(CLI::App& app, Session& s) {
    auto a = std::make_shared<Args>();
    auto* cmd = example(
        app.add_subcommand(
            "import",
            "Import FHIR R4 resources as records: a Bundle (collection, transaction, batch, searchset, document) or "
            "NDJSON (one resource a line, as FHIR Bulk Data exports write them). Each resource is checked against "
            "the R4 schema; Condition, MedicationStatement/Request, AllergyIntolerance, Observation, Immunization, "
            "Procedure, Encounter, Appointment, DiagnosticReport, DocumentReference and CarePlan become records, "
            "files inside them (Attachment.data) and Binary resources become attached files, and a Patient resource "
            "must match the patient (it is not imported). Safe to run again, or after an interruption: a journal in "
            "the data directory (import/journal.jsonl) keyed by each resource's SHA-256 makes it add nothing twice"),
        "dossier import ehr-export.ndjson --as dr-house --patient alice\n"
        "  dossier import department.json --as dr-house --patients-from mapping.json\n"
        "  where mapping.json holds {\"Patient/123\": \"alice\", \"urn:uuid:...\": \"0xAbC...\"}");
    cmd->add_option("file", a->file, "The Bundle (.json) or NDJSON (.ndjson) file")->required();
    cmd->add_option("--as", a->as, "The author: a doctor with access to the patient, or the patient (label or address)")
        ->required();
    cmd->add_option("--patient", a->patient,
                    "The patient the resources are for (label or address); with --patients-from, the one for "
                    "resources that name no patient");
    cmd->add_option("--patients-from", a->patients_from,
                    "A JSON mapping from the file's Patient references (\"Patient/123\", a fullUrl, "
                    "\"identifier:<system>|<value>\") to registered patients (labels or addresses), to import for "
                    "several patients at once");
    cmd->add_flag("--dry-run", a->dry_run, "Check every resource and report what would be added; write nothing");
    cmd->add_option("--batch", a->batch,
                    "Records written per batch: one transaction and one journal sync each (at most 256)")
        ->capture_default_str()
        ->check(CLI::Range(1, 256));
    cmd->add_flag("--per-record", a->per_record,
                  "One transaction per record instead of one per batch (slower; kept for comparison)");
    cmd->add_option("--in-flight", a->in_flight,
                    "Transactions sent and waiting for the chain at once (default 8 batches, or 16 with "
                    "--per-record); more fill the blocks of a chain that makes one every few seconds")
        ->check(CLI::Range(1, 256));
    cmd->callback([&s, a] {
        s.action = [&s, a] {
            if (a->patient.empty() && a->patients_from.empty())
                throw Error(ErrorCode::invalid_input, "say whom the resources are for: --patient or --patients-from");
            client::ImportOptions options;
            options.file = a->file;
            if (!a->patient.empty()) options.patient = s.resolve(a->patient);
            if (!a->patients_from.empty()) options.patients = client::load_patient_mapping(s.client(), a->patients_from);
            options.dry_run = a->dry_run;
            options.batch = a->batch;
            options.in_flight = a->in_flight;
            options.per_record = a->per_record;
            const auto account = s.unlock(a->as);
            std::unique_ptr<ProgressBar> bar;
            const auto r = client::import_fhir(s.client(), *account, options, s.progress_into(bar));
            if (bar) bar->finish();

            nlohmann::json refused = nlohmann::json::array();
            for (const auto& x : r.refused)
                refused.push_back({{"where", x.where},
                                   {"resource", x.resource},
                                   {"reason", std::string(client::refusal_name(x.reason))},
                                   {"message", x.message}});
            nlohmann::json records = nlohmann::json::array();
            for (const auto& x : r.records)
                records.push_back({{"where", x.where},
                                   {"resource", x.resource},
                                   {"patient", x.patient.checksum()},
                                   {"record", x.record_id},
                                   {"files", x.files}});
            const double rate = r.seconds > 0 ? static_cast<double>(r.added) / r.seconds : 0;
            s.out = {{"file", a->file},       {"dryRun", r.dry_run},   {"resources", r.resources},
                     {"added", r.added},      {"files", r.files},      {"skipped", r.skipped},
                     {"settled", r.settled},  {"patientsChecked", r.patients_checked},
                     {"refused", refused},    {"records", records},    {"seconds", r.seconds},
                     {"recordsPerSecond", rate}, {"journal", r.journal.string()}};
            char rate_text[64];
            std::snprintf(rate_text, sizeof rate_text, "%.1f s, %.0f records/s", r.seconds, rate);
            s.say(std::string(r.dry_run ? "checked " : "imported ") + a->file + ": " + std::to_string(r.resources) +
                  " resources, " + std::to_string(r.added) + (r.dry_run ? " would be added" : " added") + " (" +
                  std::to_string(r.files) + " files), " + std::to_string(r.skipped) + " already present, " +
                  std::to_string(r.refused.size()) + " refused" + (r.dry_run ? "" : " (" + std::string(rate_text) + ")"));
            if (r.settled > 0)
                s.say("  " + std::to_string(r.settled) +
                      " records sent before an interruption were found on chain and not sent again");
            if (r.patients_checked > 0)
                s.say("  " + std::to_string(r.patients_checked) + " Patient resources matched their patient");
            for (const auto& x : r.refused)
                s.say("  refused " + (x.resource.empty() ? x.where : x.resource + " (" + x.where + ")") + ": " +
                      std::string(client::refusal_name(x.reason)) + ": " + x.message);
        };
    });
}

}  // namespace dossier::cli
