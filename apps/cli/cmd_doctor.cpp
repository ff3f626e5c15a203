/// `dossier doctor register|verify|suspend|list`.
#include "session.hpp"

namespace dossier::cli {

namespace {

/// "Gregory House" -> given "Gregory", family "House" (the last word is the family name).
nlohmann::json doctor_json(const client::DoctorInfo& d) {
    nlohmann::json j{{"address", d.address.checksum()},
                     {"status", std::string(client::status_name(d.status))},
                     {"since", d.since}};
    j["publicKey"] = d.public_key ? nlohmann::json(*d.public_key) : nlohmann::json();
    j["profileDigest"] = d.profile_digest ? nlohmann::json(*d.profile_digest) : nlohmann::json();
    j["profile"] = d.profile ? *d.profile : nlohmann::json();
    return j;
}

std::string doctor_line(Session& s, const client::DoctorInfo& d) {
    std::string line = s.name(d.address) + "  " + std::string(client::status_name(d.status));
    if (d.profile) line += "  " + d.summary;
    return line;
}

}  // namespace

void add_doctor_commands(CLI::App& app, Session& s) {
    auto* doctor = example(app.add_subcommand("doctor", "Doctors: register with a public profile; the credentialing "
                                                         "authority verifies or suspends them"),
                           "dossier doctor register --as dr-house --name \"Gregory House\" --specialty Diagnostics "
                           "--licence NJ-12345");
    doctor->require_subcommand(1);

    struct RegArgs {
        std::string as, name, specialty, licence, phone, email;
    };
    auto ra = std::make_shared<RegArgs>();
    auto* reg = example(doctor->add_subcommand("register", "Register your doctor account: publishes your encryption "
                                                            "key and a public FHIR Practitioner profile; the "
                                                            "authority must verify you before you can work"),
                        "dossier doctor register --as dr-house --name \"Gregory House\" --specialty Diagnostics "
                        "--licence NJ-12345");
    reg->add_option("--as", ra->as, "Your doctor account (label or address)")->required();
    reg->add_option("--name", ra->name, "Full name, family name last")->required();
    reg->add_option("--specialty", ra->specialty, "Specialty, e.g. Cardiology")->required();
    reg->add_option("--licence", ra->licence, "Medical licence number")->required();
    reg->add_option("--phone", ra->phone, "Public work phone (optional)");
    reg->add_option("--email", ra->email, "Public work email (optional)");
    reg->callback([&s, ra] {
        s.action = [&s, ra] {
            const auto account = s.unlock(ra->as);
            const auto r = account->register_doctor(
                client::DoctorProfile{ra->name, ra->specialty, ra->licence, ra->phone, ra->email});
            s.out = {{"doctor", r.doctor.checksum()},
                     {"profileDigest", r.profile_digest},
                     {"profileCid", r.profile_cid},
                     {"tx", r.tx},
                     {"status", "registered"}};
            s.say("registered doctor " + r.doctor.checksum() + " (profile " + r.profile_cid +
                  "); waiting for the authority's verification");
        };
    });

    for (const bool verify : {true, false}) {
        struct Args {
            std::string doctor, as;
        };
        auto a = std::make_shared<Args>();
        const std::string name = verify ? "verify" : "suspend";
        auto* cmd = example(doctor->add_subcommand(name, verify ? "The credentialing authority verifies a registered "
                                                                  "(or suspended) doctor"
                                                                : "The credentialing authority suspends a doctor: "
                                                                  "it can no longer request access or write records"),
                            "dossier doctor " + name + " dr-house --as admin");
        cmd->add_option("doctor", a->doctor, "The doctor (label or address)")->required();
        cmd->add_option("--as", a->as, "The authority's account (label or address)")->required();
        cmd->callback([&s, a, verify] {
            s.action = [&s, a, verify] {
                const auto who = s.resolve(a->doctor);
                const auto account = s.unlock(a->as);
                if (verify)
                    account->verify_doctor(who);
                else
                    account->suspend_doctor(who);
                s.out = {{"doctor", who.checksum()}, {"status", verify ? "verified" : "suspended"}};
                s.say(std::string(verify ? "verified " : "suspended ") + s.name(who));
            };
        });
    }

    auto* list = example(doctor->add_subcommand("list", "List every registered doctor with status and public profile"),
                         "dossier doctor list");
    auto show = std::make_shared<std::string>();
    auto* info = example(doctor->add_subcommand("show", "Show one doctor's public status, key and profile"),
                         "dossier doctor show dr-house");
    info->add_option("doctor", *show, "Label or address")->required();
    list->callback([&s] {
        s.action = [&s] {
            s.out = nlohmann::json::array();
            const auto all = s.client().doctors();
            for (const auto& d : all) {
                s.out.push_back(doctor_json(d));
                s.say(doctor_line(s, d));
            }
            if (all.empty()) s.say("no doctors registered yet");
        };
    });
    info->callback([&s, show] {
        s.action = [&s, show] {
            const auto who = s.resolve(*show);
            const auto d = s.client().doctor(who);
            s.out = doctor_json(d);
            s.say(doctor_line(s, d));
        };
    });
}

}  // namespace dossier::cli
