// detect_content_type() on real files: the type comes from the bytes, whatever the name says.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "dossier/content_type.hpp"
#include "fixture.hpp"

using namespace dossier;
namespace fs = std::filesystem;

namespace {

// A 1x1 greyscale PNG: signature, IHDR, one IDAT, IEND (with correct CRCs).
constexpr unsigned char kPng[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x04, 0x00, 0x00, 0x00, 0xb5, 0x1c, 0x0c, 0x02, 0x00,
    0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0x00, 0x00, 0x00, 0x06, 0x00,
    0x02, 0x30, 0x81, 0xd0, 0x2f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

// A one-page PDF with nothing on the page; the xref offsets are computed when it is written.
std::string minimal_pdf() {
    const std::vector<std::string> objects = {
        "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
        "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
        "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\n",
    };
    std::string pdf = "%PDF-1.4\n";
    std::vector<std::size_t> offsets;
    for (const auto& o : objects) {
        offsets.push_back(pdf.size());
        pdf += o;
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 4\n0000000000 65535 f \n";
    for (const auto offset : offsets) {
        char line[21];
        std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
        pdf += line;
    }
    pdf += "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

fs::path write(const test::TempDir& dir, const std::string& name, const void* data, std::size_t size) {
    const fs::path p = fs::path(dir.path()) / name;
    std::ofstream out(p, std::ios::binary);
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    return p;
}

fs::path write(const test::TempDir& dir, const std::string& name, const std::string& text) {
    return write(dir, name, text.data(), text.size());
}

}  // namespace

TEST(ContentType, ComesFromTheContentNotTheName) {
    test::TempDir dir;
    const std::string pdf = minimal_pdf();
    EXPECT_EQ(core::detect_content_type(write(dir, "report.pdf", pdf)), "application/pdf");
    EXPECT_EQ(core::detect_content_type(write(dir, "report-without-extension", pdf)), "application/pdf");
    EXPECT_EQ(core::detect_content_type(write(dir, "scan.png", kPng, sizeof kPng)), "image/png");
    EXPECT_EQ(core::detect_content_type(write(dir, "scan.txt", kPng, sizeof kPng)), "image/png");
    EXPECT_EQ(core::detect_content_type(write(dir, "letter.txt", "Dear colleague,\nplease see Mrs Martin.\n")),
              "text/plain");
    EXPECT_EQ(core::detect_content_type(write(dir, "letter.pdf", "Dear colleague,\nplease see Mrs Martin.\n")),
              "text/plain");
}

TEST(ContentType, UnknownBytesAndUnreadableFilesAreOctetStream) {
    test::TempDir dir;
    const Bytes noise = test::pattern(4096, 11);
    EXPECT_EQ(core::detect_content_type(write(dir, "noise.png", noise.data(), noise.size())), "application/octet-stream");
    EXPECT_EQ(core::detect_content_type(write(dir, "empty.txt", "")), "application/octet-stream");
    EXPECT_EQ(core::detect_content_type(fs::path(dir.path()) / "missing.pdf"), "application/octet-stream");
    EXPECT_EQ(core::detect_content_type(dir.path()), "application/octet-stream");  // a directory
}

TEST(ContentType, FollowsSymbolicLinks) {
    test::TempDir dir;
    const fs::path target = write(dir, "scan.bin", kPng, sizeof kPng);
    const fs::path link = fs::path(dir.path()) / "link";
    fs::create_symlink(target, link);
    EXPECT_EQ(core::detect_content_type(link), "image/png");
}

TEST(ContentType, IsSafeFromManyThreadsAtOnce) {
    test::TempDir dir;
    const fs::path png = write(dir, "scan.bin", kPng, sizeof kPng);
    const fs::path pdf = write(dir, "report.bin", minimal_pdf());
    std::vector<std::thread> threads;
    std::vector<int> wrong(8, 0);
    for (std::size_t t = 0; t < wrong.size(); ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 20; ++i) {
                if (core::detect_content_type(png) != "image/png") ++wrong[t];
                if (core::detect_content_type(pdf) != "application/pdf") ++wrong[t];
            }
        });
    for (auto& th : threads) th.join();
    for (const int w : wrong) EXPECT_EQ(w, 0);
}
