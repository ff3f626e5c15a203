/// `dossier doctor register|verify|suspend|list`.
#include "fields.hpp"
#include "session.hpp"

namespace dossier::cli {

namespace {

constexpr const char* kRegisterExample =
    "dossier doctor register --as dr-house --fields house.json\n  where house.json holds {\"name\": \"Gregory "
    "House\", \"specialty\": \"Diagnostics\", \"licence\": \"NJ-12345\"}\n  (or pipe that JSON in with "
    "--fields -, or leave --fields out to be asked each field)";

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
                           kRegisterExample);
    doctor->require_subcommand(1);

    struct RegArgs {
        std::string as, fields;
    };
    const std::vector<FieldSpec> specs = {
        {"name", "Full name, family name last", true},
        {"specialty", "Specialty, e.g. Cardiology", true},
        {"licence", "Medical licence number", true},
        {"phone", "Public work phone", false},
        {"email", "Public work email", false},
    };
    auto ra = std::make_shared<RegArgs>();
    auto* reg = example(doctor->add_subcommand("register", "Register your doctor account: publishes your encryption "
                                                            "key and a public FHIR Practitioner profile; the "
                                                            "authority must verify you before you can work"),
                        kRegisterExample);
    reg->add_option("--as", ra->as, "Your doctor account (label or address)")->required();
    reg->add_option("--fields", ra->fields, fields_help(specs));
    reg->callback([&s, ra, specs] {
        s.action = [&s, ra, specs] {
            const auto f = read_fields(ra->fields, specs);  // bad fields are reported before a password is asked
            const auto account = s.unlock(ra->as);
            const auto r = account->register_doctor(client::DoctorProfile{
                field(f, "name"), field(f, "specialty"), field(f, "licence"), field(f, "phone"), field(f, "email")});
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
