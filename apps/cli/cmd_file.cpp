/// `dossier file attach|list|fetch`: encrypted attachments of any size, with progress bars.
#include "fields.hpp"
#include "format.hpp"
#include "session.hpp"

namespace dossier::cli {

namespace {

struct Args {
    std::string as, patient, path, out, fields, content_type;
    std::uint32_t record = 0;
    std::uint32_t index = 0;
    bool overwrite = false;
};

}  // namespace

void add_file_commands(CLI::App& app, Session& s) {
    auto* file = example(app.add_subcommand("file", "Files attached to records (reports, images) of any size, "
                                                     "encrypted; their names exist only inside the ciphertext"),
                         "dossier file attach --as dr-house --patient alice --record 1 --path scan.pdf");
    file->require_subcommand(1);

    auto aa = std::make_shared<Args>();
    auto* attach = example(file->add_subcommand("attach", "Encrypt a file into the store and attach it to a record "
                                                           "(or, without --record, to a new file record)"),
                           "dossier file attach --as dr-house --patient alice --record 1 --path scan.pdf --fields "
                           "scan.json\n  where scan.json holds {\"name\": \"chest x-ray 2026.pdf\", \"type\": "
                           "\"Radiology report\"}");
    attach->add_option("--as", aa->as, "The author (label or address)")->required();
    attach->add_option("--patient", aa->patient, "The patient (label or address)")->required();
    attach->add_option("--record", aa->record, "The record to attach it to (default: its own file record)");
    attach->add_option("--path", aa->path, "The file")->required();
    attach->add_option("--fields", aa->fields,
                       "JSON file of the file's description {name?, type?}: the name to keep (default: the path's) "
                       "and what it is, e.g. \"Radiology report\"; - reads it from stdin. Never on the command line: "
                       "others can read it there");
    attach->add_option("--content-type", aa->content_type, "MIME type (default: detected from the content)");
    attach->callback([&s, aa] {
        s.action = [&s, aa] {
            const auto patient = s.resolve(aa->patient);
            std::error_code ec;
            if (!std::filesystem::is_regular_file(aa->path, ec))
                throw Error("'" + aa->path + "' is not a readable file");
            std::map<std::string, std::string> described;
            if (!aa->fields.empty())
                described = read_fields(aa->fields, {{"name", "File name to keep"}, {"type", "What it is"}});
            const auto account = s.unlock(aa->as);
            auto bar = s.progress("encrypting " + std::filesystem::path(aa->path).filename().string());
            client::AttachRequest request;
            if (aa->record) request.record_id = aa->record;
            request.path = aa->path;
            request.name = field(described, "name");
            request.content_type = aa->content_type;
            request.type_text = field(described, "type");
            const auto f = account->attach_file(patient, request,
                                                [&bar](const client::Progress& p) { bar->update(p.done, p.total); });
            bar->finish();
            s.out = {{"patient", patient.checksum()},
                     {"record", f.record_id},
                     {"index", f.index},
                     {"fileRecord", f.file_record_id},
                     {"digest", f.digest},
                     {"meta", f.meta},
                     {"size", f.size},
                     {"name", f.name},
                     {"contentType", f.content_type},
                     {"tx", f.tx}};
            s.say("attached " + f.name + " (" + human_bytes(f.size) + ") to record " + std::to_string(f.record_id) +
                  " as file " + std::to_string(f.index));
        };
    });

    auto la = std::make_shared<Args>();
    auto* list = example(file->add_subcommand("list", "List the files attached to a record (or to every record)"),
                         "dossier file list --as alice --patient alice --record 1");
    list->add_option("--as", la->as, "The reader (label or address)")->required();
    list->add_option("--patient", la->patient, "The patient (label or address)")->required();
    list->add_option("--record", la->record, "Record id (default: all)");
    list->callback([&s, la] {
        s.action = [&s, la] {
            const auto patient = s.resolve(la->patient);
            const auto account = s.unlock(la->as);
            const auto all =
                account->list_files(patient, la->record ? std::optional<std::uint32_t>(la->record) : std::nullopt);
            s.out = nlohmann::json::array();
            for (const auto& f : all) {
                nlohmann::json j{{"record", f.record_id},        {"index", f.index},
                                 {"author", f.author.checksum()}, {"digest", f.digest},
                                 {"block", f.block},              {"timestamp", f.timestamp}};
                std::string line = "record " + std::to_string(f.record_id) + " file " + std::to_string(f.index) + "  ";
                if (f.name) {
                    j["name"] = *f.name;
                    j["contentType"] = f.content_type.value_or("");
                    j["size"] = f.size.value_or(0);
                    line += *f.name + " (" + f.content_type.value_or("") + ", " + human_bytes(f.size.value_or(0)) + ")";
                } else {
                    j["error"] = f.error;
                    line += "(cannot open: " + f.error + ")";
                }
                s.out.push_back(j);
                s.say(line);
            }
            if (all.empty()) s.say("no files attached");
        };
    });

    auto fa = std::make_shared<Args>();
    auto* fetch = example(file->add_subcommand("fetch", "Decrypt an attached file to --out (a file, or a directory to "
                                                         "keep its name); nothing is written unless it all "
                                                         "authenticates"),
                          "dossier file fetch --as dr-house --patient alice --record 1 --index 1 --out ~/Downloads/");
    fetch->add_option("--as", fa->as, "The reader (label or address)")->required();
    fetch->add_option("--patient", fa->patient, "The patient (label or address)")->required();
    fetch->add_option("--record", fa->record, "Record id")->required();
    fetch->add_option("--index", fa->index, "Attachment index (1, 2, ...)")->required();
    fetch->add_option("--out", fa->out, "Destination file or directory")->required();
    fetch->add_flag("--overwrite", fa->overwrite, "Replace an existing destination file");
    fetch->callback([&s, fa] {
        s.action = [&s, fa] {
            const auto patient = s.resolve(fa->patient);
            const auto account = s.unlock(fa->as);
            auto bar = s.progress("decrypting");
            const auto f = account->fetch_file(patient, fa->record, fa->index, fa->out, fa->overwrite,
                                               [&bar](const client::Progress& p) { bar->update(p.done, p.total); });
            bar->finish();
            s.out = {{"path", f.path.string()}, {"size", f.size}, {"digest", f.digest}};
            s.say("wrote " + f.path.string() + " (" + human_bytes(f.size) + ")");
        };
    });
}

}  // namespace dossier::cli
