/// `dossier store check`: is every object the chain names still in the content store, intact?
#include "format.hpp"
#include "session.hpp"

namespace dossier::cli {

void add_store_commands(CLI::App& app, Session& s) {
    auto* store = example(app.add_subcommand("store", "The content store (embedded, or the Kubo node of --ipfs-api) "
                                                       "as the chain sees it"),
                          "dossier store check --all");
    store->require_subcommand(1);
    struct Args {
        std::vector<std::string> patients;
        bool all = false;
    };
    auto a = std::make_shared<Args>();
    auto* check = example(store->add_subcommand("check", "Read back every object the chain names for a patient "
                                                          "(profile versions, record versions, attached files) and "
                                                          "verify every block; no key is needed and nothing is "
                                                          "decrypted or logged (exit 1 if anything is missing or "
                                                          "corrupt)"),
                          "dossier store check --patient alice\n  dossier store check --all --json");
    auto* one = check->add_option("--patient", a->patients, "A patient (label or address); repeat for several");
    auto* every = check->add_flag("--all", a->all, "Every registered patient");
    one->excludes(every);
    check->callback([&s, a] {
        s.action = [&s, a] {
            if (a->patients.empty() && !a->all) throw Error("give --patient P (one or more) or --all");
            std::vector<Address> patients;
            if (a->all) patients = s.client().patients();
            for (const auto& p : a->patients) patients.push_back(s.resolve(p));
            nlohmann::json list = nlohmann::json::array();
            std::uint64_t objects = 0;
            std::uint64_t problems = 0;
            for (const auto& patient : patients) {
                auto bar = s.progress("checking " + s.name(patient));
                const auto c = s.client().check_store(
                    patient, [&bar](const client::Progress& p) { bar->update(p.done, p.total); });
                bar->finish();
                nlohmann::json bad = nlohmann::json::array();
                for (const auto& p : c.problems) bad.push_back({{"object", p.object}, {"cid", p.cid}, {"problem", p.problem}});
                list.push_back({{"patient", patient.checksum()}, {"objects", c.objects}, {"bytes", c.bytes}, {"problems", bad}});
                objects += c.objects;
                problems += c.problems.size();
                s.say(s.name(patient) + ": " + std::to_string(c.objects) + " object(s), " +
                      std::to_string(c.bytes) + " bytes verified" + (c.problems.empty() ? ", all intact" : ""));
                for (const auto& p : c.problems) s.say("  " + p.object + " " + p.cid + ": " + p.problem);
            }
            s.out = {{"patients", list}, {"objects", objects}, {"problems", problems}, {"ok", problems == 0}};
            if (patients.empty()) s.say("no registered patients");
            if (problems)
                s.failure = std::to_string(problems) + " of " + std::to_string(objects) +
                            " object(s) the chain names are missing from the store or corrupt";
        };
    });
}

}  // namespace dossier::cli
