// The streaming multipart/form-data reader: the same parts whatever the pieces the body arrives
// in, delimiters split across pieces, and one clear refusal for each malformed shape.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ipfs/multipart_reader.hpp"

using dossier::ipfs::MultipartHeader;
using dossier::ipfs::MultipartReader;

namespace {

struct Part {
    MultipartHeader header;
    std::string data;
};

struct Result {
    std::vector<Part> parts;
    bool ok = false;
    bool complete = false;
    std::string error;
};

/// Feeds `body` in pieces of `piece` bytes (0: all at once).
Result parse(const std::string& boundary, const std::string& body, std::size_t piece = 0) {
    Result r;
    MultipartReader reader(
        boundary,
        [&](const MultipartHeader& h) {
            r.parts.push_back(Part{h, {}});
            return true;
        },
        [&](const char* d, std::size_t n) {
            r.parts.back().data.append(d, n);
            return true;
        });
    r.ok = true;
    const std::size_t step = piece == 0 ? body.size() : piece;
    for (std::size_t i = 0; i < body.size() && r.ok; i += step)
        r.ok = reader.feed(body.data() + i, std::min(step, body.size() - i));
    r.complete = reader.complete();
    r.error = reader.error();
    return r;
}

std::string part(const std::string& boundary, const std::string& filename, const std::string& data,
                 const std::string& type = "application/octet-stream") {
    return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
           "\"\r\nContent-Type: " + type + "\r\n\r\n" + data + "\r\n";
}

}  // namespace

TEST(MultipartReader, ThePartsAreTheSameWhateverThePieces) {
    const std::string b = "------------------------a1b2c3";
    std::string tricky = "starts\r\n-- not a boundary\r\n--" + b.substr(0, 10) + " almost\r";
    for (int i = 0; i < 3000; ++i) tricky += static_cast<char>((i * 131 + 7) % 256);
    const std::string body = "preamble text\r\n" + part(b, "a.txt", "first") + part(b, "b.bin", tricky) +
                             part(b, "", "", "text/plain") + "--" + b + "--\r\nepilogue";
    const Result whole = parse(b, body);
    ASSERT_TRUE(whole.ok) << whole.error;
    ASSERT_TRUE(whole.complete);
    ASSERT_EQ(whole.parts.size(), 3u);
    EXPECT_EQ(whole.parts[0].header.name, "file");
    EXPECT_EQ(whole.parts[0].header.filename, "a.txt");
    EXPECT_EQ(whole.parts[0].data, "first");
    EXPECT_EQ(whole.parts[1].header.filename, "b.bin");
    EXPECT_EQ(whole.parts[1].data, tricky);
    EXPECT_EQ(whole.parts[2].header.content_type, "text/plain");
    EXPECT_EQ(whole.parts[2].data, "");
    for (std::size_t piece : {1, 2, 3, 5, 7, 31, 32, 33, 64, 4096}) {
        const Result r = parse(b, body, piece);
        ASSERT_TRUE(r.ok && r.complete) << piece << ": " << r.error;
        ASSERT_EQ(r.parts.size(), 3u) << piece;
        for (std::size_t i = 0; i < 3; ++i) {
            EXPECT_EQ(r.parts[i].data, whole.parts[i].data) << piece << " part " << i;
            EXPECT_EQ(r.parts[i].header.filename, whole.parts[i].header.filename) << piece;
        }
    }
}

TEST(MultipartReader, TheBoundaryComesFromTheContentType) {
    EXPECT_EQ(MultipartReader::boundary_of("multipart/form-data; boundary=abc"), "abc");
    EXPECT_EQ(MultipartReader::boundary_of("Multipart/Form-Data;boundary=\"a b;c\""), "a b;c");
    EXPECT_EQ(MultipartReader::boundary_of("multipart/form-data; charset=utf-8; boundary=x-y"), "x-y");
    EXPECT_EQ(MultipartReader::boundary_of("multipart/form-data"), "");
    EXPECT_EQ(MultipartReader::boundary_of("application/json; boundary=abc"), "");
}

TEST(MultipartReader, MalformedBodiesAreRefusedWithAReason) {
    const std::string b = "XyZ";
    // Truncated: every byte is fine but the closing boundary never comes.
    Result r = parse(b, part(b, "a", "data"));
    EXPECT_TRUE(r.ok);
    EXPECT_FALSE(r.complete);
    // A part without Content-Disposition.
    r = parse(b, "--" + b + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + b + "--\r\n");
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.error.find("Content-Disposition"), std::string::npos) << r.error;
    // A part with no headers at all.
    r = parse(b, "--" + b + "\r\n\r\nx\r\n--" + b + "--\r\n");
    EXPECT_FALSE(r.ok);
    // A header line without a colon.
    r = parse(b, "--" + b + "\r\nContent-Disposition form-data\r\n\r\nx\r\n--" + b + "--\r\n");
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.error.find("':'"), std::string::npos) << r.error;
    // Endless headers are cut off.
    r = parse(b, "--" + b + "\r\nX-Long: " + std::string(MultipartReader::kMaxHeaderBytes + 10, 'a'), 1000);
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.error.find("too long"), std::string::npos) << r.error;
    // No boundary anywhere.
    r = parse(b, std::string(MultipartReader::kMaxHeaderBytes + 10, 'z'), 4096);
    EXPECT_FALSE(r.ok);
    // Text after a boundary on its line.
    r = parse(b, "--" + b + "junk\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n--" + b + "--");
    EXPECT_FALSE(r.ok);
    // A callback that stops the reader stops it.
    MultipartReader stopping(b, [](const MultipartHeader&) { return false; }, [](const char*, std::size_t) { return true; });
    const std::string body = part(b, "a", "data") + "--" + b + "--";
    EXPECT_FALSE(stopping.feed(body.data(), body.size()));
    EXPECT_TRUE(stopping.stopped());
    EXPECT_TRUE(stopping.error().empty());
}
