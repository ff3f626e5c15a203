/// `dossier patient register|add|show`.
#include "base/hex.hpp"
#include "dossier/accounts.hpp"
#include "dossier/patients.hpp"
#include "fhir/summary.hpp"
#include "format.hpp"
#include "session.hpp"

namespace dossier::cli {

namespace {

struct PatientArgs {
    std::string as, name, birth_date, gender, phone, email;
};

void add_patient_fields(CLI::App* cmd, PatientArgs& a) {
    cmd->add_option("--name", a.name, "Full name, family name last")->required();
    cmd->add_option("--birth-date", a.birth_date, "YYYY-MM-DD")->required();
    cmd->add_option("--gender", a.gender, "male, female, other or unknown")
        ->check(CLI::IsMember({"male", "female", "other", "unknown"}));
    cmd->add_option("--phone", a.phone, "Phone (optional; stays encrypted)");
    cmd->add_option("--email", a.email, "Email (optional; stays encrypted)");
}

fhir::PatientFields fields_of(const PatientArgs& a) {
    fhir::PatientFields f;
    const auto pos = a.name.find_last_of(' ');
    if (pos == std::string::npos) {
        f.family_name = a.name;
    } else {
        f.given_name = a.name.substr(0, pos);
        f.family_name = a.name.substr(pos + 1);
    }
    f.birth_date = a.birth_date;
    f.gender = a.gender;
    f.phone = a.phone;
    f.email = a.email;
    return f;
}

nlohmann::json registration_json(const core::PatientRegistration& r) {
    return {{"patient", r.patient.to_checksum()},
            {"profileDigest", to_hex(r.profile.digest)},
            {"profileMeta", to_hex(r.profile.meta)},
            {"tx", to_hex(r.tx_hash)}};
}

}  // namespace

void add_patient_commands(CLI::App& app, Session& s) {
    auto* patient = example(app.add_subcommand("patient", "Patients: register yourself, or (as a verified doctor) "
                                                           "add a patient sitting with you, with their consent"),
                            "dossier patient register --as alice --name \"Alice Smith\" --birth-date 1980-02-01");
    patient->require_subcommand(1);

    auto ra = std::make_shared<PatientArgs>();
    auto* reg = example(patient->add_subcommand("register", "Register your patient account: your profile is encrypted "
                                                             "under a fresh data key only you hold; the chain sees "
                                                             "only its hash"),
                        "dossier patient register --as alice --name \"Alice Smith\" --birth-date 1980-02-01 "
                        "--gender female");
    reg->add_option("--as", ra->as, "Your patient account (label or address)")->required();
    add_patient_fields(reg, *ra);
    reg->callback([&s, ra] {
        s.action = [&s, ra] {
            const auto key = s.unlock(ra->as);
            auto ctx = s.open();
            const auto r = core::register_patient(*ctx, key, fields_of(*ra));
            s.out = registration_json(r);
            s.say("registered patient " + r.patient.to_checksum() + " (profile encrypted, epoch 1)");
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
                        "DOSSIER_PATIENT_PASSWORD=... dossier patient add --as dr-house --label bob --name \"Bob "
                        "Jones\" --birth-date 1975-06-30");
    add->add_option("--as", aa->as, "The verified doctor (label or address)")->required();
    add->add_option("--label", aa->label, "Label of the new patient account")->required();
    add->add_option("--patient-password-file", aa->patient_password_file, "File holding the patient's new password");
    add->add_option("--grant-days", aa->days, "How long the doctor's access lasts (days, default 365)");
    add_patient_fields(add, *aa);
    add->callback([&s, aa] {
        s.action = [&s, aa] {
            const auto cfg = s.config();
            const auto doctor = s.unlock(aa->as);
            PasswordSource src;
            src.env_name = "DOSSIER_PATIENT_PASSWORD";
            if (!aa->patient_password_file.empty()) src.file = aa->patient_password_file;
            const auto patient_pw = read_password(src, "patient's new password: ", true);
            auto ctx = s.open();
            // Check the doctor first, so that a refused doctor leaves no patient account behind.
            if (const auto status = core::doctor_status(*ctx, doctor.address()); status != core::DoctorStatus::verified)
                core::refuse_unverified(status, "doctor " + doctor.address().to_checksum() +
                                                    " is not verified and may not add patients");
            (void)fhir::patient(fields_of(*aa));  // invalid fields are refused before an account exists
            const auto info = core::create_account(cfg, core::Role::patient, aa->label, patient_pw);
            const auto patient_key = core::unlock(cfg, info.address.to_checksum(), patient_pw);
            if (cfg.embedded_chain()) (void)core::fund_account(*ctx, info.address, core::ether(10));
            const auto expiry = ctx->chain_time() + std::uint64_t{aa->days} * 86400u;
            const auto r = core::register_patient_by_doctor(*ctx, doctor, patient_key, fields_of(*aa), expiry);
            s.out = registration_json(r);
            s.out["label"] = info.label;
            s.out["doctor"] = doctor.address().to_checksum();
            s.out["grantExpiry"] = expiry;
            s.say("created patient account " + info.label + " " + info.address.to_checksum());
            s.say("registered with the patient's consent; " + doctor.address().to_checksum() + " has access until " +
                  utc_time(expiry));
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
            const auto cfg = s.config();
            const auto who = resolve_address(cfg, sa->patient);
            std::optional<eth::PrivateKey> reader;
            if (!sa->as.empty()) reader = s.unlock(sa->as);
            auto ctx = s.open();
            const auto info = core::patient_info(*ctx, who);
            s.out = {{"patient", who.to_checksum()},
                     {"registered", info.registered},
                     {"epoch", info.epoch},
                     {"records", info.records}};
            s.say(display_name(cfg, who) + (info.registered ? "" : " is not registered"));
            if (!info.registered) return;
            s.say("key epoch " + std::to_string(info.epoch) + ", " + std::to_string(info.records) + " records");
            if (reader) {
                core::Keyring keyring(*ctx, *reader);
                const auto profile = core::read_profile(*ctx, keyring, who);
                s.out["profile"] = profile;
                s.say(fhir::summary(profile));
            }
        };
    });
}

}  // namespace dossier::cli
