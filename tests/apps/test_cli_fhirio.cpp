/// `dossier import` and `dossier export` end to end on the embedded node, with HL7's R4 example
/// resources and the official R4 schema: counts and read-back, an import killed with SIGKILL and
/// run again (nothing twice, nothing missing), refusals with their reasons, a Bundle export the
/// schema accepts, and a PDF whose text holds the patient's records.
#include <gtest/gtest.h>
#include <signal.h>

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
#include <thread>
#include <vector>

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

class CliFhirIo : public ::testing::Test {
protected:
    void SetUp() override {
        setenv("DOSSIER_PASSWORD", "correct horse", 1);
        setenv("DOSSIER_PATIENT_PASSWORD", "correct horse", 1);  // patients added by a doctor
        setenv("DOSSIER_KDF", "light", 1);
        unsetenv("DOSSIER_DATA_DIR");
        const auto up = run({"node", "up"});
        ASSERT_EQ(up.exit_code, 0) << up.err;
        ok({"account", "import", "--embedded-authority", "--role", "admin", "--label", "admin"});
        for (const char* label : {"dr-house", "dr-grey"}) {
            ok({"account", "new", "--role", "doctor", "--label", label});
            ok({"doctor", "register", "--as", label, "--fields",
                file(std::string(label) + ".json", json{{"name", std::string("Gregory ") + label}, {"specialty", "Diagnostics"}, {"licence", std::string("NJ-") + label}}.dump())});
            ok({"doctor", "verify", label, "--as", "admin"});
        }
        // dr-house registers alice with her consent and has access; dr-grey has none.
        ok({"patient", "add", "--as", "dr-house", "--label", "alice", "--fields",
            file("alice.json", json{{"name", "Alice Liddell"}, {"birthDate", "1980-02-01"}, {"gender", "female"}}.dump())});
    }
    void TearDown() override { (void)run({"node", "down"}); }

