/// `dossier export` end to end on the embedded node with HL7's R4 example resources and the
/// official R4 schema: the collection Bundle carries a Provenance per version and the files, and
/// importing it into a second patient gives back the same clinical content; the IPS document;
/// a doctor's export is one access in the patient's audit trail.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "dossier/fhir_source.hpp"
#include "fhir/fhir_support.hpp"
#include "support/anvil.hpp"
#include "support/process.hpp"

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// A resource's clinical content: without its id and meta.
json clinical(json r) {
    r.erase("id");
    r.erase("meta");
    return r;
}

class CliExport : public ::testing::Test {
protected:
    void SetUp() override {
        setenv("DOSSIER_PASSWORD", "correct horse", 1);
        setenv("DOSSIER_PATIENT_PASSWORD", "correct horse", 1);
        setenv("DOSSIER_KDF", "light", 1);
        unsetenv("DOSSIER_DATA_DIR");
        const auto up = run({"node", "up"});
        ASSERT_EQ(up.exit_code, 0) << up.err;
        ok({"account", "import", "--embedded-authority", "--role", "admin", "--label", "admin"});
        house_ = ok({"account", "new", "--role", "doctor", "--label", "dr-house"})["address"];
        ok({"doctor", "register", "--as", "dr-house", "--fields",
            file("dr.json", json{{"name", "Gregory House"}, {"specialty", "Diagnostics"}, {"licence", "NJ-1"}}.dump())});
        ok({"doctor", "verify", "dr-house", "--as", "admin"});
        for (const auto& [label, name, born] : {std::tuple{"alice", "Alice Liddell", "1980-02-01"},
                                                 std::tuple{"bob", "Bob Jones", "1975-06-30"}})
            ok({"patient", "add", "--as", "dr-house", "--label", label, "--fields",
                file(std::string(label) + ".json", json{{"name", name}, {"birthDate", born}}.dump())});
    }
    void TearDown() override { (void)run({"node", "down"}); }

    dossier::test::RunResult run(const std::vector<std::string>& args) const {
        std::vector<std::string> argv = {DOSSIER_CLI, "--data-dir", dir_.path()};
        argv.insert(argv.end(), args.begin(), args.end());
        return dossier::test::run(argv, {}, std::chrono::seconds(300));
    }
    json ok(std::vector<std::string> args) const {
        args.insert(args.begin(), "--json");
        const auto r = run(args);
        if (r.exit_code != 0) throw std::runtime_error("dossier failed: " + r.err);
        return json::parse(r.out);
    }
    std::string file(const std::string& name, const std::string& content) const {
        const fs::path dir = fs::path(dir_.path()) / "scratch";
        fs::create_directories(dir);
        std::ofstream(dir / name, std::ios::binary) << content;
        return (dir / name).string();
    }
    std::string out_path(const std::string& name) const { return (fs::path(dir_.path()) / "scratch" / name).string(); }

    /// The clinical content of a patient's records (file records, which describe a file object of
    /// this store, left out), and the number of those file records.
    std::pair<std::multiset<std::string>, std::size_t> records_of(const std::string& patient) const {
        const std::string out = out_path("records-" + patient + ".ndjson");
        fs::remove(out);
        ok({"export", "--as", patient, "--patient", patient, "--format", "ndjson", "--out", out});
        std::multiset<std::string> got;
        std::size_t files = 0;
        std::istringstream in(read_text(out));
        for (std::string line; std::getline(in, line);) {
            const auto r = json::parse(line);
            if (r["resourceType"] == "Patient") continue;
            if (line.find("dossier-object:") != std::string::npos) ++files;
            else got.insert(clinical(r).dump());
        }
        return {got, files};
    }

    std::size_t accessed(const std::string& patient, const std::string& text) const {
        std::size_t n = 0;
        // The answer is held here: ranging over a member of a temporary would read a dead object.
        // As the patient: its keys name each read (the public trail shows reads unnamed).
        const json trail = ok({"audit", "show", "--patient", patient, "--as", patient});
        for (const auto& e : trail["entries"])
            if (e["kind"] == "accessed" && e["text"].get<std::string>().find(text) != std::string::npos) ++n;
        return n;
    }

    dossier::test::TempDir dir_;
    std::string house_;  ///< dr-house's address
};

