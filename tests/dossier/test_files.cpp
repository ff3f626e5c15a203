#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "dossier/access.hpp"
#include "dossier/audit.hpp"
#include "dossier/doctors.hpp"
#include "dossier/files.hpp"
#include "dossier/patients.hpp"
#include "dossier/records.hpp"
#include "fhir/builders.hpp"
#include "fixture.hpp"
#include "support/error_code.hpp"

using namespace dossier;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kDiagnosis = "Zollinger-Ellison syndrome, gastrinoma suspected";
constexpr std::string_view kFileName = "Martin_Alice_abdominal_CT_2024-05-17.bin";

struct Care {
    test::CoreFixture f;
    eth::PrivateKey patient = f.funded_key();
    eth::PrivateKey doctor = f.funded_key();
    eth::PrivateKey stranger = f.funded_key();
    test::TempDir work;

    Care() {
        auto& ctx = f.ctx();
        fhir::PatientFields p;
        p.given_name = "Alice";
        p.family_name = "Martin";
        p.birth_date = "1980-04-02";
        (void)core::register_patient(ctx, patient, p);
        fhir::PractitionerFields pf;
        pf.given_name = "Jane";
        pf.family_name = "Smith";
        pf.licence_number = "L-1";
        (void)core::register_doctor(ctx, doctor, pf);
        core::verify_doctor(ctx, f.admin(), doctor.address());
        core::request_access(ctx, doctor, patient.address());
        core::approve(ctx, patient, doctor.address(), ctx.chain_time() + 3600);
    }
    core::Context& ctx() { return f.ctx(); }
    eth::Address who() const { return patient.address(); }
    std::uint32_t add_condition(std::string_view text) {
        fhir::ConditionFields c;
        c.subject = fhir::reference_to("Patient", who().to_hex());
        c.code_text = std::string(text);
        c.clinical_status = "active";
        return core::add_record(ctx(), doctor, who(), core::RecordKind::condition, fhir::condition(c)).record_id;
    }
    fs::path path(const std::string& name) const { return fs::path(work.path()) / name; }
};

void write_file(const fs::path& p, ByteView data) {
    std::ofstream out(p, std::ios::binary);
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

Bytes read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Whether `needle` occurs in any file under `dir`.
bool appears_under(const fs::path& dir, std::string_view needle) {
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file()) continue;
        const Bytes b = read_file(e.path());
        const std::string_view hay = as_chars(b);
        if (hay.find(needle) != std::string_view::npos) return true;
    }
    return false;
}

std::size_t entries_in(const fs::path& dir) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

}  // namespace