    std::vector<std::string> argv(const std::vector<std::string>& args) const {
        std::vector<std::string> out = {DOSSIER_CLI, "--data-dir", dir_.path()};
        out.insert(out.end(), args.begin(), args.end());
        return out;
    }
    dossier::test::RunResult run(const std::vector<std::string>& args) const {
        return dossier::test::run(argv(args), {}, std::chrono::seconds(300));
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

    /// The resources of an NDJSON export, as canonical text, the Patient left out.
    std::multiset<std::string> exported(const std::string& as, const std::string& patient) const {
        const std::string out = out_path("export-" + as + "-" + patient + ".ndjson");
        fs::remove(out);
        ok({"export", "--as", as, "--patient", patient, "--format", "ndjson", "--out", out});
        std::multiset<std::string> got;
        std::istringstream in(read_text(out));
        for (std::string line; std::getline(in, line);) {
            const auto r = json::parse(line);
            if (r["resourceType"] != "Patient") got.insert(r.dump());
        }
        return got;
    }

    dossier::test::TempDir dir_;
};

TEST_F(CliFhirIo, Hl7ExamplesInAsABundleAndAsNdjsonReadBackEqualAndImportOnce) {
    const auto examples = dossier::test::hl7_clinical_examples();
    ASSERT_GE(examples.size(), 150u);
    json bundle = {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", json::array()}};
    std::string ndjson;
    for (const auto& r : examples) {
        bundle["entry"].push_back({{"resource", r}});
        ndjson += r.dump() + "\n";
    }
    const auto report = ok({"import", file("hl7.json", bundle.dump(2)), "--as", "dr-house", "--patient", "alice"});
    EXPECT_EQ(report["resources"], examples.size());
    const std::size_t added = report["added"], refused = report["refused"].size();
    EXPECT_EQ(added + refused, examples.size()) << report["refused"].dump(1);
    EXPECT_GE(added, examples.size() - 3) << report["refused"].dump(1);
    for (const auto& r : report["refused"]) EXPECT_EQ(r["reason"], "invalid-resource") << r.dump();
    EXPECT_GE(report["files"].get<int>(), 2);  // the Binary examples at least
    EXPECT_EQ(report["skipped"], 0);

    // What was imported reads back equal: every record resource is an input resource, and every
    // accepted non-Binary input is there once.
    std::multiset<std::string> want;
    std::set<std::string> refused_at;
    for (const auto& r : report["refused"]) refused_at.insert(r["where"].get<std::string>());
    for (std::size_t i = 0; i < examples.size(); ++i)
        if (examples[i]["resourceType"] != "Binary" && !refused_at.count("entry " + std::to_string(i + 1)))
            want.insert(examples[i].dump());
    auto got = exported("alice", "alice");
    // The Binary examples are file records (DocumentReferences naming the file object).
    std::size_t file_records = 0;
    for (auto it = got.begin(); it != got.end();)
        if (json::parse(*it)["resourceType"] == "DocumentReference" && !want.count(*it)) {
            ++file_records;
            it = got.erase(it);
        } else {
            ++it;
        }
    EXPECT_EQ(got, want);
    // Every file is described by a file record: the Binary ones, and those inline in a resource.
    const std::size_t binaries = static_cast<std::size_t>(
        std::count_if(examples.begin(), examples.end(), [](const json& r) { return r["resourceType"] == "Binary"; }));
    const std::size_t files = report["files"];
    EXPECT_EQ(file_records, files);
    const std::size_t on_chain = added + files - binaries;  // a Binary's record is its file record

    // Again: nothing added, everything skipped, from the same Bundle and from NDJSON.
    const auto again = ok({"import", file("hl7-again.json", bundle.dump()), "--as", "dr-house", "--patient", "alice"});
    EXPECT_EQ(again["added"], 0);
    EXPECT_EQ(again["skipped"], added);
    const auto as_ndjson = ok({"import", file("hl7.ndjson", ndjson), "--as", "dr-house", "--patient", "alice"});
    EXPECT_EQ(as_ndjson["added"], 0);
    EXPECT_EQ(as_ndjson["skipped"], added);

    // NDJSON for another patient: the same counts.
    ok({"patient", "add", "--as", "dr-house", "--label", "bob", "--fields",
        file("bob.json", json{{"name", "Bob Jones"}, {"birthDate", "1975-06-30"}, {"gender", "male"}}.dump())});
    const auto dry = ok({"import", file("hl7-bob.ndjson", ndjson), "--as", "dr-house", "--patient", "bob", "--dry-run"});
    EXPECT_EQ(dry["added"], added);
    EXPECT_EQ(ok({"patient", "show", "bob", "--as", "bob"})["records"], 0) << "a dry run wrote";
    const auto bob = ok({"import", file("hl7-bob.ndjson", ndjson), "--as", "dr-house", "--patient", "bob"});
    EXPECT_EQ(bob["added"], added);
    EXPECT_EQ(bob["refused"].size(), refused);
    EXPECT_EQ(bob["files"], files);
    EXPECT_EQ(ok({"patient", "show", "bob", "--as", "bob"})["records"], on_chain);

    // The exported Bundle is valid for the official R4 schema, and so is each of its entries.
    const std::string out = out_path("alice-bundle.json");
    ok({"export", "--as", "alice", "--patient", "alice", "--format", "bundle", "--out", out});
    const json exported_bundle = json::parse(read_text(out));
    EXPECT_EQ(exported_bundle["type"], "collection");
    EXPECT_EQ(exported_bundle["entry"][0]["resource"]["resourceType"], "Patient");
    // The Patient, each record but the file records, a Binary per file not inside its resource
    // (the Binary examples), then a Provenance per version and per Binary.
    const auto provenances = std::count_if(exported_bundle["entry"].begin(), exported_bundle["entry"].end(),
                                           [](const json& e) { return e["resource"]["resourceType"] == "Provenance"; });
    EXPECT_EQ(exported_bundle["entry"].size() - static_cast<std::size_t>(provenances), 1 + on_chain - files + binaries);
    EXPECT_EQ(static_cast<std::size_t>(provenances), on_chain - files + binaries);
    std::vector<json> docs{exported_bundle};
    const auto verdicts = dossier::test::official_schema(docs);
    EXPECT_TRUE(verdicts.at(0).valid) << verdicts.at(0).errors.substr(0, 2000);
    EXPECT_EQ((fs::status(out).permissions() & fs::perms::others_read), fs::perms::none);
    // Written only where asked: an existing file is not replaced without --overwrite.
    EXPECT_NE(run({"export", "--as", "alice", "--patient", "alice", "--out", out}).exit_code, 0);
}

TEST_F(CliFhirIo, AnImportKilledAtAnyPointAddsNothingTwiceAndLosesNothing) {
    // 600 distinct Observations, in batches of 16, killed as the journal grows: before anything,
    // and at points that fall inside batches (between sending and receipts) and between them.
    std::string ndjson;
    const std::size_t n = 600;
    for (std::size_t i = 0; i < n; ++i)
        ndjson += json{{"resourceType", "Observation"},
                       {"status", "final"},
                       {"code", {{"text", "Body weight"}}},
                       {"valueQuantity", {{"value", 60 + static_cast<double>(i) / 10}, {"unit", "kg"}}},
                       {"effectiveDateTime", "2026-01-01"}}
                      .dump() +
                  "\n";
    const std::string input = file("weights.ndjson", ndjson);
    const fs::path journal = fs::path(dir_.path()) / "import" / "journal.jsonl";
    const auto lines = [&] {
        std::ifstream in(journal);
        std::size_t count = 0;
        for (std::string line; std::getline(in, line);) ++count;
        return count;
    };
    int kills = 0;
    for (const std::size_t grow : {0, 7, 23, 40, 57}) {
        const std::size_t start = lines();
        dossier::test::Child import(
            argv({"import", input, "--as", "dr-house", "--patient", "alice", "--batch", "16", "--in-flight", "8"}));
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        if (grow == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        while (grow > 0 && lines() < start + grow && import.running() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        if (import.running()) {
            ::kill(import.pid(), SIGKILL);
            ++kills;
        }
        import.stop();
    }
    EXPECT_GE(kills, 4) << "the imports ended before they were killed; the test proved little";
    const auto records_before = ok({"patient", "show", "alice", "--as", "alice"})["records"].get<std::size_t>();
    EXPECT_LT(records_before, n);
    const auto last = ok({"import", input, "--as", "dr-house", "--patient", "alice"});
    EXPECT_EQ(last["added"].get<std::size_t>() + last["skipped"].get<std::size_t>(), n) << last.dump();
    EXPECT_EQ(last["refused"].size(), 0u);
    EXPECT_EQ(last["skipped"].get<std::size_t>(), records_before) << "the journal and the chain disagree";
    // Exactly one record per resource on chain: nothing twice, nothing missing.
    EXPECT_EQ(ok({"patient", "show", "alice", "--as", "alice"})["records"], n);
    std::multiset<std::string> want;
    std::istringstream in(ndjson);
    for (std::string line; std::getline(in, line);) want.insert(json::parse(line).dump());
    EXPECT_EQ(exported("alice", "alice"), want);
    EXPECT_TRUE(fs::exists(journal));
}

TEST_F(CliFhirIo, ResourcesOfAnotherPatientOrWithoutAccessAreRefusedWithTheirReason) {
    const json alice = {{"resourceType", "Patient"}, {"id", "a1"},
                        {"name", {{{"family", "Liddell"}, {"given", {"Alice"}}}}}, {"birthDate", "1980-02-01"}};
    const json impostor = {{"resourceType", "Patient"}, {"id", "x9"},
                           {"name", {{{"family", "Liddell"}, {"given", {"Alice"}}}}}, {"birthDate", "1990-07-07"}};
    const auto condition = [](const std::string& subject, const std::string& text) {
        return json{{"resourceType", "Condition"}, {"subject", {{"reference", subject}}}, {"code", {{"text", text}}}};
    };
    json bundle = {{"resourceType", "Bundle"}, {"type", "transaction"}, {"entry", json::array()}};
    for (const auto& r : {alice, impostor, condition("Patient/a1", "Asthma"), condition("Patient/b2", "Gout"),
                          condition("Patient/x9", "Migraine"),
                          json{{"resourceType", "Observation"}, {"status", "guessed"}, {"code", {{"text", "Pulse"}}}},
                          json{{"resourceType", "Composition"}, {"status", "final"}}})
        bundle["entry"].push_back({{"resource", r}, {"request", {{"method", "POST"}, {"url", "x"}}}});
    const auto r = ok({"import", file("mixed.json", bundle.dump()), "--as", "dr-house", "--patient", "alice"});
    EXPECT_EQ(r["added"], 1);
    EXPECT_EQ(r["patientsChecked"], 1);
    std::map<std::string, std::string> reasons;
    for (const auto& x : r["refused"]) reasons[x["resource"].get<std::string>() + "@" + x["where"].get<std::string>()] = x["reason"];
    EXPECT_EQ(reasons["Patient/x9@entry 2"], "patient-mismatch");
    EXPECT_EQ(reasons["Condition@entry 4"], "unknown-patient");
    EXPECT_EQ(reasons["Condition@entry 5"], "patient-mismatch");
    EXPECT_EQ(reasons["Observation@entry 6"], "invalid-resource");
    EXPECT_EQ(reasons["Composition@entry 7"], "not-a-record");
    EXPECT_EQ(r["refused"].size(), 5u);
    const auto records = exported("alice", "alice");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_NE(records.begin()->find("Asthma"), std::string::npos);

    // A doctor without access: refused, with the reason, nothing written.
    const auto denied = ok({"import", file("one.ndjson", condition("Patient/a1", "Eczema").dump() + "\n"), "--as",
                            "dr-grey", "--patient", "alice"});
    EXPECT_EQ(denied["added"], 0);
    ASSERT_EQ(denied["refused"].size(), 1u);
    EXPECT_EQ(denied["refused"][0]["reason"], "no-access");
    // A file that is not FHIR at all is one error, not a report.
    const auto bad = run({"import", file("bad.txt", "hello\n"), "--as", "dr-house", "--patient", "alice"});
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_NE(bad.err.find("NDJSON"), std::string::npos) << bad.err;
}

TEST_F(CliFhirIo, APatientMappingImportsForSeveralPatientsInOneRun) {
    ok({"patient", "add", "--as", "dr-house", "--label", "bob", "--fields",
        file("bob.json", json{{"name", "Bob Jones"}, {"birthDate", "1975-06-30"}, {"gender", "male"}}.dump())});
    const auto patient = [](const std::string& id, const std::string& family, const std::string& born) {
        return json{{"resourceType", "Patient"}, {"id", id}, {"name", {{{"family", family}}}}, {"birthDate", born},
                    {"identifier", {{{"system", "urn:mrn"}, {"value", "mrn-" + id}}}}};
    };
    const auto condition = [](const json& subject, const std::string& text) {
        return json{{"resourceType", "Condition"}, {"subject", subject}, {"code", {{"text", text}}}};
    };
    json bundle = {{"resourceType", "Bundle"}, {"type", "searchset"}, {"entry", json::array()}};
    for (const auto& r : {patient("a1", "Liddell", "1980-02-01"), patient("b1", "Jones", "1975-06-30"),
                          condition({{"reference", "Patient/a1"}}, "Asthma"),
                          condition({{"identifier", {{"system", "urn:mrn"}, {"value", "mrn-b1"}}}}, "Gout"),
                          condition({{"reference", "Patient/c1"}}, "Migraine")})
        bundle["entry"].push_back({{"resource", r}});
    const std::string mapping = file("mapping.json", json{{"Patient/a1", "alice"}, {"identifier:urn:mrn|mrn-b1", "bob"}}.dump());
    const auto r = ok({"import", file("department.json", bundle.dump()), "--as", "dr-house", "--patients-from", mapping});
    EXPECT_EQ(r["added"], 2) << r.dump(1);
    EXPECT_EQ(r["patientsChecked"], 2);
    ASSERT_EQ(r["refused"].size(), 1u);
    EXPECT_EQ(r["refused"][0]["reason"], "unknown-patient");
    const auto alice = exported("alice", "alice"), bob = exported("bob", "bob");
    ASSERT_EQ(alice.size(), 1u);
    ASSERT_EQ(bob.size(), 1u);
    EXPECT_NE(alice.begin()->find("Asthma"), std::string::npos);
    EXPECT_NE(bob.begin()->find("Gout"), std::string::npos);
}

TEST_F(CliFhirIo, ThePdfSummaryHoldsThePatientsRecordsAndTheDoctorsExportIsAudited) {
    std::string ndjson;
    for (const auto& r : {json{{"resourceType", "Condition"}, {"code", {{"text", "Type 2 diabetes mellitus"}}},
                               {"subject", {{"reference", "Patient/a1"}}},
                               {"clinicalStatus", {{"coding", {{{"system", "http://terminology.hl7.org/CodeSystem/condition-clinical"}, {"code", "active"}}}}}}},
                          json{{"resourceType", "Immunization"}, {"status", "completed"},
                               {"vaccineCode", {{"text", "Tetanus booster"}}}, {"patient", {{"reference", "Patient/a1"}}},
                               {"occurrenceDateTime", "2025-04-01"}},
                          json{{"resourceType", "Observation"}, {"status", "final"}, {"code", {{"text", "HbA1c"}}},
                               {"valueQuantity", {{"value", 6.9}, {"unit", "%"}}}}})
        ndjson += r.dump() + "\n";
    const auto imported = ok({"import", file("few.ndjson", ndjson), "--as", "dr-house", "--patient", "alice"});
    ASSERT_EQ(imported["added"], 3) << imported.dump(1);
    const auto accessed = [&] {
        std::size_t n = 0;
        const json trail = ok({"audit", "show", "--patient", "alice"});
        for (const auto& e : trail["entries"])
            if (e["kind"] == "accessed") ++n;
        return n;
    };
    const std::size_t before = accessed();
    const std::string pdf = out_path("alice.pdf");
    const auto r = run({"export", "--as", "dr-house", "--patient", "alice", "--format", "pdf", "--out", pdf});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("DECRYPTED"), std::string::npos) << "no warning on the terminal";
    EXPECT_GT(accessed(), before) << "the doctor's export left no trace in the audit trail";
    ASSERT_EQ(read_text(pdf).rfind("%PDF-", 0), 0u);
    const std::string text = dossier::test::run_ok({"pdftotext", "-layout", pdf, "-"}, {}, std::chrono::seconds(30));
    for (const char* want : {"Medical record summary", "Alice Liddell", "Problems", "Type 2 diabetes mellitus",
                             "Immunizations", "Tetanus booster", "Results", "HbA1c", "Page 1 of 1", "Audit trail"})
        EXPECT_NE(text.find(want), std::string::npos) << want << " is not in:\n" << text;
}

}  // namespace
