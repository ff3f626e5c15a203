// Records typed as plain fields: each kind becomes a resource that the official R4 schema accepts
// (checked with check_record_resource, as adding it does), carrying what was typed, naming the
// doctor as a Practitioner only when a doctor writes, and refusing what fields cannot describe.
#include <gtest/gtest.h>

#include "dossier/record_fields.hpp"
#include "eth/keys.hpp"
#include "fhir/validate.hpp"

using namespace dossier;
using core::RecordKind;

namespace {

core::RecordFields typed() {
    core::RecordFields f;
    f.code = "Penicillin G";
    f.text = "Seen in clinic";
    f.start = "2026-12-01T09:00:00Z";
    f.end = "2026-12-01T09:30:00Z";
    f.dosage = "twice daily";
    f.criticality = "high";
    f.reaction = "Hives";
    f.title = "Consultation";
    return f;
}

}  // namespace

TEST(RecordFields, EveryKindIsAValidResourceOfItsType) {
    const auto patient = eth::PrivateKey::generate().address();
    const auto doctor = eth::PrivateKey::generate().address();
    for (auto kind : {RecordKind::condition, RecordKind::medication, RecordKind::allergy, RecordKind::appointment,
                      RecordKind::note}) {
        for (const auto& author : {patient, doctor}) {
            const auto r = core::resource_from_fields(kind, typed(), patient, author);
            EXPECT_NO_THROW(core::check_record_resource(kind, r)) << core::kind_name(kind) << ": " << r.dump();
            EXPECT_EQ(core::kind_of_resource(r), kind);
            const std::string text = r.dump();
            EXPECT_NE(text.find(patient.to_hex()), std::string::npos) << text;
            // The doctor is named only when the doctor writes.
            EXPECT_EQ(text.find(doctor.to_hex()) != std::string::npos, author == doctor) << text;
        }
    }
}

TEST(RecordFields, WhatWasTypedIsInTheResource) {
    const auto patient = eth::PrivateKey::generate().address();
    const auto f = typed();
    const auto condition = core::resource_from_fields(RecordKind::condition, f, patient, patient);
    EXPECT_EQ(condition["code"]["text"], "Penicillin G");
    EXPECT_EQ(condition["clinicalStatus"]["coding"][0]["code"], "active");  // the default
    const auto allergy = core::resource_from_fields(RecordKind::allergy, f, patient, patient);
    EXPECT_EQ(allergy["criticality"], "high");
    EXPECT_NE(allergy.dump().find("Hives"), std::string::npos);
    const auto medication = core::resource_from_fields(RecordKind::medication, f, patient, patient);
    EXPECT_NE(medication.dump().find("twice daily"), std::string::npos);
    const auto appointment = core::resource_from_fields(RecordKind::appointment, f, patient, patient);
    EXPECT_EQ(appointment["start"], "2026-12-01T09:00:00Z");
    const auto note = core::resource_from_fields(RecordKind::note, f, patient, patient);
    EXPECT_NE(note.dump().find("Consultation"), std::string::npos);
}

TEST(RecordFields, BadFieldsAreRefused) {
    const auto patient = eth::PrivateKey::generate().address();
    EXPECT_THROW((void)core::resource_from_fields(RecordKind::file, typed(), patient, patient), Error);
    auto f = typed();
    f.criticality = "very";
    EXPECT_THROW(core::check_record_resource(RecordKind::allergy,
                                             core::resource_from_fields(RecordKind::allergy, f, patient, patient)),
                 fhir::InvalidResourceError);
    f = typed();
    f.start = "2026-13-01";
    EXPECT_THROW(core::check_record_resource(RecordKind::condition,
                                             core::resource_from_fields(RecordKind::condition, f, patient, patient)),
                 fhir::InvalidResourceError);
}
