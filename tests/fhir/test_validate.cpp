#include <gtest/gtest.h>

#include <random>

#include "fhir/elements.hpp"
#include "fhir/summary.hpp"
#include "fhir/validate.hpp"
#include "fhir_support.hpp"

using namespace dossier;
using namespace dossier::fhir;

namespace {

std::string issues_text(const std::vector<Issue>& issues) {
    std::string s;
    for (const auto& i : issues) s += i.to_string() + "; ";
    return s;
}

std::vector<test::Example> all_examples() {
    std::vector<test::Example> all;
    for (auto t : supported_resource_types()) {
        auto ex = test::hl7_examples(std::string(t));
        all.insert(all.end(), ex.begin(), ex.end());
    }
    return all;
}

struct Mutant {
    std::string what;
    Json json;
};

/// Breaks `r` in ways the R4 JSON schema can see: a required complex element removed, an element
/// given the wrong JSON type, a malformed date, an unknown code of an enumerated binding, an
/// unknown property, an unknown resource type.
std::vector<Mutant> mutate(const test::Example& ex) {
    std::vector<Mutant> out;
    const Json& r = ex.json;
    const std::string type = r["resourceType"].get<std::string>();
    const detail::TypeDef& def = *detail::find_type(type);
    for (const auto& req : def.required) {
        Json m = r;
        m.erase(std::string(req));
        out.push_back({ex.file + " without " + std::string(req), m});
    }
    for (const auto& [key, value] : r.items()) {
        const detail::ElementDef* e = detail::find_element(def, key);
        if (e == nullptr || e->type == "const") continue;
        Json m = r;
        const std::string_view t = e->type;
        if (e->array) {
            m[key] = value[0];  // a single value where an array belongs
        } else if (t == "boolean") {
            m[key] = "yes";
        } else if (t == "integer" || t == "positiveInt" || t == "unsignedInt" || t == "decimal") {
            m[key] = "7";
        } else if (t == "date" || t == "dateTime" || t == "instant") {
            Json m2 = r;
            m2[key] = "2019-13-01";
            out.push_back({ex.file + " " + key + " with month 13", m2});
            m[key] = "3 March 2019";
        } else if (!e->values.empty()) {
            m[key] = "no-such-code";
        } else if (value.is_string()) {
            m[key] = 42;
        } else if (detail::find_type(t) != nullptr && value.is_object()) {
            // The schema's complex types do not say "type": "object" (a string passes them), but
            // they do forbid unknown properties.
            m[key]["diagnosisNotes"] = "x";
        } else {
            continue;  // a data type checked only as an object: nothing both can see
        }
        out.push_back({ex.file + " " + key + " broken", m});
    }
    Json unknown = r;
    unknown["diagnosisNotes"] = "x";
    out.push_back({ex.file + " with an unknown element", unknown});
    Json wrong_type = r;
    wrong_type["resourceType"] = "MedicalRecord";
    out.push_back({ex.file + " with an unknown resourceType", wrong_type});
    return out;
}

}  // namespace

TEST(Validate, AcceptsEveryHl7ExampleOfTheSupportedKinds) {
    const auto examples = all_examples();
    ASSERT_GE(examples.size(), 60u);
    std::vector<Json> docs;
    for (const auto& ex : examples) docs.push_back(ex.json);
    // The official schema is the reference: every example it accepts is accepted, and the few it
    // rejects (a DiagnosticReport whose display holds a character its string pattern refuses)
    // are rejected too.
    const auto verdicts = test::official_schema(docs);
    std::size_t refused = 0;
    for (std::size_t i = 0; i < examples.size(); ++i) {
        const auto issues = validate(examples[i].json);
        if (verdicts[i].valid) {
            EXPECT_TRUE(issues.empty()) << examples[i].file << ": " << issues_text(issues);
        } else {
            ++refused;
            EXPECT_FALSE(issues.empty()) << examples[i].file << " is refused by the schema: " << verdicts[i].errors;
        }
    }
    EXPECT_LE(refused, 2u);
}

// Differential: on every mutant of every example, this validator and the official R4 JSON schema
// give the same verdict (both reject), and this validator names the element it rejects.
TEST(Validate, AgreesWithTheOfficialSchemaOnBrokenExamples) {
    std::vector<Mutant> mutants;
    for (const auto& ex : all_examples()) {
        auto m = mutate(ex);
        mutants.insert(mutants.end(), m.begin(), m.end());
    }
    ASSERT_GE(mutants.size(), 500u);
    std::vector<Json> docs;
    for (const auto& m : mutants) docs.push_back(m.json);
    const auto verdicts = test::official_schema(docs);
    ASSERT_EQ(verdicts.size(), mutants.size());
    std::size_t rejected = 0;
    for (std::size_t i = 0; i < mutants.size(); ++i) {
        const auto issues = validate(mutants[i].json);
        EXPECT_EQ(issues.empty(), verdicts[i].valid)
            << mutants[i].what << "\n  ours: " << issues_text(issues) << "\n  schema: " << verdicts[i].errors;
        rejected += !issues.empty();
    }
    EXPECT_EQ(rejected, mutants.size());
}

