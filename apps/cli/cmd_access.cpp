/// `dossier access request|approve|deny|revoke|list`.
#include "dossier/access.hpp"
#include "format.hpp"
#include "session.hpp"

namespace dossier::cli {

namespace {

nlohmann::json request_json(const core::AccessRequest& r) {
    return {{"doctor", r.doctor.to_checksum()},
            {"state", core::to_string(r.state)},
            {"expiry", r.expiry},
            {"epoch", r.epoch},
            {"requestedAt", r.requested_at},
            {"updatedAt", r.updated_at}};
}

}  // namespace

void add_access_commands(CLI::App& app, Session& s) {
    auto* access = example(app.add_subcommand("access", "Access grants: a verified doctor asks, the patient approves "
                                                         "(until an expiry), denies or revokes"),
                           "dossier access request --as dr-house --patient alice");
    access->require_subcommand(1);

    struct Args {
        std::string as, patient, doctor;
        unsigned days = 30;
    };

    auto rq = std::make_shared<Args>();
    auto* request = example(access->add_subcommand("request", "A verified doctor asks a patient for access"),
                            "dossier access request --as dr-house --patient alice");
    request->add_option("--as", rq->as, "The doctor (label or address)")->required();
    request->add_option("--patient", rq->patient, "The patient (label or address)")->required();
    request->callback([&s, rq] {
        s.action = [&s, rq] {
            const auto cfg = s.config();
            const auto patient = resolve_address(cfg, rq->patient);
            const auto key = s.unlock(rq->as);
            auto ctx = s.open();
            core::request_access(*ctx, key, patient);
            s.out = {{"doctor", key.address().to_checksum()}, {"patient", patient.to_checksum()}, {"state", "pending"}};
            s.say("asked " + display_name(cfg, patient) + " for access; waiting for the patient's decision");
        };
    });

    auto ap = std::make_shared<Args>();
    auto* approve = example(access->add_subcommand("approve", "The patient approves a doctor's pending request: the "
                                                               "doctor receives the current data key, until the "
                                                               "expiry"),
                            "dossier access approve --as alice --doctor dr-house --days 90");
    approve->add_option("--as", ap->as, "The patient (label or address)")->required();
    approve->add_option("--doctor", ap->doctor, "The doctor (label or address)")->required();
    approve->add_option("--days", ap->days, "How long the access lasts (default 30)")->check(CLI::Range(1u, 36500u));
    approve->callback([&s, ap] {
        s.action = [&s, ap] {
            const auto cfg = s.config();
            const auto doctor = resolve_address(cfg, ap->doctor);
            const auto key = s.unlock(ap->as);
            auto ctx = s.open();
            const auto expiry = ctx->chain_time() + std::uint64_t{ap->days} * 86400u;
            core::approve(*ctx, key, doctor, expiry);
            s.out = {{"doctor", doctor.to_checksum()},
                     {"patient", key.address().to_checksum()},
                     {"state", "approved"},
                     {"expiry", expiry}};
            s.say("approved " + display_name(cfg, doctor) + " until " + utc_time(expiry));
        };
    });

    auto dn = std::make_shared<Args>();
    auto* deny = example(access->add_subcommand("deny", "The patient denies a doctor's pending request"),
                         "dossier access deny --as alice --doctor dr-grey");
    deny->add_option("--as", dn->as, "The patient (label or address)")->required();
    deny->add_option("--doctor", dn->doctor, "The doctor (label or address)")->required();
    deny->callback([&s, dn] {
        s.action = [&s, dn] {
            const auto cfg = s.config();
            const auto doctor = resolve_address(cfg, dn->doctor);
            const auto key = s.unlock(dn->as);
            auto ctx = s.open();
            core::deny(*ctx, key, doctor);
            s.out = {{"doctor", doctor.to_checksum()}, {"patient", key.address().to_checksum()}, {"state", "denied"}};
            s.say("denied " + display_name(cfg, doctor));
        };
    });

    auto rv = std::make_shared<Args>();
    auto* revoke = example(access->add_subcommand("revoke", "The patient revokes a doctor's access and moves to a new "
                                                             "data key: the doctor keeps what it could already read, "
                                                             "but cannot open anything written afterwards"),
                           "dossier access revoke --as alice --doctor dr-house");
    revoke->add_option("--as", rv->as, "The patient (label or address)")->required();
    revoke->add_option("--doctor", rv->doctor, "The doctor (label or address)")->required();
    revoke->callback([&s, rv] {
        s.action = [&s, rv] {
            const auto cfg = s.config();
            const auto doctor = resolve_address(cfg, rv->doctor);
            const auto key = s.unlock(rv->as);
            auto ctx = s.open();
            const auto r = core::revoke(*ctx, key, doctor);
            nlohmann::json kept = nlohmann::json::array();
            for (const auto& k : r.kept) kept.push_back(k.to_checksum());
            s.out = {{"doctor", doctor.to_checksum()},
                     {"patient", key.address().to_checksum()},
                     {"state", "revoked"},
                     {"newEpoch", r.new_epoch},
                     {"kept", kept}};
            s.say("revoked " + display_name(cfg, doctor) + "; new data key epoch " + std::to_string(r.new_epoch) +
                  " shared with " + std::to_string(r.kept.size()) + " other doctor(s)");
            s.say("note: what that doctor already read cannot be un-shared; new records are out of its reach");
        };
    });

    auto ls = std::make_shared<Args>();
    auto* list = example(access->add_subcommand("list", "Every doctor that asked a patient, with the state of its "
                                                         "access (from the chain; no password needed)"),
                         "dossier access list --patient alice");
    list->add_option("--patient", ls->patient, "The patient (label or address)")->required();
    list->callback([&s, ls] {
        s.action = [&s, ls] {
            const auto cfg = s.config();
            const auto patient = resolve_address(cfg, ls->patient);
            auto ctx = s.open();
            const auto all = core::list_requests(*ctx, patient);
            s.out = nlohmann::json::array();
            for (const auto& r : all) {
                s.out.push_back(request_json(r));
                std::string line = display_name(cfg, r.doctor) + "  " + core::to_string(r.state);
                if (r.state == core::RequestState::approved || r.state == core::RequestState::expired)
                    line += " (until " + utc_time(r.expiry) + ")";
                s.say(line);
            }
            if (all.empty()) s.say("no doctor has asked for access");
        };
    });
}

}  // namespace dossier::cli
