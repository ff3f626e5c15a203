/// `dossier doctor register|verify|suspend|list`.
#include "base/hex.hpp"
#include "dossier/doctors.hpp"
#include "fhir/summary.hpp"
#include "format.hpp"
#include "session.hpp"

namespace dossier::cli {

namespace {

/// "Gregory House" -> given "Gregory", family "House" (the last word is the family name).
void split_name(const std::string& name, std::string& given, std::string& family) {
    const auto pos = name.find_last_of(' ');
    if (pos == std::string::npos) {
        family = name;
        given.clear();
    } else {
        given = name.substr(0, pos);
        family = name.substr(pos + 1);
    }
}

nlohmann::json doctor_json(const core::DoctorInfo& d) {
    nlohmann::json j{{"address", d.address.to_checksum()},
                     {"status", core::to_string(d.status)},
                     {"since", d.since}};
    j["publicKey"] = d.public_key ? nlohmann::json(to_hex(d.public_key->bytes())) : nlohmann::json();
    j["profileDigest"] = d.profile_digest ? nlohmann::json(to_hex(*d.profile_digest)) : nlohmann::json();
    j["profile"] = d.profile ? *d.profile : nlohmann::json();
    return j;
}

std::string doctor_line(const core::Config& cfg, const core::DoctorInfo& d) {
    std::string line = display_name(cfg, d.address) + "  " + core::to_string(d.status);
    if (d.profile) line += "  " + fhir::summary(*d.profile);
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
            const auto key = s.unlock(ra->as);
            auto ctx = s.open();
            fhir::PractitionerFields f;
            split_name(ra->name, f.given_name, f.family_name);
            f.specialty = ra->specialty;
            f.licence_number = ra->licence;
            f.phone = ra->phone;
            f.email = ra->email;
            const auto r = core::register_doctor(*ctx, key, f);
            s.out = {{"doctor", r.doctor.to_checksum()},
                     {"profileDigest", to_hex(r.profile_digest)},
                     {"profileCid", r.profile_cid.to_string()},
                     {"tx", to_hex(r.tx_hash)},
                     {"status", "registered"}};
            s.say("registered doctor " + r.doctor.to_checksum() + " (profile " + r.profile_cid.to_string() +
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
                const auto cfg = s.config();
                const auto who = resolve_address(cfg, a->doctor);
                const auto key = s.unlock(a->as);
                auto ctx = s.open();
                if (verify)
                    core::verify_doctor(*ctx, key, who);
                else
                    core::suspend_doctor(*ctx, key, who);
                s.out = {{"doctor", who.to_checksum()}, {"status", verify ? "verified" : "suspended"}};
                s.say(std::string(verify ? "verified " : "suspended ") + display_name(cfg, who));
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
            const auto cfg = s.config();
            auto ctx = s.open();
            s.out = nlohmann::json::array();
            const auto all = core::list_doctors(*ctx);
            for (const auto& d : all) {
                s.out.push_back(doctor_json(d));
                s.say(doctor_line(cfg, d));
            }
            if (all.empty()) s.say("no doctors registered yet");
        };
    });
    info->callback([&s, show] {
        s.action = [&s, show] {
            const auto cfg = s.config();
            const auto who = resolve_address(cfg, *show);
            auto ctx = s.open();
            const auto d = core::doctor_info(*ctx, who);
            s.out = doctor_json(d);
            s.say(doctor_line(cfg, d));
        };
    });
}

}  // namespace dossier::cli
