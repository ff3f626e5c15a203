/// `dossier audit show --patient P [--verify]`.
#include "base/hex.hpp"
#include "dossier/audit.hpp"
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
    };
    auto a = std::make_shared<Args>();
    auto* show = example(audit->add_subcommand("show", "List a patient's audit entries; --verify recomputes the hash "
                                                        "chain and checks it against the contract (exit 1 if it does "
                                                        "not match)"),
                         "dossier audit show --patient alice --verify");
    show->add_option("--patient", a->patient, "The patient (label or address)")->required();
    show->add_flag("--verify", a->verify, "Check that no entry is missing or altered");
    show->callback([&s, a] {
        s.action = [&s, a] {
            const auto cfg = s.config();
            const auto patient = resolve_address(cfg, a->patient);
            auto ctx = s.open();
            const auto entries = core::audit_history(*ctx, patient);
            nlohmann::json list = nlohmann::json::array();
            for (const auto& e : entries) {
                const auto text = core::describe(e);
                list.push_back({{"seq", e.seq},
                                {"kind", std::string(core::entry_kind_name(e.kind))},
                                {"actor", e.actor.to_checksum()},
                                {"timestamp", e.timestamp},
                                {"block", e.block},
                                {"tx", to_hex(e.tx_hash)},
                                {"text", text}});
                s.say("#" + std::to_string(e.seq) + "  " + utc_time(e.timestamp) + "  " + text);
            }
            s.out = {{"patient", patient.to_checksum()}, {"entries", list}};
            if (a->verify) {
                const auto v = core::verify_audit(*ctx, patient);
                s.out["verification"] = {{"ok", v.ok},
                                         {"entries", v.entries},
                                         {"chainSeq", v.chain_seq},
                                         {"message", v.message}};
                if (v.first_bad_seq) s.out["verification"]["firstBadSeq"] = *v.first_bad_seq;
                s.say(std::string(v.ok ? "verified: " : "NOT verified: ") + v.message);
                if (!v.ok) throw Error("the audit trail does not match the chain: " + v.message);
            }
        };
    });
}

}  // namespace dossier::cli