TEST(Files, FiveMegabytesAndAnEmptyFileComeBackIdentical) {
    Care c;
    const std::uint32_t record = c.add_condition("Chest pain");
    const Bytes big = test::pattern(5 * 1024 * 1024 + 123, 42);
    write_file(c.path("scan.bin"), big);
    write_file(c.path("empty.txt"), {});

    std::uint64_t last = 0;
    core::AttachOptions opts;
    opts.content_type = "application/octet-stream";
    opts.type_text = "CT scan";
    opts.progress = [&](std::uint64_t done, std::uint64_t total) {
        EXPECT_GE(done, last);
        EXPECT_LE(done, total);
        last = done;
    };
    const auto a = core::attach_file(c.ctx(), c.doctor, c.who(), record, c.path("scan.bin"), opts);
    EXPECT_EQ(last, big.size());
    EXPECT_EQ(a.record_id, record);
    EXPECT_EQ(a.index, 1u);
    EXPECT_EQ(a.size, big.size());
    EXPECT_EQ(a.name, "scan.bin");
    EXPECT_NE(a.file_record_id, record);
    EXPECT_EQ(a.ref.meta[31], 0x70);  // dag-pb: many blocks
    const auto e = core::attach_file(c.ctx(), c.patient, c.who(), record, c.path("empty.txt"),
                                     {.content_type = "text/plain"});
    EXPECT_EQ(e.index, 2u);
    EXPECT_EQ(e.size, 0u);

    core::Reader doctor(c.ctx(), c.doctor);
    const auto got = core::fetch_file(c.ctx(), doctor, c.who(), record, 1, c.path("scan.out"));
    EXPECT_EQ(got.size, big.size());
    EXPECT_TRUE(read_file(c.path("scan.out")) == big);
    core::Reader patient(c.ctx(), c.patient);
    const auto got0 = core::fetch_file(c.ctx(), patient, c.who(), record, 2, c.path("empty.out"));
    EXPECT_EQ(got0.size, 0u);
    EXPECT_TRUE(fs::exists(c.path("empty.out")));
    EXPECT_EQ(fs::file_size(c.path("empty.out")), 0u);

    // The listing names both files, from their descriptions.
    const auto files = core::list_files(c.ctx(), patient, c.who(), record);
    ASSERT_EQ(files.size(), 2u);
    ASSERT_TRUE(files[0].description) << files[0].error;
    EXPECT_EQ(files[0].description->name, "scan.bin");
    EXPECT_EQ(files[0].description->size, big.size());
    EXPECT_EQ(files[0].author, c.doctor.address());
    EXPECT_EQ(files[0].file_record_id, a.file_record_id);
    ASSERT_TRUE(files[1].description);
    EXPECT_EQ(files[1].description->content_type, "text/plain");
    EXPECT_EQ(files[1].description->size, 0u);
    EXPECT_EQ(core::list_files(c.ctx(), patient, c.who()).size(), 2u);
    // The description is a "file" record of its own.
    const auto desc = core::show_record(c.ctx(), patient, c.who(), a.file_record_id);
    EXPECT_EQ(desc.document.kind, core::RecordKind::file);

    // Existing destinations are kept unless overwriting is asked for.
    test::expect_code([&] { (void)core::fetch_file(c.ctx(), patient, c.who(), record, 2, c.path("scan.out")); },
                      ErrorCode::already_exists);
    EXPECT_EQ(fs::file_size(c.path("scan.out")), big.size());
    (void)core::fetch_file(c.ctx(), patient, c.who(), record, 2, c.path("scan.out"), {.overwrite = true});
    EXPECT_EQ(fs::file_size(c.path("scan.out")), 0u);
    // A directory destination takes the file's own name.
    fs::create_directory(c.path("inbox"));
    const auto named = core::fetch_file(c.ctx(), patient, c.who(), record, 1, c.path("inbox"));
    EXPECT_EQ(named.path, c.path("inbox") / "scan.bin");
    EXPECT_EQ(fs::file_size(named.path), big.size());

    test::expect_code([&] { (void)core::fetch_file(c.ctx(), patient, c.who(), record, 3, c.path("none")); },
                      ErrorCode::not_found);
    test::expect_code([&] { (void)core::attach_file(c.ctx(), c.patient, c.who(), 999, c.path("empty.txt")); },
                      ErrorCode::not_found);
    test::expect_code([&] { (void)core::attach_file(c.ctx(), c.patient, c.who(), record, c.path("missing.pdf")); },
                      ErrorCode::io);

    // A stranger can neither attach nor fetch.
    core::Reader stranger(c.ctx(), c.stranger);
    EXPECT_THROW((void)core::attach_file(c.ctx(), c.stranger, c.who(), record, c.path("empty.txt")),
                 core::NoAccessError);
    EXPECT_THROW((void)core::fetch_file(c.ctx(), stranger, c.who(), record, 1, c.path("stolen")), core::NoAccessError);
    EXPECT_THROW((void)core::fetch_file(c.ctx(), stranger, c.who(), record, 1, c.path("stolen"), {.log_access = false}),
                 core::NoAccessError);
    EXPECT_FALSE(fs::exists(c.path("stolen")));

    // The doctor's fetch is in the audit trail.
    core::Keyring ring(c.ctx(), c.patient);
    const auto log_key = core::access_log_key(ring.key(c.who(), 1), c.who());
    const auto trail = core::audit_history(c.ctx(), c.who(), &log_key);
    EXPECT_TRUE(std::any_of(trail.begin(), trail.end(), [&](const core::AuditEntry& x) {
        return x.kind == core::AuditKind::accessed && x.access == core::AccessTarget::file && x.record_id == record &&
               x.number == 1u && x.actor == c.doctor.address();
    }));
}

