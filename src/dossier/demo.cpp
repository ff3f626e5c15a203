#include "dossier/demo.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/error.hpp"
#include "base/hex.hpp"
#include "dossier/access.hpp"
#include "dossier/accounts.hpp"
#include "dossier/audit.hpp"
#include "dossier/doctors.hpp"
#include "dossier/files.hpp"
#include "dossier/node.hpp"
#include "dossier/patients.hpp"
#include "dossier/record_fields.hpp"
#include "dossier/records.hpp"
#include "fhir/builders.hpp"
#include "fhir/summary.hpp"

namespace dossier::core {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// The examples package, either flat or with npm's package/ folder inside.
std::optional<fs::path> examples_in(const fs::path& dir) {
    std::error_code ec;
    for (const fs::path& candidate : {dir / "node_modules" / "hl7.fhir.r4.examples",
                                     dir / "node_modules" / "hl7.fhir.r4.examples" / "package"}) {
        if (fs::is_regular_file(candidate / "Patient-example.json", ec)) return candidate;
    }
    return std::nullopt;
}

std::optional<fs::path> search_upwards(fs::path dir) {
    for (int i = 0; i < 8 && !dir.empty(); ++i) {
        if (auto found = examples_in(dir)) return found;
        if (dir == dir.parent_path()) break;
        dir = dir.parent_path();
    }
    return std::nullopt;
}

json read_json(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(ErrorCode::io, "cannot read the example resource '" + file.string() + "'");
    std::stringstream ss;
    ss << in.rdbuf();
    try {
        return json::parse(ss.str());
    } catch (const json::exception&) {
        throw Error(ErrorCode::invalid_input, "the example resource '" + file.string() + "' is not valid JSON");
    }
}

/// The simple fields of an HL7 example Patient (its official name, else the first one).
fhir::PatientFields patient_fields_from(const json& p) {
    fhir::PatientFields f;
    const json* name = nullptr;
    if (p.contains("name") && p["name"].is_array()) {
        for (const auto& n : p["name"])
            if (n.value("use", "") == "official") {
                name = &n;
                break;
            }
        if (!name && !p["name"].empty()) name = &p["name"][0];
    }
    if (name) {
        if (name->contains("given"))
            for (const auto& g : (*name)["given"]) f.given_name += (f.given_name.empty() ? "" : " ") + g.get<std::string>();
        f.family_name = name->value("family", "");
    }
    f.birth_date = p.value("birthDate", "");
    f.gender = p.value("gender", "");
    if (p.contains("telecom") && p["telecom"].is_array())
        for (const auto& t : p["telecom"])
            if (t.value("system", "") == "phone" && t.contains("value") && !t.contains("period")) {
                f.phone = t["value"].get<std::string>();
                break;
            }
    if (f.family_name.empty() || f.birth_date.empty())
        throw Error(ErrorCode::invalid_input, "the example Patient has no name or birth date");
    return f;
}

std::string full_name(const fhir::PatientFields& f) { return f.given_name + " " + f.family_name; }

/// A one-page PDF saying `line` (valid enough for any viewer: objects, xref offsets, trailer).
std::string make_pdf(const std::string& line) {
    const std::string stream = "BT /F1 14 Tf 72 720 Td (" + line + ") Tj ET";
    std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    };
    std::string pdf = "%PDF-1.4\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (const auto off : offsets) {
        char buf[24];
        std::snprintf(buf, sizeof buf, "%010zu 00000 n \n", off);
        pdf += buf;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

/// A private temporary directory, removed with everything in it at the end of the demo.
class ScratchDir {
public:
    ScratchDir() {
        std::string templ = (fs::temp_directory_path() / "dossier-demo-XXXXXX").string();
        if (!mkdtemp(templ.data())) throw Error(ErrorCode::io, "cannot create a temporary directory for the demo");
        path_ = templ;
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    [[nodiscard]] const fs::path& path() const noexcept { return path_; }

private:
    fs::path path_;
};

std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::uint32_t next_run_number(const Config& config) {
    const auto accounts = list_accounts(config);
    for (std::uint32_t n = 1;; ++n) {
        const std::string prefix = "demo" + std::to_string(n) + "-";
        bool used = false;
        for (const auto& a : accounts)
            if (a.label.rfind(prefix, 0) == 0) used = true;
        if (!used) return n;
    }
}

}  // namespace

fs::path find_fhir_examples(const fs::path& requested) {
    std::error_code ec;
    if (!requested.empty()) {
        if (auto found = examples_in(requested.parent_path().parent_path()); found && fs::equivalent(*found, requested, ec))
            return *found;
        if (fs::is_regular_file(requested / "Patient-example.json", ec)) return requested;
        if (fs::is_regular_file(requested / "package" / "Patient-example.json", ec)) return requested / "package";
        throw Error(ErrorCode::not_found,
                    "'" + requested.string() + "' does not hold HL7's FHIR R4 examples (no Patient-example.json)");
    }
    if (const char* env = std::getenv("DOSSIER_FHIR_EXAMPLES"); env && *env) return find_fhir_examples(env);
    if (auto found = search_upwards(fs::current_path(ec))) return *found;
    if (auto exe = fs::read_symlink("/proc/self/exe", ec); !ec)
        if (auto found = search_upwards(exe.parent_path())) return *found;
    throw Error(ErrorCode::not_found,
                "HL7's FHIR R4 examples (node_modules/hl7.fhir.r4.examples) were not found: run from the project "
                "directory or set DOSSIER_FHIR_EXAMPLES");
}

DemoResult run_demo(const Config& config, const DemoOptions& options, const DemoStepFn& on_step) {
    if (!config.embedded_chain())
        throw Error(ErrorCode::invalid_input,
                    "the demo runs on the embedded node only (it uses the embedded chain's authority), not on a "
                    "remote chain");
    const fs::path examples = find_fhir_examples(options.examples_dir);
    DemoResult result;
    auto step = [&](std::string name, std::string text, json data = json::object(), bool refusal = false) {
        ++result.steps;
        if (refusal) ++result.expected_refusals;
        if (on_step) on_step(DemoStep{std::move(name), std::move(text), std::move(data), refusal});
    };
    auto secret = [&](const std::string& s) {
        if (!s.empty()) result.private_strings.push_back(s);
    };

    // --- The node ------------------------------------------------------------------------------
    const auto before = node_status(config);
    if (!before.healthy()) {
        UpOptions up;
        up.start_gateway = options.start_gateway;
        const auto st = node_up(config, up);
        result.started_node = st.started_anvil || st.started_gateway;
        step("node-up", "Started the embedded node: anvil at " + st.rpc_url +
                            (st.deployed ? ", contracts deployed" : ", contracts already deployed") +
                            (st.gateway_url.empty() ? "" : ", IPFS gateway at " + st.gateway_url) + ".",
             {{"rpcUrl", st.rpc_url}, {"deployed", st.deployed}, {"gatewayUrl", st.gateway_url}});
    } else {
        step("node-up", "The embedded node is already running at " + before.rpc_url + ".", {{"rpcUrl", before.rpc_url}});
    }
    auto ctx = Context::open(config);
    const std::uint64_t day = 86400;

    // --- Accounts ------------------------------------------------------------------------------
    result.run = next_run_number(config);
    const std::string tag = "demo" + std::to_string(result.run) + "-";
    const eth::PrivateKey authority = embedded_dev_key();
    try {
        (void)import_private_key(config, kEmbeddedDevKeyHex, options.password, Role::admin, "demo-authority",
                             eth::kLightScrypt);
    } catch (const AccountError& e) {
        // Imported by an earlier run (or by the user under another label): the key is the same.
        if (e.code() != ErrorCode::already_exists) throw;
    }
    step("authority", "The credentialing authority is " + authority.address().to_checksum() +
                          " (anvil's first dev account, which deployed the contracts).",
         {{"address", authority.address().to_checksum()}});

    auto make_account = [&](Role role, const std::string& name) {
        const auto info = create_account(config, role, tag + name, options.password, eth::kLightScrypt);
        auto key = unlock(config, info.label, options.password);
        (void)fund_account(*ctx, info.address, ether(10));
        return std::make_pair(info, std::move(key));
    };

    // --- Doctors -------------------------------------------------------------------------------
    struct Doctor {
        std::string label;
        eth::PrivateKey key;
        std::string name;
    };
    std::vector<Doctor> doctors;
    const std::vector<fhir::PractitionerFields> doctor_fields = {
        {.given_name = "Adam", .family_name = "Careful", .specialty = "General practice", .licence_number = "MD-23451"},
        {.given_name = "Juri", .family_name = "van Gelder", .specialty = "Pulmonology", .licence_number = "MD-88102"},
    };
    for (std::size_t i = 0; i < doctor_fields.size(); ++i) {
        auto [info, key] = make_account(Role::doctor, i == 0 ? "dr-careful" : "dr-vangelder");
        const auto& f = doctor_fields[i];
        const auto reg = register_doctor(*ctx, key, f);
        const std::string name = "Dr " + f.given_name + " " + f.family_name;
        step("doctor-registered",
             name + " (" + f.specialty + ") registered as " + info.label + " " + info.address.to_checksum() +
                 "; the public profile is " + reg.profile_cid.to_string() + ".",
             {{"label", info.label}, {"address", info.address.to_checksum()}, {"profileCid", reg.profile_cid.to_string()}});
        verify_doctor(*ctx, authority, info.address);
        step("doctor-verified", "The authority verified " + name + ".", {{"address", info.address.to_checksum()}});
        doctors.push_back({info.label, std::move(key), name});
    }
    Doctor& careful = doctors[0];
    Doctor& vangelder = doctors[1];

    // --- Patients --------------------------------------------------------------------------------
    struct Patient {
        std::string label;
        eth::PrivateKey key;
        std::string name;
        eth::Address address;
    };
    std::vector<Patient> patients;
    const std::vector<std::pair<std::string, std::string>> examples_used = {
        // The labels are the account index's, which is not encrypted: they name no one.
        {"Patient-example.json", "patient1"}, {"Patient-f001.json", "patient2"}, {"Patient-genetics-example1.json", "patient3"}};
    for (std::size_t i = 0; i < examples_used.size(); ++i) {
        const auto fields = patient_fields_from(read_json(examples / examples_used[i].first));
        secret(full_name(fields));
        secret(fields.given_name);
        secret(fields.family_name);
        secret(fields.birth_date);
        secret(fields.phone);
        auto [info, key] = make_account(Role::patient, examples_used[i].second);
        const std::string name = full_name(fields);
        if (i < 2) {
            (void)register_patient(*ctx, key, fields);
            step("patient-registered",
                 name + " (born " + fields.birth_date + ", from HL7's " + examples_used[i].first + ") registered as " +
                     info.label + " " + info.address.to_checksum() + "; the profile is encrypted, the chain holds its hash.",
                 {{"label", info.label}, {"address", info.address.to_checksum()}, {"example", examples_used[i].first}});
        } else {
            const auto expiry = ctx->chain_time() + 365 * day;
            (void)register_patient_by_doctor(*ctx, vangelder.key, key, fields, expiry);
            step("patient-added",
                 vangelder.name + " added " + name + " (born " + fields.birth_date + ", from HL7's " +
                     examples_used[i].first + ") as " + info.label + " " + info.address.to_checksum() +
                     ", with the patient's signed consent granting access for a year.",
                 {{"label", info.label}, {"address", info.address.to_checksum()}, {"doctor", vangelder.key.address().to_checksum()}});
        }
        patients.push_back({info.label, std::move(key), name, info.address});
    }
    Patient& chalmers = patients[0];
    Patient& heuvel = patients[1];
    Patient& eve = patients[2];

    // --- Access requests ---------------------------------------------------------------------------
    for (Patient* p : {&chalmers, &heuvel}) {
        request_access(*ctx, careful.key, p->address);
        step("access-requested", careful.name + " asked " + p->name + " for access.",
             {{"doctor", careful.key.address().to_checksum()}, {"patient", p->address.to_checksum()}});
        const auto expiry = ctx->chain_time() + 30 * day;
        approve(*ctx, p->key, careful.key.address(), expiry);
        step("access-approved", p->name + " approved " + careful.name + " for 30 days.",
             {{"doctor", careful.key.address().to_checksum()}, {"patient", p->address.to_checksum()}, {"expiry", expiry}});
    }
    request_access(*ctx, vangelder.key, chalmers.address);
    step("access-requested", vangelder.name + " asked " + chalmers.name + " for access.",
         {{"doctor", vangelder.key.address().to_checksum()}, {"patient", chalmers.address.to_checksum()}});
    deny(*ctx, chalmers.key, vangelder.key.address());
    step("access-denied", chalmers.name + " denied " + vangelder.name + "'s request.",
         {{"doctor", vangelder.key.address().to_checksum()}, {"patient", chalmers.address.to_checksum()}});

    // --- Records -----------------------------------------------------------------------------------
    // The simple records are typed as fields, exactly as 'dossier record add' and a form do.
    auto resource_for = [](RecordKind kind, const RecordFields& fields, const Patient& p, const eth::Address& author) {
        return resource_from_fields(kind, fields, p.address, author);
    };
    auto written = [&](const Patient& p, const Doctor* by, const WrittenRecord& w, RecordKind kind, const json& resource) {
        step("record-added",
             (by ? by->name : p.name) + " added record " + std::to_string(w.record_id) + " (" +
                 std::string(kind_name(kind)) + ") for " + p.name + ": " + fhir::summary(resource) + ".",
             {{"patient", p.address.to_checksum()}, {"record", w.record_id}, {"kind", std::string(kind_name(kind))},
              {"digest", to_hex(w.ref.digest)}});
    };
    auto add_typed = [&](const Doctor& by, const Patient& p, RecordKind kind, const RecordFields& fields) {
        const json resource = resource_for(kind, fields, p, by.key.address());
        const auto w = add_record(*ctx, by.key, p.address, kind, resource);
        written(p, &by, w, kind, resource);
        return std::make_pair(w, resource);
    };

    RecordFields diabetes{.code = "Type 2 diabetes mellitus", .text = "Diagnosed after routine HbA1c screening",
                          .status = "active", .start = "2019-03-14"};
    secret(diabetes.code);
    secret(diabetes.text);
    const auto w_condition = add_typed(careful, chalmers, RecordKind::condition, diabetes).first;

    secret("Metformin");
    (void)add_typed(careful, chalmers, RecordKind::medication,
                    {.code = "Metformin 500 mg tablet", .start = "2019-03-20", .dosage = "500 mg twice daily with meals"});

    secret("Penicillin");
    secret("Urticaria");
    (void)add_typed(careful, chalmers, RecordKind::allergy,
                    {.code = "Penicillin G", .criticality = "high", .reaction = "Urticaria"});

    const RecordFields visit{.text = "Diabetes follow-up consultation", .status = "booked",
                             .start = "2027-01-15T09:00:00Z", .end = "2027-01-15T09:30:00Z"};
    secret(visit.text);
    (void)add_typed(careful, chalmers, RecordKind::appointment, visit);

    const RecordFields consult{.text = "HbA1c 7.2 percent; reviewed diet and exercise plan with the patient.",
                               .title = "Consultation"};
    secret(consult.text);
    const json note = add_typed(careful, chalmers, RecordKind::note, consult).second;

    secret("Peanut");
    secret("Anaphylaxis");
    (void)add_typed(careful, heuvel, RecordKind::allergy,
                    {.code = "Peanut", .criticality = "high", .reaction = "Anaphylaxis"});

    const RecordFields asthma{.code = "Allergic asthma", .status = "active"};
    secret(asthma.code);
    (void)add_typed(vangelder, eve, RecordKind::condition, asthma);

    secret("Salbutamol");
    (void)add_typed(vangelder, eve, RecordKind::medication,
                    {.code = "Salbutamol 100 microgram inhaler", .dosage = "2 puffs when needed"});

    // An update: a new version, the first one stays in the history.
    diabetes.status = "remission";
    diabetes.text = "Well controlled on metformin, HbA1c 6.1 percent";
    secret(diabetes.text);
    const auto updated = update_record(*ctx, careful.key, chalmers.address, w_condition.record_id,
                                       resource_for(RecordKind::condition, diabetes, chalmers, careful.key.address()));
    step("record-updated",
         careful.name + " updated record " + std::to_string(updated.record_id) + " to version " +
             std::to_string(updated.version) + " (now: remission); version 1 stays in the history.",
         {{"record", updated.record_id}, {"version", updated.version}});

    // --- An attached file --------------------------------------------------------------------------
    ScratchDir scratch;
    const std::string file_name = "chalmers-hba1c-report-2026.pdf";
    secret(file_name);
    secret("chalmers-hba1c-report");
    const std::string pdf = make_pdf("HbA1c laboratory report: 6.1 percent (Peter Chalmers)");
    const fs::path pdf_path = scratch.path() / file_name;
    {
        std::ofstream out(pdf_path, std::ios::binary);
        out << pdf;
        if (!out) throw Error(ErrorCode::io, "cannot write the demo's PDF to " + pdf_path.string());
    }
    AttachOptions attach_opt;
    attach_opt.content_type = "application/pdf";
    attach_opt.type_text = "Laboratory report";
    const auto attached = attach_file(*ctx, careful.key, chalmers.address, w_condition.record_id, pdf_path, attach_opt);
    fs::remove(pdf_path);
    step("file-attached",
         careful.name + " attached " + file_name + " (" + std::to_string(attached.size) + " bytes, encrypted) to record " +
             std::to_string(attached.record_id) + "; its name exists only inside the ciphertext.",
         {{"record", attached.record_id}, {"index", attached.index}, {"size", attached.size},
          {"digest", to_hex(attached.ref.digest)}});

    // --- Reads -------------------------------------------------------------------------------------
    {
        Reader reader(*ctx, careful.key);
        const auto r = show_record(*ctx, reader, chalmers.address, w_condition.record_id);
        step("record-read",
             careful.name + " opened record " + std::to_string(r.info.record_id) + " version " +
                 std::to_string(r.info.version) + " of " + chalmers.name + " (\"" + fhir::summary(r.document.resource) +
                 "\"); the read is logged in the patient's audit trail.",
             {{"record", r.info.record_id}, {"version", r.info.version}});
        const auto fetched = fetch_file(*ctx, reader, chalmers.address, attached.record_id, attached.index,
                                        scratch.path() / "fetched.pdf");
        const bool same = read_file(fetched.path) == pdf;
        fs::remove(fetched.path);
        if (!same) throw Error("the fetched file differs from the attached one");
        step("file-fetched",
             careful.name + " fetched and decrypted the attached PDF (" + std::to_string(fetched.size) +
                 " bytes, identical to the original).",
             {{"size", fetched.size}});
    }
    {
        Reader reader(*ctx, chalmers.key);
        const auto list = list_records(*ctx, reader, chalmers.address);
        json items = json::array();
        for (const auto& l : list) items.push_back({{"record", l.record_id}, {"version", l.latest.version}});
        step("records-listed",
             chalmers.name + " listed their own " + std::to_string(list.size()) + " records (not logged: they are the patient's).",
             {{"records", items}});
    }

    // --- Refusals ----------------------------------------------------------------------------------
    try {
        Reader reader(*ctx, vangelder.key);
        (void)show_record(*ctx, reader, chalmers.address, w_condition.record_id);
        throw Error("the denied doctor could read a record: the demo expected a refusal");
    } catch (const NoAccessError& e) {
        step("read-refused", "As expected, " + vangelder.name + " (denied) could not read " + chalmers.name +
                                 "'s record: " + e.what(),
             {{"doctor", vangelder.key.address().to_checksum()}, {"error", e.what()}}, true);
    }

    const auto revoked = revoke(*ctx, chalmers.key, careful.key.address());
    step("access-revoked",
         chalmers.name + " revoked " + careful.name + "'s access: the data key moved to epoch " +
             std::to_string(revoked.new_epoch) + ", shared with " + std::to_string(revoked.kept.size()) +
             " other doctor(s). What was already read cannot be un-shared; new records are out of reach.",
         {{"doctor", careful.key.address().to_checksum()}, {"newEpoch", revoked.new_epoch}});

    const RecordFields second{.text = "Asked for a second opinion about the insulin plan.", .title = "Second opinion"};
    secret(second.text);
    const json after = resource_for(RecordKind::note, second, chalmers, chalmers.address);
    const auto w_after = add_record(*ctx, chalmers.key, chalmers.address, RecordKind::note, after);
    written(chalmers, nullptr, w_after, RecordKind::note, after);

    try {
        Reader reader(*ctx, careful.key);
        (void)show_record(*ctx, reader, chalmers.address, w_after.record_id);
        throw Error("the revoked doctor could read a record written after the revocation: the demo expected a refusal");
    } catch (const NoAccessError& e) {
        step("read-refused", "As expected, " + careful.name + " (revoked) could not read the new record " +
                                 std::to_string(w_after.record_id) + ": " + e.what(),
             {{"doctor", careful.key.address().to_checksum()}, {"record", w_after.record_id}, {"error", e.what()}}, true);
    }
    try {
        (void)add_record(*ctx, careful.key, chalmers.address, RecordKind::note, note);
        throw Error("the revoked doctor could write a record: the demo expected a refusal");
    } catch (const NoAccessError& e) {
        step("write-refused", "As expected, " + careful.name + " (revoked) could not add a record: " + e.what(),
             {{"doctor", careful.key.address().to_checksum()}, {"error", e.what()}}, true);
    } catch (const RefusedError& e) {
        step("write-refused", "As expected, " + careful.name + " (revoked) could not add a record: " + e.what(),
             {{"doctor", careful.key.address().to_checksum()}, {"error", e.what()}}, true);
    }

    // --- Audit -------------------------------------------------------------------------------------
    result.audit_verified = true;
    for (const Patient* p : {&chalmers, &heuvel, &eve}) {
        // The patient's own client names what each doctor opened (its access-log key).
        Keyring ring(*ctx, p->key);
        const auto log_key = access_log_key(ring.key(p->address, 1), p->address);
        const auto history = audit_history(*ctx, p->address, &log_key);
        const auto v = verify_audit(*ctx, p->address);
        json lines = json::array();
        for (const auto& e : history) lines.push_back(describe(e));
        if (!v.ok) result.audit_verified = false;
        step(v.ok ? "audit-verified" : "audit-mismatch",
             p->name + "'s audit trail: " + std::to_string(history.size()) + " entries; " + v.message + ".",
             {{"patient", p->address.to_checksum()}, {"ok", v.ok}, {"entries", lines}});
        if (!v.ok) throw Error(ErrorCode::tampered, p->name + "'s audit trail does not match the chain: " + v.message);
    }

    step("done",
         "Demo run " + std::to_string(result.run) + " complete: accounts are labelled " + tag + "* (password \"" +
             options.password + "\"); try 'dossier record list --as " + chalmers.label + " --patient " + chalmers.label +
             "'.",
         {{"run", result.run}, {"labelPrefix", tag}});
    return result;
}

}  // namespace dossier::core
