/// `dossier audit show --patient P [--verify]`.
#include "format.hpp"
#include "session.hpp"

namespace dossier::cli {

void add_audit_commands(CLI::App& app, Session& s) {
    auto* audit = example(app.add_subcommand("audit", "The patient's audit trail: every registration, request, "
                                                       "decision, record write and doctor's read, hash-chained on "
                                                       "chain"),
                          "dossier audit show --patient alice --verify");
    audit->require_subcommand(1);
    struct Args {
        std::string patient;
        bool verify = false;
        std::string from = "chain";
        std::string as;
    };
    auto a = std::make_shared<Args>();
    auto* show = example(audit->add_subcommand("show", "List a patient's audit entries; --verify recomputes the hash "
                                                        "chain and checks it against the contract (exit 1 if it does "
                                                        "not match)"),
                         "dossier audit show --patient alice --as alice --verify");
    show->add_option("--patient", a->patient, "The patient (label or address)")->required();
    show->add_flag("--verify", a->verify, "Check that no entry is missing or altered");
    show->add_option("--from", a->from,
                     "Verify the entries the node returns now (chain, the default) or the local index's copy (index)")
        ->check(CLI::IsMember({"chain", "index"}));
    show->add_option("--as", a->as,
                     "Name what each doctor opened, with this account's key (the patient, or a doctor it gave a "
                     "key to): without it a read shows only its keyed commitment");
    show->callback([&s, a] {
        s.action = [&s, a] {
            const auto patient = s.resolve(a->patient);
            const auto entries =
                a->as.empty() ? s.client().audit_trail(patient) : s.unlock(a->as)->audit_trail(patient);
            nlohmann::json list = nlohmann::json::array();
            for (const auto& e : entries) {
                list.push_back({{"seq", e.seq},
                                {"kind", e.kind},
                                {"actor", e.actor.checksum()},
                                {"timestamp", e.timestamp},
                                {"block", e.block},
                                {"tx", e.tx},
                                {"text", e.text}});
                s.say("#" + std::to_string(e.seq) + "  " + utc_time(e.timestamp) + "  " + e.text);
            }
            s.out = {{"patient", patient.checksum()}, {"entries", list}};
            if (a->verify) {
                const auto v = a->from == "index" ? s.client().verify_audit_from_index(patient)
                                                  : s.client().verify_audit(patient);
                s.out["verification"] = {{"ok", v.ok},
                                         {"entries", v.entries},
                                         {"chainSeq", v.chain_seq},
                                         {"message", v.message},
                                         {"source", a->from}};
                if (v.first_bad_seq) s.out["verification"]["firstBadSeq"] = *v.first_bad_seq;
                s.say(std::string(v.ok ? "verified: " : "NOT verified: ") + v.message + " (checked " +
                      (a->from == "index" ? "the local index's copy" : "the entries the node returned") + ")");
                if (!v.ok) throw Error("the audit trail does not match the chain: " + v.message);
            }
        };
    });
}

}  // namespace dossier::cli