TEST(Files, AStandaloneFileIsAttachedToItsOwnRecord) {
    Care c;
    write_file(c.path("letter.txt"), as_bytes(std::string_view("Referral letter")));
    const auto a = core::attach_file(c.ctx(), c.patient, c.who(), std::nullopt, c.path("letter.txt"),
                                     {.name = "referral.txt", .content_type = "text/plain"});
    EXPECT_EQ(a.record_id, a.file_record_id);
    EXPECT_EQ(a.index, 1u);
    core::Reader doctor(c.ctx(), c.doctor);
    const auto files = core::list_files(c.ctx(), doctor, c.who(), a.record_id);
    ASSERT_EQ(files.size(), 1u);
    ASSERT_TRUE(files[0].description);
    EXPECT_EQ(files[0].description->name, "referral.txt");
    (void)core::fetch_file(c.ctx(), doctor, c.who(), a.record_id, 1, c.path("out.txt"));
    EXPECT_EQ(read_file(c.path("out.txt")), Bytes(as_bytes(std::string_view("Referral letter")).begin(),
                                                   as_bytes(std::string_view("Referral letter")).end()));
}

// Without a content type the description says what the bytes are, not what the name suggests.
TEST(Files, TheContentTypeComesFromTheFileWhenNotGiven) {
    Care c;
    const std::uint32_t record = c.add_condition("Referral");
    write_file(c.path("letter.bin"), as_bytes(std::string_view("Dear colleague,\nplease see Mrs Martin.\n")));
    write_file(c.path("noise.pdf"), test::pattern(2048, 5));
    (void)core::attach_file(c.ctx(), c.patient, c.who(), record, c.path("letter.bin"));
    (void)core::attach_file(c.ctx(), c.patient, c.who(), record, c.path("noise.pdf"));
    (void)core::attach_file(c.ctx(), c.patient, c.who(), record, c.path("letter.bin"), {.content_type = "text/x-referral"});
    core::Reader patient(c.ctx(), c.patient);
    const auto files = core::list_files(c.ctx(), patient, c.who(), record);
    ASSERT_EQ(files.size(), 3u);
    for (const auto& f : files) ASSERT_TRUE(f.description) << f.error;
    EXPECT_EQ(files[0].description->content_type, "text/plain");
    EXPECT_EQ(files[1].description->content_type, "application/octet-stream");
    EXPECT_EQ(files[2].description->content_type, "text/x-referral");
}

