/// `dossier access request|approve|deny|revoke|block|unblock|rotate-key|list`.
#include "format.hpp"
#include "session.hpp"

namespace dossier::cli {

namespace {

nlohmann::json request_json(const client::AccessRequest& r) {
    return {{"doctor", r.doctor.checksum()},
            {"state", std::string(client::state_name(r.state))},
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
            const auto patient = s.resolve(rq->patient);
            const auto account = s.unlock(rq->as);
            account->request_access(patient);
            s.out = {{"doctor", account->address().checksum()}, {"patient", patient.checksum()}, {"state", "pending"}};
            s.say("asked " + s.name(patient) + " for access; waiting for the patient's decision");
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
            const auto doctor = s.resolve(ap->doctor);
            const auto account = s.unlock(ap->as);
            const auto expiry = account->approve(doctor, ap->days);
            s.out = {{"doctor", doctor.checksum()},
                     {"patient", account->address().checksum()},
                     {"state", "approved"},
                     {"expiry", expiry}};
            s.say("approved " + s.name(doctor) + " until " + utc_time(expiry));
        };
    });

    auto dn = std::make_shared<Args>();
    auto* deny = example(access->add_subcommand("deny", "The patient denies a doctor's pending request"),
                         "dossier access deny --as alice --doctor dr-grey");
    deny->add_option("--as", dn->as, "The patient (label or address)")->required();
    deny->add_option("--doctor", dn->doctor, "The doctor (label or address)")->required();
    deny->callback([&s, dn] {
        s.action = [&s, dn] {
            const auto doctor = s.resolve(dn->doctor);
            const auto account = s.unlock(dn->as);
            account->deny(doctor);
            s.out = {{"doctor", doctor.checksum()}, {"patient", account->address().checksum()}, {"state", "denied"}};
            s.say("denied " + s.name(doctor));
        };
    });

    auto rv = std::make_shared<Args>();
    auto* revoke = example(access->add_subcommand("revoke", "The patient revokes whatever a doctor holds (an approval, "
                                                             "active or expired, or a request) and moves to a new data "
                                                             "key: the doctor keeps what it could already read, but "
                                                             "cannot open anything written afterwards"),
                           "dossier access revoke --as alice --doctor dr-house");
    revoke->add_option("--as", rv->as, "The patient (label or address)")->required();
    revoke->add_option("--doctor", rv->doctor, "The doctor (label or address)")->required();
    revoke->callback([&s, rv] {
        s.action = [&s, rv] {
            const auto doctor = s.resolve(rv->doctor);
            const auto account = s.unlock(rv->as);
            const auto r = account->revoke(doctor);
            nlohmann::json kept = nlohmann::json::array();
            for (const auto& k : r.kept) kept.push_back(k.checksum());
            s.out = {{"doctor", doctor.checksum()},
                     {"patient", account->address().checksum()},
                     {"state", "revoked"},
                     {"newEpoch", r.new_epoch},
                     {"kept", kept}};
            s.say("revoked " + s.name(doctor) + "; new data key epoch " + std::to_string(r.new_epoch) +
                  " shared with " + std::to_string(r.kept.size()) + " other doctor(s)");
            s.say("note: what that doctor already read cannot be un-shared; new records are out of its reach");
        };
    });

    auto bl = std::make_shared<Args>();
    auto* block = example(access->add_subcommand("block", "The patient refuses every further request of a doctor "
                                                           "(a doctor holding an approval is revoked first)"),
                          "dossier access block --as alice --doctor dr-spam");
    block->add_option("--as", bl->as, "The patient (label or address)")->required();
    block->add_option("--doctor", bl->doctor, "The doctor (label or address)")->required();
    block->callback([&s, bl] {
        s.action = [&s, bl] {
            const auto doctor = s.resolve(bl->doctor);
            const auto account = s.unlock(bl->as);
            account->block_requests(doctor);
            s.out = {{"doctor", doctor.checksum()}, {"patient", account->address().checksum()}, {"state", "blocked"}};
            s.say("blocked further requests of " + s.name(doctor));
        };
    });

    auto ub = std::make_shared<Args>();
    auto* unblock = example(access->add_subcommand("unblock", "The patient lets a blocked doctor ask again"),
                            "dossier access unblock --as alice --doctor dr-spam");
    unblock->add_option("--as", ub->as, "The patient (label or address)")->required();
    unblock->add_option("--doctor", ub->doctor, "The doctor (label or address)")->required();
    unblock->callback([&s, ub] {
        s.action = [&s, ub] {
            const auto doctor = s.resolve(ub->doctor);
            const auto account = s.unlock(ub->as);
            account->unblock_requests(doctor);
            s.out = {{"doctor", doctor.checksum()}, {"patient", account->address().checksum()}, {"state", "none"}};
            s.say("unblocked " + s.name(doctor) + ": it may request access again");
        };
    });

    auto rk = std::make_shared<Args>();
    auto* rotate = example(access->add_subcommand("rotate-key", "The patient moves to a new data key without revoking "
                                                                 "anyone: the doctors with access receive it, the "
                                                                 "others (expired, suspended) do not"),
                           "dossier access rotate-key --as alice");
    rotate->add_option("--as", rk->as, "The patient (label or address)")->required();
    rotate->callback([&s, rk] {
        s.action = [&s, rk] {
            const auto account = s.unlock(rk->as);
            const auto r = account->rotate_key();
            nlohmann::json kept = nlohmann::json::array();
            for (const auto& k : r.kept) kept.push_back(k.checksum());
            s.out = {{"patient", account->address().checksum()}, {"newEpoch", r.new_epoch}, {"kept", kept}};
            s.say("new data key epoch " + std::to_string(r.new_epoch) + " shared with " +
                  std::to_string(r.kept.size()) + " doctor(s)");
        };
    });

    auto ls = std::make_shared<Args>();
    auto* list = example(access->add_subcommand("list", "Every doctor that asked a patient, with the state of its "
                                                         "access (from the chain; no password needed)"),
                         "dossier access list --patient alice");
    list->add_option("--patient", ls->patient, "The patient (label or address)")->required();
    list->callback([&s, ls] {
        s.action = [&s, ls] {
            const auto patient = s.resolve(ls->patient);
            const auto all = s.client().access_requests(patient);
            s.out = nlohmann::json::array();
            for (const auto& r : all) {
                s.out.push_back(request_json(r));
                std::string line = s.name(r.doctor) + "  " + std::string(client::state_name(r.state));
                if (r.state == client::RequestState::approved || r.state == client::RequestState::expired)
                    line += " (until " + utc_time(r.expiry) + ")";
                s.say(line);
            }
            if (all.empty()) s.say("no doctor has asked for access");
        };
    });
}

}  // namespace dossier::cli
