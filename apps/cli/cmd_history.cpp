/// `dossier history`: a patient's trail or what one account did, from the local index.
#include "format.hpp"
#include "session.hpp"

namespace dossier::cli {

namespace {

nlohmann::json entry_json(const client::AuditEntry& e) {
    nlohmann::json j = {{"patient", e.patient.checksum()},
                        {"seq", e.seq},
                        {"kind", e.kind},
                        {"actor", e.actor.checksum()},
                        {"timestamp", e.timestamp},
                        {"block", e.block},
                        {"tx", e.tx},
                        {"text", e.text},
                        {"confirmed", e.confirmed}};
    if (e.doctor) j["doctor"] = e.doctor->checksum();
    if (e.record_id) j["recordId"] = *e.record_id;
    return j;
}

}  // namespace

void add_history_command(CLI::App& app, Session& s) {
    struct Args {
        std::string patient, actor, kind, since, until, after;
        std::size_t limit = 50;
    };
    auto a = std::make_shared<Args>();
    auto* history = example(
        app.add_subcommand("history", "History from the local index, newest first: a patient's whole audit trail "
                                      "(--patient), or everything one account did across patients (--actor, e.g. a "
                                      "doctor). Filters combine; pages of --limit entries, the next page with --after "
                                      "the cursor printed at the end. Public chain data: no password needed"),
        "dossier history --actor dr-house --kind accessed --since 2026-11-01\n"
        "  dossier history --patient alice --limit 20 --after 1764000000.4311744");
    history->add_option("--patient", a->patient, "The patient whose trail to show (label or address)");
    history->add_option("--actor", a->actor, "Only entries written by this account (label or address)");
    history->add_option("--kind", a->kind,
                        "Only entries of this kind: registered, profile-updated, requested, approved, denied, "
                        "revoked, key-rotated, record-added, record-updated, file-attached, accessed");
    history->add_option("--since", a->since, "From this time on (2026-11-24, 2026-11-24T08:00:00Z or unix seconds)");
    history->add_option("--until", a->until, "Up to this time (a date alone: up to its end)");
    history->add_option("--limit", a->limit, "Entries per page (default 50)")->check(CLI::Range(1, 10000));
    history->add_option("--after", a->after, "The cursor of the previous page: show the entries before it");
    history->callback([&s, a] {
        s.action = [&s, a] {
            if (a->patient.empty() && a->actor.empty())
                throw client::Error(client::ErrorCode::invalid_input,
                                    "name whose history to show: --patient (a trail) or --actor (what an account did)");
            client::HistoryQuery q;
            if (!a->patient.empty()) q.patient = s.resolve(a->patient);
            if (!a->actor.empty()) q.actor = s.resolve(a->actor);
            if (!a->kind.empty()) q.kind = a->kind;
            if (!a->since.empty()) q.since = parse_time(a->since);
            if (!a->until.empty()) q.until = parse_time(a->until, true);
            if (!a->after.empty()) q.after = a->after;
            q.limit = a->limit;
            std::unique_ptr<ProgressBar> bar;
            const auto page = s.client().history(q, s.progress_into(bar));
            if (bar) bar->finish();
            nlohmann::json list = nlohmann::json::array();
            for (const auto& e : page.entries) {
                list.push_back(entry_json(e));
                std::string line = utc_time(e.timestamp) + "  ";
                if (!q.patient) line += "patient " + s.name(e.patient) + ": ";
                line += e.text;
                if (!e.confirmed) line += "  (unconfirmed)";
                s.say(line);
            }
            s.out = {{"entries", list}};
            s.out["next"] = page.next ? nlohmann::json(*page.next) : nlohmann::json(nullptr);
            if (page.entries.empty()) s.say("no entries");
            if (page.next) s.say("more: add --after " + *page.next);
        };
    });
}

}  // namespace dossier::cli
