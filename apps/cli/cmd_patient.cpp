/// `dossier patient register|add|show`.
#include "fields.hpp"
#include "format.hpp"
#include "session.hpp"

namespace dossier::cli {

namespace {

struct PatientArgs {
    std::string as, fields;
};

const std::vector<FieldSpec> kPatientFields = {
    {"name", "Full name, family name last", true},
    {"birthDate", "Birth date (YYYY-MM-DD)", true},
    {"gender", "Gender (male, female, other or unknown)", false},
    {"phone", "Phone", false},
    {"email", "Email", false},
};

constexpr const char* kPatientFieldsExample =
    "\n  where alice.json holds {\"name\": \"Alice Smith\", \"birthDate\": \"1980-02-01\", \"gender\": "
    "\"female\"}\n  (or pipe that JSON in with --fields -, or leave --fields out to be asked each field)";

void add_patient_fields(CLI::App* cmd, PatientArgs& a) {
    cmd->add_option("--fields", a.fields, fields_help(kPatientFields));
}

client::PatientProfile profile_of(const PatientArgs& a) {
    const auto f = read_fields(a.fields, kPatientFields);
    const std::string gender = field(f, "gender");
    if (!gender.empty() && gender != "male" && gender != "female" && gender != "other" && gender != "unknown")
        throw Error("the field 'gender' must be male, female, other or unknown");
    return client::PatientProfile{field(f, "name"), field(f, "birthDate"), gender, field(f, "phone"), field(f, "email")};
}

nlohmann::json registration_json(const client::PatientRegistration& r) {
    return {{"patient", r.patient.checksum()},
            {"profileDigest", r.profile_digest},
            {"profileMeta", r.profile_meta},
            {"tx", r.tx}};
}

}  // namespace

void add_patient_commands(CLI::App& app, Session& s) {
    auto* patient = example(app.add_subcommand("patient", "Patients: register yourself, or (as a verified doctor) "
                                                           "add a patient sitting with you, with their consent"),
                            std::string("dossier patient register --as alice --fields alice.json") +
                                kPatientFieldsExample);
    patient->require_subcommand(1);

    auto ra = std::make_shared<PatientArgs>();
    auto* reg = example(patient->add_subcommand("register", "Register your patient account: your profile is encrypted "
                                                             "under a fresh data key only you hold; the chain sees "
                                                             "only its hash"),
                        std::string("dossier patient register --as alice --fields alice.json") +
                            kPatientFieldsExample);
    reg->add_option("--as", ra->as, "Your patient account (label or address)")->required();
    add_patient_fields(reg, *ra);
    reg->callback([&s, ra] {
        s.action = [&s, ra] {
            const auto profile = profile_of(*ra);  // bad fields are reported before a password is asked
            const auto account = s.unlock(ra->as);
            const auto r = account->register_patient(profile);
            s.out = registration_json(r);
            s.say("registered patient " + r.patient.checksum() + " (profile encrypted, epoch 1)");
        };
    });

    struct AddArgs : PatientArgs {
        std::string label, patient_password_file;
        unsigned days = 365;
    };
    auto aa = std::make_shared<AddArgs>();
    auto* add = example(patient->add_subcommand("add", "Add Patient: a verified doctor creates the patient's account "
                                                        "(keystore under the PATIENT's password, from "
                                                        "--patient-password-file or DOSSIER_PATIENT_PASSWORD), and "
                                                        "registers it with the patient's signed consent, which grants "
                                                        "the doctor access"),
                        "DOSSIER_PATIENT_PASSWORD=... dossier patient add --as dr-house --label p-0142 --fields "
                        "bob.json\n  where bob.json holds {\"name\": \"Bob Jones\", \"birthDate\": \"1975-06-30\"}; the "
                        "label is yours to choose, and\n  need not (should not) name the patient: accounts.json is not "
                        "encrypted");
    add->add_option("--as", aa->as, "The verified doctor (label or address)")->required();
    add->add_option("--label", aa->label, "Label of the new patient account, kept unencrypted in accounts.json: "
                                          "choose one that does not name the patient")
        ->required();
    add->add_option("--patient-password-file", aa->patient_password_file, "File holding the patient's new password");
    add->add_option("--grant-days", aa->days, "How long the doctor's access lasts (days, default 365)");
    add_patient_fields(add, *aa);
    add->callback([&s, aa] {
        s.action = [&s, aa] {
            const auto profile = profile_of(*aa);
            const auto doctor = s.unlock(aa->as);
            PasswordSource src;
            src.env_name = "DOSSIER_PATIENT_PASSWORD";
            if (!aa->patient_password_file.empty()) src.file = aa->patient_password_file;
            const auto patient_pw = read_password(src, "patient's new password: ", true);
            const auto r = doctor->add_patient(client::NewPatient{aa->label, patient_pw, profile, aa->days});
            s.out = registration_json(r.registration);
            s.out["label"] = r.account.label;
            s.out["doctor"] = r.doctor.checksum();
            s.out["grantExpiry"] = r.grant_expiry;
            s.say("created patient account " + r.account.label + " " + r.account.address.checksum());
            s.say("registered with the patient's consent; " + r.doctor.checksum() + " has access until " +
                  utc_time(r.grant_expiry));
        };
    });

    struct ShowArgs {
        std::string patient, as;
    };
    auto sa = std::make_shared<ShowArgs>();
    auto* show = example(patient->add_subcommand("show", "Show a patient: on-chain state, and the decrypted profile "
                                                          "if --as holds a key"),
                         "dossier patient show alice --as dr-house");
    show->add_option("patient", sa->patient, "Label or address")->required();
    show->add_option("--as", sa->as, "Reader (the patient or a doctor with access); without it, chain state only");
    show->callback([&s, sa] {
        s.action = [&s, sa] {
            const auto who = s.resolve(sa->patient);
            std::unique_ptr<client::Account> reader;
            if (!sa->as.empty()) reader = s.unlock(sa->as);
            const auto info = s.client().patient(who);
            s.out = {{"patient", who.checksum()},
                     {"registered", info.registered},
                     {"epoch", info.epoch},
                     {"records", info.records}};
            s.say(s.name(who) + (info.registered ? "" : " is not registered"));
            if (!info.registered) return;
            s.say("key epoch " + std::to_string(info.epoch) + ", " + std::to_string(info.records) + " records");
            if (reader) {
                const auto profile = reader->patient_profile(who);
                s.out["profile"] = profile;
                s.say(client::summarize(profile));
            }
        };
    });
}

}  // namespace dossier::cli