// Where the R4 specification asks more than its JSON schema can express, this validator follows
// the specification: the schema cannot require primitive elements (they may appear as _status),
// does not check calendar dates or empty arrays, and its complex types accept any non-object
// value (they list properties but not "type": "object"). The schema accepts these; we reject them.
TEST(Validate, StricterThanTheSchemaWhereTheSpecificationSaysSo) {
    const Json med = test::hl7_examples("MedicationStatement").front().json;
    const Json appt = test::hl7_examples("Appointment").front().json;
    const Json pat = test::hl7_examples("Patient").front().json;
    std::vector<std::pair<Json, std::string>> cases;
    Json m1 = med;
    m1.erase("status");
    cases.push_back({m1, "MedicationStatement.status"});
    Json m2 = med;
    m2.erase("medicationCodeableConcept");
    m2.erase("medicationReference");
    cases.push_back({m2, "MedicationStatement.medication[x]"});
    Json m3 = med;
    m3["status"] = "taking-it";
    cases.push_back({m3, "MedicationStatement.status"});
    Json a1 = appt;
    a1.erase("status");
    cases.push_back({a1, "Appointment.status"});
    Json a2 = appt;
    a2["participant"][0].erase("status");
    cases.push_back({a2, "Appointment.participant[0].status"});
    Json p1 = pat;
    p1["birthDate"] = "2019-02-30";
    cases.push_back({p1, "Patient.birthDate"});
    Json p2 = pat;
    p2["name"] = Json::array();
    cases.push_back({p2, "Patient.name"});
    Json p3 = pat;
    p3["managingOrganization"] = "Organization/1";  // a string where a Reference object belongs
    cases.push_back({p3, "Patient.managingOrganization"});
    Json p4 = pat;
    p4["text"] = Json::array({pat["text"]});
    cases.push_back({p4, "Patient.text"});
    std::vector<Json> docs;
    for (const auto& c : cases) docs.push_back(c.first);
    const auto verdicts = test::official_schema(docs);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto issues = validate(cases[i].first);
        ASSERT_FALSE(issues.empty()) << cases[i].second;
        EXPECT_EQ(issues.front().path, cases[i].second);
        EXPECT_TRUE(verdicts[i].valid) << cases[i].second << " (the schema now rejects it: " << verdicts[i].errors << ")";
    }
}

TEST(Validate, ErrorsNameTheElementPath) {
    Json r = {{"resourceType", "Appointment"},
              {"status", "booked"},
              {"start", "2025-01-10T09:00:00"},
              {"participant", Json::array({Json{{"status", "accepted"}, {"actor", {{"reference", 7}}}}})}};
    const auto issues = validate(r);
    ASSERT_EQ(issues.size(), 2u) << issues_text(issues);
    EXPECT_EQ(issues[0].path, "Appointment.participant[0].actor.reference");
    EXPECT_EQ(issues[0].message, "must be a string (string), not an integer");
    EXPECT_EQ(issues[1].path, "Appointment.start");
    try {
        check(r);
        FAIL();
    } catch (const InvalidResourceError& e) {
        EXPECT_STREQ(e.what(),
                     "invalid FHIR resource: Appointment.participant[0].actor.reference: must be a string (string), "
                     "not an integer");
        EXPECT_EQ(e.issues().size(), 2u);
    }
    EXPECT_EQ(validate(Json::array()).front().message, "a FHIR resource must be a JSON object, not an array");
    EXPECT_EQ(validate(Json::object()).front().path, "resourceType");
    EXPECT_EQ(validate(Json{{"resourceType", "Composition"}}).front().message,
              "'Composition' is not a supported resource type");
}

TEST(Validate, StringsMustBeUtf8) {
    Json r = {{"resourceType", "Patient"}, {"name", Json::array({Json{{"family", "Mu\xf1oz"}}})}};
    const auto issues = validate(r);
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].path, "Patient.name[0].family");
    EXPECT_EQ(issues[0].message, "is not valid UTF-8");
    r["name"][0]["family"] = "Mu\xc3\xb1oz";
    EXPECT_TRUE(validate(r).empty());
    for (const char* bad : {"\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "\x80"}) {
        r["name"][0]["family"] = std::string("a") + bad;
        EXPECT_FALSE(validate(r).empty()) << bad;
    }
    r["name"][0]["family"] = "\xf0\x9f\x98\x80";
    EXPECT_TRUE(validate(r).empty());
}

