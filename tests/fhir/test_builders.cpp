#include <gtest/gtest.h>

#include "fhir/base64.hpp"
#include "fhir/builders.hpp"
#include "fhir/summary.hpp"
#include "fhir_support.hpp"

using namespace dossier;
using namespace dossier::fhir;

namespace {

const std::string kPatientRef = "Patient/0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed";
const std::string kDoctorRef = "Practitioner/0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359";

std::vector<Json> sample_documents() {
    std::vector<Json> d;
    d.push_back(practitioner({.id = "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359",
                              .given_name = "Jane Alice",
                              .family_name = "Smith",
                              .specialty = "Cardiology",
                              .licence_number = "GMC-1234567",
                              .phone = "+44 20 7946 0958",
                              .email = "jane.smith@example.org"}));
    d.push_back(patient({.id = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
                         .given_name = "John",
                         .family_name = "Doe",
                         .birth_date = "1980-04-02",
                         .gender = "male",
                         .phone = "+1 555 0100"}));
    d.push_back(condition({.subject = kPatientRef,
                           .code_text = "Type 2 diabetes",
                           .clinical_status = "active",
                           .onset = "2019-03-01",
                           .recorder = kDoctorRef,
                           .note = "Diet-controlled until 2021."}));
    d.push_back(medication_statement({.subject = kPatientRef,
                                      .medication_text = "Metformin 500 mg tablet",
                                      .dosage_text = "500 mg twice daily with meals",
                                      .effective_start = "2021-06-01"}));
    d.push_back(allergy_intolerance({.patient = kPatientRef,
                                     .substance_text = "Penicillin",
                                     .criticality = "high",
                                     .reaction_text = "Hives",
                                     .recorded_date = "2015-08-12T10:30:00+01:00",
                                     .recorder = kDoctorRef}));
    d.push_back(appointment({.status = "booked",
                             .start = "2025-01-10T09:00:00Z",
                             .end = "2025-01-10T09:30:00Z",
                             .description = "Cardiology follow-up",
                             .participants = {{kPatientRef, "John Doe", "accepted"},
                                              {kDoctorRef, "Dr Jane Smith", "accepted"}}}));
    d.push_back(file_reference({.subject = kPatientRef,
                                .type_text = "Radiology report",
                                .content_type = "application/pdf",
                                .title = "chest-xray-2024-11-02.pdf",
                                .size = 1234567,
                                .cid = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
                                .date = "2024-11-02T14:00:00Z",
                                .author = kDoctorRef}));
    d.push_back(clinical_note({.subject = kPatientRef,
                               .author = kDoctorRef,
                               .title = "Follow-up visit",
                               .text = "Patient reports less chest pain.\nContinue current medication; review in 3 months.",
                               .date = "2025-01-10T09:35:00Z"}));
    return d;
}

}  // namespace

TEST(Builders, EveryBuilderPassesTheOfficialR4Schema) {
    auto docs = sample_documents();
    // A large file, whose size does not fit R4's unsignedInt, and minimal documents too.
    for (auto& d : std::vector<Json>{
             file_reference({.subject = kPatientRef, .content_type = "video/mp4", .size = 5'000'000'000ULL,
                             .cid = "bafkreia"}),
             practitioner({}),
             patient({}),
             condition({.subject = kPatientRef, .code_text = "Asthma"}),
             allergy_intolerance({.patient = kPatientRef, .substance_text = "Peanuts", .clinical_status = ""}),
             appointment({.status = "proposed", .participants = {{kPatientRef, "", "needs-action"}}}),
             clinical_note({.subject = kPatientRef, .text = "\u00fc \u2211 \U0001F600"}),
         })
        docs.push_back(std::move(d));
    const auto verdicts = test::official_schema(docs);
    ASSERT_EQ(verdicts.size(), docs.size());
    for (std::size_t i = 0; i < docs.size(); ++i) {
        EXPECT_TRUE(verdicts[i].valid) << docs[i].dump(2) << "\n" << verdicts[i].errors;
        EXPECT_TRUE(validate(docs[i]).empty());
    }
}

