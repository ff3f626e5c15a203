/// `dossier patient list|search --as DOCTOR`: a doctor's patients, from the local index.
#include "format.hpp"
#include "session.hpp"

namespace dossier::cli {

namespace {

std::string grant_text(client::RequestState state, std::uint64_t expiry) {
    std::string t(client::state_name(state));
    if (state == client::RequestState::approved || state == client::RequestState::expired)
        t += " (until " + utc_time(expiry) + ")";
    return t;
}


}  // namespace

void add_patient_list_commands(CLI::App& app, Session& s) {
    CLI::App* patient = app.get_subcommand("patient");

    struct ListArgs {
        std::string as;
    };
    auto la = std::make_shared<ListArgs>();
    auto* list = example(patient->add_subcommand("list", "A doctor's patients: every patient who approved it (with "
                                                          "the expiry), every pending request, every patient it "
                                                          "registered; names where the doctor may read the profile "
                                                          "(decrypted in memory, never stored)"),
                         "dossier patient list --as dr-house");
    list->add_option("--as", la->as, "The doctor (label or address)")->required();
    list->callback([&s, la] {
        s.action = [&s, la] {
            const auto account = s.unlock(la->as);
            std::unique_ptr<ProgressBar> bar;
            const auto patients = account->doctor_patients(s.progress_into(bar));
            if (bar) bar->finish();
            s.out = nlohmann::json::array();
            for (const auto& p : patients) {
                nlohmann::json j = {{"patient", p.patient.checksum()},
                                    {"state", client::state_name(p.grant.state)},
                                    {"expiry", p.grant.expiry},
                                    {"registeredByDoctor", p.registered_by_doctor}};
                j["name"] = p.name ? nlohmann::json(*p.name) : nlohmann::json(nullptr);
                j["birthDate"] = p.birth_date ? nlohmann::json(*p.birth_date) : nlohmann::json(nullptr);
                s.out.push_back(j);
                s.say((p.name ? *p.name + "  " : std::string()) + p.patient.checksum() + "  " +
                      grant_text(p.grant.state, p.grant.expiry) + (p.registered_by_doctor ? "  registered by you" : ""));
            }
            if (patients.empty()) s.say("no patients yet: ask one with 'dossier access request'");
        };
    });

    struct SearchArgs {
        std::string as, query;
        std::size_t limit = 20;
    };
    auto sa = std::make_shared<SearchArgs>();
    auto* search = example(patient->add_subcommand("search", "Find a patient of yours as you would type it: the "
                                                              "start of a given or family name (any case, accents "
                                                              "optional), a birth date or year, or the start of an "
                                                              "address; every word must match. Best first"),
                           "dossier patient search \"zoe ang\" --as dr-house");
    search->add_option("query", sa->query, "What to look for")->required();
    search->add_option("--as", sa->as, "The doctor (label or address)")->required();
    search->add_option("--limit", sa->limit, "At most this many (default 20)")->check(CLI::Range(1, 1000));
    search->callback([&s, sa] {
        s.action = [&s, sa] {
            const auto account = s.unlock(sa->as);
            std::unique_ptr<ProgressBar> bar;
            const auto matches = account->search_patients(sa->query, sa->limit, s.progress_into(bar));
            if (bar) bar->finish();
            s.out = nlohmann::json::array();
            for (const auto& m : matches) {
                s.out.push_back({{"patient", m.patient.checksum()},
                                 {"name", m.name},
                                 {"birthDate", m.birth_date},
                                 {"state", client::state_name(m.state)},
                                 {"expiry", m.expiry},
                                 {"score", m.score}});
                s.say((m.name.empty() ? std::string("(name not readable)") : m.name) +
                      (m.birth_date.empty() ? "" : "  born " + m.birth_date) + "  " + m.patient.checksum() + "  " +
                      grant_text(m.state, m.expiry));
            }
            if (matches.empty()) s.say("no patient matches \"" + sa->query + "\"");
        };
    });
}

}  // namespace dossier::cli
