// The store check: every object the chain names for a patient (profile versions, record versions,
// attached files) is read back and verified; a deleted block and a flipped bit are each reported
// as a problem naming the object, and a stranger is refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "dossier/doctors.hpp"
#include "dossier/files.hpp"
#include "dossier/patients.hpp"
#include "dossier/records.hpp"
#include "dossier/store_check.hpp"
#include "fhir/builders.hpp"
#include "fixture.hpp"
#include "support/error_code.hpp"
#include "ipfs/exporter.hpp"
#include "ipfs/local_content_store.hpp"

using namespace dossier;
namespace fs = std::filesystem;

namespace {

fhir::Json condition(const eth::Address& patient, const std::string& text) {
    fhir::ConditionFields c;
    c.subject = fhir::reference_to("Patient", patient.to_hex());
    c.code_text = text;
    return fhir::condition(c);
}

bool mentions(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

}  // namespace

TEST(StoreCheck, EveryObjectIsReadBackAndEveryProblemIsNamed) {
    test::CoreFixture f;
    auto& ctx = f.ctx();
    const auto patient = f.funded_key();
    const auto p = patient.address();
    fhir::PatientFields pf;
    pf.given_name = "Ada";
    pf.family_name = "Byron";
    (void)core::register_patient(ctx, patient, pf);
    const auto first = core::add_record(ctx, patient, p, core::RecordKind::condition, condition(p, "Asthma"));
    const auto second = core::update_record(ctx, patient, p, first.record_id, condition(p, "Asthma, controlled"));
    const fs::path scan = fs::path(f.data_dir()) / "scan.bin";
    {
        std::ofstream out(scan, std::ios::binary);
        for (int i = 0; i < 300000; ++i) out.put(static_cast<char>(i * 7));  // two leaves
    }
    const auto file = core::attach_file(ctx, patient, p, first.record_id, scan);

    // 1 profile, 2 versions of record 1, the file's description record, the file itself.
    const auto good = core::check_patient_objects(ctx, p);
    EXPECT_TRUE(good.ok());
    EXPECT_EQ(good.objects, 5u);
    EXPECT_GT(good.bytes, 300000u);
    const auto patients = core::registered_patients(ctx);
    EXPECT_NE(std::find(patients.begin(), patients.end(), p), patients.end());

    auto& blocks = dynamic_cast<ipfs::LocalContentStore&>(ctx.store()).blocks();
    // Record 1 version 2 loses its (single) block; one leaf of the file gets a flipped bit.
    fs::remove(blocks.block_path(core::cid_of(second.ref).hash));
    std::vector<ipfs::Cid> leaves;
    ipfs::walk_dag(blocks, core::cid_of(file.ref), [&](const ipfs::Cid& c) {
        if (c.codec == ipfs::kCodecRaw) leaves.push_back(c);
    });
    ASSERT_GE(leaves.size(), 2u);
    {
        const auto path = blocks.block_path(leaves[1].hash);
        std::fstream io(path, std::ios::in | std::ios::out | std::ios::binary);
        io.seekp(10);
        io.put('\x5a');
    }
    const auto bad = core::check_patient_objects(ctx, p);
    EXPECT_FALSE(bad.ok());
    EXPECT_EQ(bad.objects, 5u);
    ASSERT_EQ(bad.problems.size(), 2u);
    EXPECT_EQ(bad.problems[0].object, "record 1 version 2");
    EXPECT_EQ(bad.problems[0].cid, core::cid_of(second.ref).to_string());
    EXPECT_TRUE(mentions(bad.problems[0].problem, "missing")) << bad.problems[0].problem;
    EXPECT_EQ(bad.problems[1].object, "file 1 of record 1");
    EXPECT_TRUE(mentions(bad.problems[1].problem, leaves[1].to_string())) << bad.problems[1].problem;

    test::expect_code([&] { (void)core::check_patient_objects(ctx, f.funded_key().address()); }, ErrorCode::not_found);
}