TEST(Builders, Shapes) {
    const auto d = sample_documents();
    EXPECT_EQ(d[0]["name"][0]["given"], Json::array({"Jane", "Alice"}));
    EXPECT_EQ(d[0]["qualification"][0]["code"]["text"], "Cardiology");
    EXPECT_EQ(d[0]["identifier"][0]["value"], "GMC-1234567");
    EXPECT_EQ(d[1]["telecom"][0]["system"], "phone");
    EXPECT_EQ(d[2]["clinicalStatus"]["coding"][0]["code"], "active");
    EXPECT_EQ(d[3]["status"], "active");
    EXPECT_EQ(d[3]["dosage"][0]["text"], "500 mg twice daily with meals");
    EXPECT_EQ(d[4]["reaction"][0]["manifestation"][0]["text"], "Hives");
    EXPECT_EQ(d[5]["participant"].size(), 2u);
    EXPECT_EQ(d[6]["content"][0]["attachment"]["url"],
              "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi");
    EXPECT_EQ(d[6]["content"][0]["attachment"]["size"], 1234567);
    EXPECT_EQ(file_cid(d[6]), "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi");
    EXPECT_EQ(file_cid(d[7]), std::nullopt);
    EXPECT_EQ(note_text(d[7]), "Patient reports less chest pain.\nContinue current medication; review in 3 months.");
    EXPECT_EQ(note_text(d[6]), std::nullopt);
    EXPECT_EQ(d[7]["type"]["coding"][0]["code"], "11506-3");
}

TEST(Builders, InvalidFieldsNameTheElement) {
    auto path_of = [](auto&& build) -> std::string {
        try {
            (void)build();
        } catch (const InvalidResourceError& e) {
            return e.issues().front().path;
        }
        return "(accepted)";
    };
    EXPECT_EQ(path_of([] { return patient({.birth_date = "02/04/1980"}); }), "Patient.birthDate");
    EXPECT_EQ(path_of([] { return patient({.gender = "M"}); }), "Patient.gender");
    EXPECT_EQ(path_of([] { return condition({.subject = kPatientRef, .code_text = ""}); }), "Condition.code.text");
    EXPECT_EQ(path_of([] { return condition({.subject = kPatientRef, .code_text = "x", .clinical_status = "cured"}); }),
              "Condition.clinicalStatus");
    EXPECT_EQ(path_of([] { return condition({.subject = kPatientRef, .code_text = "x", .onset = "yesterday"}); }),
              "Condition.onsetDateTime");
    EXPECT_EQ(path_of([] { return medication_statement({.subject = kPatientRef, .medication_text = "x", .status = "taking"}); }),
              "MedicationStatement.status");
    EXPECT_EQ(path_of([] { return allergy_intolerance({.patient = kPatientRef, .substance_text = "x", .criticality = "severe"}); }),
              "AllergyIntolerance.criticality");
    EXPECT_EQ(path_of([] { return appointment({.status = "booked", .participants = {{kPatientRef}}}); }),
              "Appointment.start");
    EXPECT_EQ(path_of([] { return appointment({.status = "booked", .participants = {}}); }), "Appointment.participant");
    EXPECT_EQ(path_of([] {
                  return appointment({.status = "booked", .start = "2025-01-10T10:00:00Z", .end = "2025-01-10T09:00:00Z",
                                      .participants = {{kPatientRef}}});
              }),
              "Appointment.end");
    EXPECT_EQ(path_of([] {
                  return appointment({.status = "booked", .start = "2025-01-10T09:00", .end = "2025-01-10T10:00:00Z",
                                      .participants = {{kPatientRef}}});
              }),
              "Appointment.start");
    EXPECT_EQ(path_of([] { return file_reference({.subject = kPatientRef, .content_type = "application/pdf"}); }),
              "DocumentReference.content[0].attachment.url");
    EXPECT_EQ(path_of([] { return clinical_note({.subject = kPatientRef, .text = "  "}); }),
              "DocumentReference.content[0].attachment.data");
    EXPECT_EQ(reference_to("Patient", "0xabc"), "Patient/0xabc");
    EXPECT_THROW((void)reference_to("Patient", "not an id"), InvalidResourceError);
}

