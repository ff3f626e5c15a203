/// `dossier export`: a patient's records out, decrypted, as FHIR or a readable PDF.
#include <iostream>

#include "format.hpp"
#include "session.hpp"

#include "dossier/client/fhir_io.hpp"

namespace dossier::cli {

namespace {

struct Args {
    std::string as, patient, format = "bundle", out, files_dir;
    bool overwrite = false;
};

}  // namespace

void add_export_command(CLI::App& app, Session& s) {
    auto a = std::make_shared<Args>();
    auto* cmd = example(
        app.add_subcommand(
            "export",
            "Export a patient's records (latest versions) as a FHIR R4 Bundle (collection, with a Provenance per "
            "version and the attached files), NDJSON, an International Patient Summary (ips) or a readable PDF "
            "summary. WARNING: the export is DECRYPTED: anyone who can read the file reads the record. It is "
            "written only to --out (and --files-dir), mode 0600, never elsewhere. A doctor's export is one access "
            "the patient's audit trail records (\"exported the records\")"),
        "dossier export --as alice --patient alice --format pdf --out alice-summary.pdf");
    cmd->add_option("--as", a->as, "The reader: the patient, or a doctor with access (label or address)")->required();
    cmd->add_option("--patient", a->patient, "The patient (label or address)")->required();
    cmd->add_option("--format", a->format,
                    "bundle (FHIR JSON), ndjson (one resource a line), ips (International Patient Summary) or pdf")
        ->capture_default_str();
    cmd->add_option("--files-dir", a->files_dir,
                    "bundle: write attached files into this directory (decrypted), referenced from the bundle, "
                    "instead of inside it as Binary resources");
    cmd->add_option("--out", a->out, "The file to write (decrypted data)")->required();
    cmd->add_flag("--overwrite", a->overwrite, "Replace --out if it exists");
    cmd->callback([&s, a] {
        s.action = [&s, a] {
            client::ExportOptions options;
            options.patient = s.resolve(a->patient);
            options.format = client::parse_export_format(a->format);
            options.out = a->out;
            options.overwrite = a->overwrite;
            options.files_dir = a->files_dir;
            std::cerr << "warning: " << a->out
                      << " will hold the patient's records DECRYPTED; keep it as carefully as the record itself\n";
            const auto account = s.unlock(a->as);
            std::unique_ptr<ProgressBar> bar;
            const auto r = client::export_fhir(s.client(), *account, options, s.progress_into(bar));
            if (bar) bar->finish();
            s.out = {{"patient", options.patient.checksum()},
                     {"format", std::string(client::export_format_name(r.format))},
                     {"out", r.out.string()},
                     {"records", r.records},
                     {"unreadable", r.unreadable},
                     {"files", r.files},
                     {"provenances", r.provenances},
                     {"bytes", r.bytes}};
            s.say("exported " + std::to_string(r.records) + " records of " + s.name(options.patient) + " to " +
                  r.out.string() + " (" + std::string(client::export_format_name(r.format)) + ", " +
                  human_bytes(r.bytes) + ", decrypted)");
            if (r.unreadable > 0)
                s.say("  " + std::to_string(r.unreadable) + " records could not be opened by this account and are left out");
        };
    });
}

}  // namespace dossier::cli
