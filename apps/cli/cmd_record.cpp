/// `dossier record add|update|show|list|history`.
#include "fields.hpp"
#include "format.hpp"
#include "session.hpp"

namespace dossier::cli {

namespace {

/// A record's options: --kind with its simple fields (from --fields, stdin or the terminal, never
/// the command line; mapped onto FHIR by the library), or --file, a whole FHIR resource.
struct ResourceArgs {
    std::string kind, file, fields;
};

/// The simple fields of each kind, in the order they are asked.
std::vector<FieldSpec> record_fields_of(client::RecordKind kind) {
    const FieldSpec code{"code", "Code (condition: diagnosis; medication: drug and strength; allergy: substance)"};
    const FieldSpec status{"status", "Status (condition, allergy: clinical status)"};
    const FieldSpec start{"start", "Start (onset; an appointment's as 2026-12-01T09:00:00Z)"};
    const FieldSpec end{"end", "End"};
    const FieldSpec text{"text", "Text (a note's text; a condition's note; an appointment's description)"};
    switch (kind) {
        case client::RecordKind::condition: return {code, status, start, text};
        case client::RecordKind::medication:
            return {code, {"dosage", "Dosage instructions"}, status, start, end};
        case client::RecordKind::allergy:
            return {code, {"criticality", "Criticality (low, high or unable-to-assess)"}, {"reaction", "Reaction, e.g. Hives"},
                    status};
        case client::RecordKind::appointment: return {start, end, text, status};
        case client::RecordKind::note: return {{"title", "Title"}, text};
        default: return {code, text, status, start, end};
    }
}

constexpr const char* kFieldsHelp =
    "JSON file of the record's fields for --kind: condition {code, status, start, text}, medication {code, "
    "dosage, status, start, end}, allergy {code, criticality, reaction, status}, appointment {start, end, text, "
    "status}, note {title, text}; - reads it from stdin; without it (and without --file) each field is asked at "
    "the terminal. Never on the command line: others can read it there";

void add_resource_options(CLI::App* cmd, ResourceArgs& a) {
    cmd->add_option("--kind", a.kind, "condition, medication, allergy, appointment or note")
        ->check(CLI::IsMember({"condition", "medication", "allergy", "appointment", "note"}));
    auto* file = cmd->add_option("--file", a.file, "A FHIR R4 resource in a JSON file (instead of --fields)");
    auto* fields = cmd->add_option("--fields", a.fields, kFieldsHelp);
    file->excludes(fields);
}

/// What the options describe: the --file's resource (its kind from --kind or its resourceType), or
/// the simple fields of --kind (mapped onto FHIR by the library).
client::RecordContent content_of(const ResourceArgs& a) {
    if (a.kind.empty() && a.file.empty())
        throw Error("give --kind (its fields from --fields FILE, --fields - or the terminal) or --file");
    client::RecordContent c;
    if (!a.kind.empty()) c.kind = client::parse_kind(a.kind);
    if (!a.file.empty()) {
        c.resource = client::load_resource(a.file);
        return c;
    }
    const auto f = read_fields(a.fields, record_fields_of(*c.kind));
    client::RecordFields r;
    r.code = field(f, "code");
    r.text = field(f, "text");
    r.status = field(f, "status");
    r.start = field(f, "start");
    r.end = field(f, "end");
    r.dosage = field(f, "dosage");
    r.criticality = field(f, "criticality");
    r.reaction = field(f, "reaction");
    r.title = field(f, "title");
    c.fields = r;
    return c;
}

nlohmann::json version_json(const client::RecordVersion& v) {
    return {{"record", v.record_id}, {"version", v.version},     {"author", v.author.checksum()},
            {"digest", v.digest},    {"meta", v.meta},           {"previous", v.previous},
            {"block", v.block},      {"timestamp", v.timestamp}, {"tx", v.tx}};
}

nlohmann::json written_json(const client::WrittenRecord& w) {
    return {{"patient", w.patient.checksum()},
            {"record", w.record_id},
            {"version", w.version},
            {"digest", w.digest},
            {"tx", w.tx},
            {"block", w.block}};
}

constexpr const char* kAddExample =
    "dossier record add --as dr-house --patient alice --kind medication --fields med.json\n  where med.json holds "
    "{\"code\": \"Metformin 500 mg tablet\", \"dosage\": \"twice daily\"}\n  (or pipe that JSON in with --fields -, "
    "or leave --fields out to be asked each field)\n  dossier record add --as dr-house --patient alice --file "
    "condition.json";

struct Target {
    std::string as, patient;
    std::uint32_t record = 0;
    std::uint32_t version = 0;
};

}  // namespace

void add_record_commands(CLI::App& app, Session& s) {
    auto* record = example(app.add_subcommand("record", "Medical records (conditions, medications, allergies, "
                                                         "appointments, notes): encrypted FHIR documents, every "
                                                         "version kept"),
                           kAddExample);
    record->require_subcommand(1);

    auto at = std::make_shared<Target>();
    auto ar = std::make_shared<ResourceArgs>();
    auto* add = example(record->add_subcommand("add", "Add a record for a patient (as the patient, or a verified doctor "
                                                       "with access); from simple fields or a FHIR JSON file"),
                        kAddExample);
    add->add_option("--as", at->as, "The author (label or address)")->required();
    add->add_option("--patient", at->patient, "The patient (label or address)")->required();
    add_resource_options(add, *ar);
    add->callback([&s, at, ar] {
        s.action = [&s, at, ar] {
            const auto patient = s.resolve(at->patient);
            const auto content = content_of(*ar);
            const auto account = s.unlock(at->as);
            const auto w = account->add_record(patient, content);
            s.out = written_json(w);
            s.out["kind"] = std::string(client::kind_name(w.kind));
            s.say("added record " + std::to_string(w.record_id) + " (" + std::string(client::kind_name(w.kind)) +
                  ") for " + s.name(patient));
        };
    });

    auto ut = std::make_shared<Target>();
    auto ur = std::make_shared<ResourceArgs>();
    auto* update = example(record->add_subcommand("update", "Add a new version of a record (the old one stays in the "
                                                             "history); give the whole new content"),
                           "dossier record update --as dr-house --patient alice --record 1 --kind condition "
                           "--fields dm2.json\n  where dm2.json holds {\"code\": \"Type 2 diabetes mellitus\", "
                           "\"status\": \"remission\"}");
    update->add_option("--as", ut->as, "The author (label or address)")->required();
    update->add_option("--patient", ut->patient, "The patient (label or address)")->required();
    update->add_option("--record", ut->record, "Record id")->required();
    add_resource_options(update, *ur);
    update->callback([&s, ut, ur] {
        s.action = [&s, ut, ur] {
            const auto patient = s.resolve(ut->patient);
            auto content = content_of(*ur);
            if (content.resource) content.kind.reset();  // an update's kind is its resource's
            const auto account = s.unlock(ut->as);
            const auto w = account->update_record(patient, ut->record, content);
            s.out = written_json(w);
            s.say("record " + std::to_string(w.record_id) + " is now at version " + std::to_string(w.version));
        };
    });

    auto st = std::make_shared<Target>();
    auto* show = example(record->add_subcommand("show", "Decrypt and show one record (a doctor's read is logged in "
                                                         "the patient's audit trail first)"),
                         "dossier record show --as dr-house --patient alice --record 1");
    show->add_option("--as", st->as, "The reader (label or address)")->required();
    show->add_option("--patient", st->patient, "The patient (label or address)")->required();
    show->add_option("--record", st->record, "Record id")->required();
    show->add_option("--version", st->version, "Version (default: the latest)");
    show->callback([&s, st] {
        s.action = [&s, st] {
            const auto patient = s.resolve(st->patient);
            const auto account = s.unlock(st->as);
            const auto r = account->show_record(patient, st->record,
                                                st->version ? std::optional<std::uint32_t>(st->version) : std::nullopt);
            s.out = version_json(r.info);
            s.out["latestVersion"] = r.latest_version;
            s.out["attachments"] = r.attachments;
            s.out["kind"] = std::string(client::kind_name(r.kind));
            s.out["resource"] = r.resource;
            s.out["created"] = r.created;
            s.say("record " + std::to_string(r.info.record_id) + " version " + std::to_string(r.info.version) + "/" +
                  std::to_string(r.latest_version) + " by " + s.name(r.info.author) + " at " +
                  utc_time(r.info.timestamp));
            s.say(r.summary);
            if (r.attachments) s.say(std::to_string(r.attachments) + " attached file(s)");
            s.say(r.resource.dump(2));
        };
    });

    auto lt = std::make_shared<Target>();
    auto* list = example(record->add_subcommand("list", "List a patient's records (latest versions) with a one-line "
                                                         "summary of each"),
                         "dossier record list --as alice --patient alice");
    list->add_option("--as", lt->as, "The reader (label or address)")->required();
    list->add_option("--patient", lt->patient, "The patient (label or address)")->required();
    list->callback([&s, lt] {
        s.action = [&s, lt] {
            const auto patient = s.resolve(lt->patient);
            const auto account = s.unlock(lt->as);
            auto bar = s.progress("opening records");
            const auto all = account->list_records(
                patient, [&bar](const client::Progress& p) { bar->update(p.done, p.total); });
            bar->finish();
            s.out = nlohmann::json::array();
            for (const auto& r : all) {
                auto j = version_json(r.latest);
                j["attachments"] = r.attachments;
                j["readable"] = r.readable;
                j["kind"] = r.kind ? nlohmann::json(std::string(client::kind_name(*r.kind))) : nlohmann::json();
                j["summary"] = r.summary;
                s.out.push_back(j);
                s.say("#" + std::to_string(r.record_id) + " v" + std::to_string(r.latest.version) + "  " +
                      (r.kind ? std::string(client::kind_name(*r.kind)) : std::string("?")) + "  " + r.summary +
                      (r.attachments ? "  [" + std::to_string(r.attachments) + " file(s)]" : ""));
            }
            if (all.empty()) s.say("no records yet");
        };
    });

    auto ht = std::make_shared<Target>();
    auto* history = example(record->add_subcommand("history", "Every version of a record, from the chain (who, when, "
                                                               "which hash; nothing is decrypted)"),
                            "dossier record history --patient alice --record 1");
    history->add_option("--patient", ht->patient, "The patient (label or address)")->required();
    history->add_option("--record", ht->record, "Record id")->required();
    history->callback([&s, ht] {
        s.action = [&s, ht] {
            const auto patient = s.resolve(ht->patient);
            const auto all = s.client().record_history(patient, ht->record);
            s.out = nlohmann::json::array();
            for (const auto& v : all) {
                s.out.push_back(version_json(v));
                s.say("v" + std::to_string(v.version) + "  " + utc_time(v.timestamp) + "  by " +
                      s.name(v.author) + "  digest " + v.digest);
            }
        };
    });
}

}  // namespace dossier::cli