TEST(Summary, OneLinePerKind) {
    const auto d = sample_documents();
    EXPECT_EQ(summary(d[0]), "Practitioner: Jane Alice Smith (Cardiology, licence GMC-1234567)");
    EXPECT_EQ(summary(d[1]), "Patient: John Doe (male, born 1980-04-02)");
    EXPECT_EQ(summary(d[2]), "Condition: Type 2 diabetes (active, since 2019-03-01)");
    EXPECT_EQ(summary(d[3]), "Medication: Metformin 500 mg tablet, 500 mg twice daily with meals (active)");
    EXPECT_EQ(summary(d[4]), "Allergy: Penicillin (high criticality, Hives)");
    EXPECT_EQ(summary(d[5]), "Appointment: Cardiology follow-up, 2025-01-10 09:00-09:30 (booked)");
    EXPECT_EQ(summary(d[6]), "File: chest-xray-2024-11-02.pdf (application/pdf, 1.2 MiB)");
    EXPECT_EQ(summary(d[7]), "Clinical note: Follow-up visit (2025-01-10 09:35)");
    EXPECT_EQ(summary(file_reference({.subject = kPatientRef, .content_type = "video/mp4", .size = 5'000'000'000ULL,
                                      .cid = "bafkreia"})),
              "File: (unnamed) (video/mp4, 4.7 GiB)");
    EXPECT_EQ(summary(clinical_note({.subject = kPatientRef, .text = "BP 120/80.\nNo change."})),
              "Clinical note: BP 120/80.");
    EXPECT_EQ(summary(Json::array()), "Unknown document");
    // A long first line is cut at a character boundary (each "\u00e9" is two bytes).
    std::string long_line;
    for (int i = 0; i < 40; ++i) long_line += "\u00e9";
    EXPECT_EQ(summary(clinical_note({.subject = kPatientRef, .text = long_line})),
              "Clinical note: " + long_line.substr(0, 56) + "...");
    EXPECT_EQ(summary(condition({.subject = kPatientRef, .code_text = "Line one\nline two"})),
              "Condition: Line one line two");
    EXPECT_EQ(summary(Json{{"resourceType", "Condition"}, {"code", 5}}), "Condition: (unnamed)");
}

TEST(Summary, HandlesEveryHl7Example) {
    for (auto type : supported_resource_types()) {
        for (const auto& ex : test::hl7_examples(std::string(type))) {
            const std::string s = summary(ex.json);
            EXPECT_EQ(s.rfind(type == "MedicationStatement" ? "Medication: "
                              : type == "AllergyIntolerance" ? "Allergy: "
                              : type == "DocumentReference"  ? "File: "
                                                             : std::string(type) + ": ",
                              0),
                      0u)
                << ex.file << ": " << s;
            EXPECT_EQ(s.find('\n'), std::string::npos) << ex.file;
        }
    }
    const auto cond = test::hl7_examples("Condition");
    for (const auto& ex : cond)
        if (ex.file == "Condition-example.json") {
            EXPECT_EQ(summary(ex.json), "Condition: Burnt Ear (active, since 2012-05-24)");
        }
}

TEST(Base64, RoundTripAndStrictDecoding) {
    for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) EXPECT_EQ(base64_decode(base64_encode(s)), s);
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_decode("Zm8"), std::nullopt);
    EXPECT_EQ(base64_decode("Zm9=Zm8="), std::nullopt);
    EXPECT_EQ(base64_decode("Zm9v\n"), std::nullopt);
    EXPECT_EQ(base64_decode("Zm9=" ), std::nullopt);  // non-zero padding bits
}