TEST_F(CliExport, ABundleCarriesProvenanceAndFilesAndImportsBackToTheSameClinicalContent) {
    json input = {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", json::array()}};
    for (const auto& r : dossier::test::hl7_clinical_examples()) input["entry"].push_back({{"resource", r}});
    const auto imported = ok({"import", file("hl7.json", input.dump()), "--as", "dr-house", "--patient", "alice"});
    ASSERT_GT(imported["added"].get<int>(), 100);

    const std::string out = out_path("export-alice.json");
    const auto r = ok({"export", "--as", "dr-house", "--patient", "alice", "--out", out});
    const json bundle = json::parse(read_text(out));
    std::vector<json> docs{bundle};
    const auto verdicts = dossier::test::official_schema(docs);
    EXPECT_TRUE(verdicts.at(0).valid) << verdicts.at(0).errors.substr(0, 2000);
    EXPECT_EQ(bundle["type"], "collection");
    EXPECT_EQ(bundle["entry"][0]["resource"]["resourceType"], "Patient");

    // Every record has the Provenance of its version: the author's address, time, transaction.
    std::map<std::string, std::string> type_of;
    std::multiset<std::string> targets;
    std::size_t binaries = 0;
    for (const auto& e : bundle["entry"]) {
        const json& res = e["resource"];
        type_of[e["fullUrl"]] = res["resourceType"];
        if (res["resourceType"] == "Binary") ++binaries;
        if (res["resourceType"] != "Provenance") continue;
        targets.insert(res["target"][0]["reference"].get<std::string>());
        EXPECT_EQ(res["agent"][0]["who"]["identifier"]["value"], house_) << res.dump();
        EXPECT_EQ(res["agent"][0]["who"]["identifier"]["system"], "urn:dossier:account");
        EXPECT_EQ(res["entity"][0]["what"]["identifier"]["system"], "urn:dossier:transaction");
        EXPECT_EQ(res["entity"][0]["what"]["identifier"]["value"].get<std::string>().size(), 66u) << res.dump();
        EXPECT_FALSE(res["recorded"].get<std::string>().empty());
    }
    for (const auto& [url, type] : type_of) {
        if (type != "Patient" && type != "Provenance") {
            EXPECT_EQ(targets.count(url), 1u) << url << " " << type;
        }
    }
    EXPECT_EQ(r["provenances"], targets.size());
    EXPECT_GE(binaries, 2u);  // the HL7 Binary examples, as files of their own
    EXPECT_EQ(r["files"], binaries);

    // Import the export into bob: every patient the records name is bob.
    json mapping = json::object();
    for (const auto& e : bundle["entry"])
        if (const auto ref = dossier::core::patient_reference(e["resource"])) mapping[*ref] = "bob";
    const auto back = ok({"import", out, "--as", "dr-house", "--patient", "bob", "--patients-from",
                          file("mapping.json", mapping.dump())});
    // Refused: the Provenance resources, and alice's Patient resource (not bob, and not in the
    // mapping, which names only the patients the records point at).
    for (const auto& x : back["refused"]) {
        const std::string what = x["resource"].get<std::string>();
        EXPECT_TRUE(what.rfind("Provenance", 0) == 0 ||
                    (what.rfind("Patient", 0) == 0 && (x["reason"] == "patient-mismatch" || x["reason"] == "unknown-patient")))
            << x.dump();
    }
    const auto [alice_records, alice_files] = records_of("alice");
    const auto [bob_records, bob_files] = records_of("bob");
    EXPECT_EQ(bob_records, alice_records);
    EXPECT_EQ(bob_files, alice_files);
    EXPECT_EQ(ok({"patient", "show", "bob", "--as", "bob"})["records"],
              ok({"patient", "show", "alice", "--as", "alice"})["records"]);

    // With --files-dir the files lie beside the bundle, which names them; nothing is inlined.
    const std::string beside = out_path("alice-files.json");
    const auto rb = ok({"export", "--as", "alice", "--patient", "alice", "--out", beside, "--files-dir",
                        out_path("alice-files")});
    const json b2 = json::parse(read_text(beside));
    std::vector<json> docs2{b2};
    EXPECT_TRUE(dossier::test::official_schema(docs2).at(0).valid);
    std::size_t named = 0;
    for (const auto& e : b2["entry"]) {
        EXPECT_NE(e["resource"]["resourceType"], "Binary");
        if (e["resource"]["resourceType"] != "DocumentReference") continue;
        for (const auto& c : e["resource"]["content"]) {
            const std::string url = c["attachment"].value("url", "");
            if (url.rfind("alice-files/", 0) != 0) continue;
            ++named;
            EXPECT_TRUE(fs::is_regular_file(fs::path(out_path("")) / url)) << url;
        }
    }
    EXPECT_EQ(named, rb["files"].get<std::size_t>());
    EXPECT_EQ(named, binaries);
}

TEST_F(CliExport, AnIpsDocumentListsThePatientsRecordsBySectionAndTheExportIsOneAuditedAccess) {
    std::string ndjson;
    for (const auto& r : {json{{"resourceType", "Condition"}, {"code", {{"text", "Asthma"}}}, {"subject", {{"reference", "Patient/a1"}}}},
                          json{{"resourceType", "Immunization"}, {"status", "completed"},
                               {"vaccineCode", {{"text", "Tetanus booster"}}}, {"occurrenceDateTime", "2025-04-01"},
                               {"patient", {{"reference", "Patient/a1"}}}},
                          json{{"resourceType", "Observation"}, {"status", "final"}, {"code", {{"text", "HbA1c"}}}},
                          json{{"resourceType", "Appointment"}, {"status", "booked"},
                               {"participant", {{{"status", "accepted"}, {"actor", {{"display", "Dr House"}}}}}}}})
        ndjson += r.dump() + "\n";
    ASSERT_EQ(ok({"import", file("few.ndjson", ndjson), "--as", "dr-house", "--patient", "alice"})["added"], 4);

    const std::size_t before = accessed("alice", "");
    const std::string out = out_path("alice-ips.json");
    const auto r = run({"export", "--as", "dr-house", "--patient", "alice", "--format", "ips", "--out", out});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("DECRYPTED"), std::string::npos) << "no warning on the terminal";
    // One access, naming the export, for the whole export.
    EXPECT_EQ(accessed("alice", ""), before + 1);
    EXPECT_EQ(accessed("alice", "exported the records (4)"), 1u);

    const json bundle = json::parse(read_text(out));
    std::vector<json> docs{bundle};
    const auto verdicts = dossier::test::official_schema(docs);
    EXPECT_TRUE(verdicts.at(0).valid) << verdicts.at(0).errors.substr(0, 2000);
    EXPECT_EQ(bundle["type"], "document");
    EXPECT_TRUE(bundle.contains("identifier") && bundle.contains("timestamp"));
    const json& composition = bundle["entry"][0]["resource"];
    ASSERT_EQ(composition["resourceType"], "Composition");
    EXPECT_EQ(composition["type"]["coding"][0]["code"], "60591-5");
    std::map<std::string, std::string> type_of;
    for (const auto& e : bundle["entry"]) type_of[e["fullUrl"]] = e["resource"]["resourceType"];
    EXPECT_EQ(type_of[composition["subject"]["reference"]], "Patient");
    std::map<std::string, std::vector<std::string>> sections;  // LOINC -> resource types listed
    for (const auto& s : composition["section"])
        for (const auto& e : s.value("entry", json::array()))
            sections[s["code"]["coding"][0]["code"]].push_back(type_of.at(e["reference"]));
    EXPECT_EQ(composition["section"].size(), 6u);
    EXPECT_EQ(sections["11450-4"], std::vector<std::string>{"Condition"});
    EXPECT_EQ(sections["11369-6"], std::vector<std::string>{"Immunization"});
    EXPECT_EQ(sections["30954-2"], std::vector<std::string>{"Observation"});
    EXPECT_EQ(sections.count("10160-0"), 0u);  // no medication: an empty section with its reason
    EXPECT_EQ(bundle["entry"].size(), 2u + 3u);  // Composition, Patient, the three in sections

    // The warning is in --help too.
    const auto help = run({"export", "--help"});
    EXPECT_NE(help.out.find("DECRYPTED"), std::string::npos);
    EXPECT_NE(help.out.find("ips"), std::string::npos);
}

}  // namespace
