#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "fhir/elements.hpp"
#include "support/process.hpp"

using namespace dossier;

// The committed element table is exactly what the generator makes from the official R4 schema.
TEST(Elements, TableIsGeneratedFromTheOfficialSchema) {
    const std::string generated =
        test::run_ok({"node", test::source_dir() + "/tests/fhir/js/gen_elements.mjs"}) + "\n";
    std::ifstream in(test::source_dir() + "/src/fhir/elements_r4.cpp");
    std::stringstream committed;
    committed << in.rdbuf();
    EXPECT_TRUE(generated == committed.str())
        << "src/fhir/elements_r4.cpp is stale: run node tests/fhir/js/gen_elements.mjs > src/fhir/elements_r4.cpp";
}

TEST(Elements, LookupsWork) {
    const auto* med = fhir::detail::find_type("MedicationStatement");
    ASSERT_NE(med, nullptr);
    const auto* dosage = fhir::detail::find_element(*med, "dosage");
    ASSERT_NE(dosage, nullptr);
    EXPECT_EQ(dosage->type, "Dosage");
    EXPECT_TRUE(dosage->array);
    EXPECT_EQ(fhir::detail::find_element(*med, "medication"), nullptr);  // only the expansions exist
    EXPECT_NE(fhir::detail::find_element(*med, "medicationCodeableConcept"), nullptr);
    EXPECT_EQ(fhir::detail::find_type("Composition"), nullptr);
    const auto* appt = fhir::detail::find_type("Appointment");
    ASSERT_NE(appt, nullptr);
    EXPECT_EQ(appt->required, std::vector<std::string_view>{"participant"});
}