TEST(Files, ATamperedBlockIsDetectedAndNothingIsWritten) {
    Care c;
    const std::uint32_t record = c.add_condition("Fracture");
    const Bytes data = test::pattern(3 * 256 * 1024 + 10, 7);
    write_file(c.path("xray.bin"), data);
    (void)core::attach_file(c.ctx(), c.patient, c.who(), record, c.path("xray.bin"));
    // Flip one byte in a full 256 KiB leaf of the sealed file (the only blocks of that size).
    const fs::path blocks = fs::path(c.f.data_dir()) / "ipfs";
    bool flipped = false;
    for (const auto& e : fs::recursive_directory_iterator(blocks)) {
        if (!e.is_regular_file() || e.path().extension() != ".data" || e.file_size() != 256 * 1024) continue;
        std::fstream f(e.path(), std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(1000);
        char ch = 0;
        f.read(&ch, 1);
        ch = static_cast<char>(ch ^ 0x01);
        f.seekp(1000);
        f.write(&ch, 1);
        flipped = true;
        break;
    }
    ASSERT_TRUE(flipped);
    fs::create_directory(c.path("out"));
    core::Reader patient(c.ctx(), c.patient);
    EXPECT_THROW((void)core::fetch_file(c.ctx(), patient, c.who(), record, 1, c.path("out") / "xray.bin"), Error);
    EXPECT_EQ(entries_in(c.path("out")), 0u);  // neither the file nor a temporary
}

TEST(Files, NoPlaintextReachesTheBlockstore) {
    Care c;
    fhir::ConditionFields cf;
    cf.subject = fhir::reference_to("Patient", c.who().to_hex());
    cf.code_text = std::string(kDiagnosis);
    cf.clinical_status = "active";
    cf.note = "Fasting gastrin markedly elevated";
    const auto w = core::add_record(c.ctx(), c.doctor, c.who(), core::RecordKind::condition, fhir::condition(cf));
    (void)core::update_record(c.ctx(), c.doctor, c.who(), w.record_id, fhir::condition(cf));
    const std::string marker = "DOSSIER-PLAINTEXT-MARKER-" + std::to_string(w.record_id);
    Bytes content = test::pattern(600 * 1024, 3);
    std::copy(marker.begin(), marker.end(), content.begin() + 300 * 1024);
    write_file(c.path(std::string(kFileName)), content);
    (void)core::attach_file(c.ctx(), c.doctor, c.who(), w.record_id, c.path(std::string(kFileName)),
                            {.content_type = "application/dicom"});
    // Sanity: the strings are really where the reader finds them, and the search does find text.
    core::Reader patient(c.ctx(), c.patient);
    EXPECT_NE(core::show_record(c.ctx(), patient, c.who(), w.record_id).document.resource.dump().find(kDiagnosis),
              std::string::npos);
    EXPECT_EQ(core::list_files(c.ctx(), patient, c.who(), w.record_id).at(0).description->name, kFileName);
    EXPECT_TRUE(appears_under(c.work.path(), marker));

    const fs::path store = fs::path(c.f.data_dir()) / "ipfs";
    ASSERT_TRUE(fs::exists(store));
    EXPECT_FALSE(appears_under(store, kDiagnosis));
    EXPECT_FALSE(appears_under(store, "Zollinger"));
    EXPECT_FALSE(appears_under(store, kFileName));
    EXPECT_FALSE(appears_under(store, marker));
    EXPECT_FALSE(appears_under(store, "application/dicom"));
    EXPECT_FALSE(appears_under(store, "Alice"));
}

// Midway through a fetch (several chunks written), the destination directory holds no file at all:
// a crash or kill -9 at that moment would leave no plaintext on disk. The same holds when
// replacing a file, whose old content stays in place until the new one is complete.
TEST(Files, APartialFetchHasNoNameOnDisk) {
    Care c;
    const std::uint32_t record = c.add_condition("Fracture");
    const Bytes data = test::pattern(3 * 1024 * 1024 + 5, 11);
    write_file(c.path("xray.bin"), data);
    (void)core::attach_file(c.ctx(), c.patient, c.who(), record, c.path("xray.bin"));
    const fs::path out = c.path("out");
    fs::create_directory(out);
    core::Reader patient(c.ctx(), c.patient);
    for (const bool overwrite : {false, true}) {
        const std::size_t before = entries_in(out);
        int checks = 0;
        core::FetchOptions opts;
        opts.overwrite = overwrite;
        opts.progress = [&](std::uint64_t done, std::uint64_t total) {
            if (done == 0 || done >= total) return;
            ++checks;
            EXPECT_EQ(entries_in(out), before) << "a partial plaintext file has a name at " << done << "/" << total;
        };
        const auto got = core::fetch_file(c.ctx(), patient, c.who(), record, 1, out / "xray.bin", opts);
        EXPECT_GT(checks, 2);
        EXPECT_EQ(got.size, data.size());
        EXPECT_TRUE(read_file(out / "xray.bin") == data);
        EXPECT_EQ(entries_in(out), 1u);  // the file, and no leftover
    }
}