TEST(Validate, DateFormats) {
    for (const char* ok : {"2019", "2019-03", "2019-03-01", "2020-02-29", "2000-02-29"}) {
        EXPECT_TRUE(is_date(ok)) << ok;
        EXPECT_TRUE(is_date_time(ok)) << ok;
        EXPECT_FALSE(is_instant(ok)) << ok;
    }
    for (const char* bad : {"", "19", "0000", "2019-3-01", "2019-00", "2019-13", "2019-02-29", "1900-02-29",
                            "2019-04-31", "2019-03-01T", "2019/03/01", " 2019"})
        EXPECT_FALSE(is_date(bad)) << bad;
    for (const char* ok : {"2019-03-01T10:00:00Z", "2019-03-01T23:59:60+14:00", "2019-03-01T00:00:00.123-05:30"}) {
        EXPECT_TRUE(is_date_time(ok)) << ok;
        EXPECT_TRUE(is_instant(ok)) << ok;
    }
    for (const char* bad : {"2019-03-01T10:00Z", "2019-03-01T10:00:00", "2019-03-01T24:00:00Z", "2019-03-01T10:00:00+15:00",
                            "2019-03-01T10:00:00.Z", "2019-03-01 10:00:00Z", "2019-03-01T10:00:00+14:30"})
        EXPECT_FALSE(is_date_time(bad)) << bad;
    EXPECT_TRUE(is_code("in-progress"));
    EXPECT_TRUE(is_code("two words"));
    EXPECT_FALSE(is_code(" lead"));
    EXPECT_FALSE(is_code("double  space"));
    EXPECT_FALSE(is_code(""));
    EXPECT_TRUE(is_id("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));
    EXPECT_FALSE(is_id("has space"));
    EXPECT_FALSE(is_id(std::string(65, 'a')));
}

namespace {

/// A random JSON value of any kind, a few levels deep.
Json random_json(std::mt19937_64& rng, int depth) {
    switch (rng() % (depth > 0 ? 8 : 6)) {
        case 0: return nullptr;
        case 1: return (rng() & 1) != 0;
        case 2: return static_cast<std::int64_t>(rng()) >> (rng() % 64);
        case 3: return static_cast<double>(rng() % 1000) / 7.0;
        case 4: {
            static const char* kStrings[] = {"", " ", "active", "2019-02-30", "2019-03-01T10:00:00Z", "Patient/1",
                                             "\xff\xfe", "a\tb", "x y", "0x5aaeb6"};
            return kStrings[rng() % std::size(kStrings)];
        }
        case 5: return std::string(rng() % 3, 'z');
        case 6: {
            Json a = Json::array();
            for (std::size_t i = rng() % 3; i > 0; --i) a.push_back(random_json(rng, depth - 1));
            return a;
        }
        default: {
            static const char* kKeys[] = {"text", "coding", "reference", "status", "code", "value", "_status",
                                          "resourceType", "div", "url"};
            Json o = Json::object();
            for (std::size_t i = rng() % 3; i > 0; --i) o[kKeys[rng() % std::size(kKeys)]] = random_json(rng, depth - 1);
            return o;
        }
    }
}

/// Replaces a random node of `j` (walking down a random path) with `replacement`.
void replace_random_node(Json& j, std::mt19937_64& rng, Json replacement) {
    Json* node = &j;
    while ((node->is_object() || node->is_array()) && !node->empty() && rng() % 3 != 0) {
        const std::size_t i = rng() % node->size();
        if (node->is_array()) {
            node = &(*node)[i];
        } else {
            auto it = node->begin();
            std::advance(it, static_cast<std::ptrdiff_t>(i));
            node = &it.value();
        }
    }
    *node = std::move(replacement);
}

}  // namespace

// Robustness: thousands of random deep mutations of the HL7 examples never make the validator or
// the summary throw anything but InvalidResourceError from check().
TEST(Validate, RandomMutationsNeverCrash) {
    const auto examples = all_examples();
    std::mt19937_64 rng(2024);
    std::size_t rejected = 0;
    for (int i = 0; i < 5000; ++i) {
        Json r = examples[rng() % examples.size()].json;
        for (int k = 1 + static_cast<int>(rng() % 3); k > 0; --k) replace_random_node(r, rng, random_json(rng, 3));
        std::vector<Issue> issues;
        ASSERT_NO_THROW(issues = validate(r)) << r.dump();
        rejected += !issues.empty();
        try {
            check(r);
        } catch (const InvalidResourceError&) {
        }
        std::string s;
        ASSERT_NO_THROW(s = summary(r));
        EXPECT_EQ(s.find('\n'), std::string::npos);
    }
    EXPECT_GT(rejected, 2500u);
}
