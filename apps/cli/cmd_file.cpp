/// `dossier file attach|list|fetch`: encrypted attachments of any size, with progress bars.
#include <filesystem>

#include "base/hex.hpp"
#include "dossier/files.hpp"
#include "format.hpp"
#include "session.hpp"

namespace dossier::cli {

namespace {

struct Args {
    std::string as, patient, path, out, name, content_type, type_text;
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
                           "dossier file attach --as dr-house --patient alice --record 1 --path scan.pdf --type "
                           "\"Radiology report\"");
    attach->add_option("--as", aa->as, "The author (label or address)")->required();
    attach->add_option("--patient", aa->patient, "The patient (label or address)")->required();
    attach->add_option("--record", aa->record, "The record to attach it to (default: its own file record)");
    attach->add_option("--path", aa->path, "The file")->required();
    attach->add_option("--name", aa->name, "File name to keep (default: the path's)");
    attach->add_option("--content-type", aa->content_type, "MIME type (default: from the file's content)");
    attach->add_option("--type", aa->type_text, "What it is, e.g. \"Radiology report\"");
    attach->callback([&s, aa] {
        s.action = [&s, aa] {
            const auto cfg = s.config();
            const auto patient = resolve_address(cfg, aa->patient);
            std::error_code ec;
            if (!std::filesystem::is_regular_file(aa->path, ec))
                throw Error("'" + aa->path + "' is not a readable file");
            const auto key = s.unlock(aa->as);
            auto ctx = s.open();
            auto bar = s.progress("encrypting " + std::filesystem::path(aa->path).filename().string());
            core::AttachOptions opt;
            opt.name = aa->name;
            opt.content_type = aa->content_type;  // empty: the library reads the type from the content
            opt.type_text = aa->type_text;
            opt.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar->update(done, total); };
            const auto f = core::attach_file(*ctx, key, patient,
                                             aa->record ? std::optional<std::uint32_t>(aa->record) : std::nullopt,
                                             aa->path, opt);
            bar->finish();
            s.out = {{"patient", patient.to_checksum()},
                     {"record", f.record_id},
                     {"index", f.index},
                     {"fileRecord", f.file_record_id},
                     {"digest", to_hex(f.ref.digest)},
                     {"meta", to_hex(f.ref.meta)},
                     {"size", f.size},
                     {"name", f.name},
                     {"tx", to_hex(f.tx_hash)}};
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
            const auto cfg = s.config();
            const auto patient = resolve_address(cfg, la->patient);
            const auto key = s.unlock(la->as);
            auto ctx = s.open();
            core::Reader reader(*ctx, key);
            const auto all = core::list_files(*ctx, reader, patient,
                                              la->record ? std::optional<std::uint32_t>(la->record) : std::nullopt);
            s.out = nlohmann::json::array();
            for (const auto& f : all) {
                nlohmann::json j{{"record", f.record_id},       {"index", f.index},
                                 {"author", f.author.to_checksum()}, {"digest", to_hex(f.ref.digest)},
                                 {"block", f.block},              {"timestamp", f.timestamp}};
                std::string line = "record " + std::to_string(f.record_id) + " file " + std::to_string(f.index) + "  ";
                if (f.description) {
                    j["name"] = f.description->name;
                    j["contentType"] = f.description->content_type;
                    j["size"] = f.description->size;
                    line += f.description->name + " (" + f.description->content_type + ", " +
                            human_bytes(f.description->size) + ")";
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
            const auto cfg = s.config();
            const auto patient = resolve_address(cfg, fa->patient);
            const auto key = s.unlock(fa->as);
            auto ctx = s.open();
            core::Reader reader(*ctx, key);
            auto bar = s.progress("decrypting");
            core::FetchOptions opt;
            opt.overwrite = fa->overwrite;
            opt.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar->update(done, total); };
            const auto f = core::fetch_file(*ctx, reader, patient, fa->record, fa->index, fa->out, opt);
            bar->finish();
            s.out = {{"path", f.path.string()}, {"size", f.size}, {"digest", to_hex(f.ref.digest)}};
            s.say("wrote " + f.path.string() + " (" + human_bytes(f.size) + ")");
        };
    });
}

}  // namespace dossier::cli
