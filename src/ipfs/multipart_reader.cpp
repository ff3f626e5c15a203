#include "ipfs/multipart_reader.hpp"

#include <algorithm>
#include <cctype>

namespace dossier::ipfs {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

/// The value of parameter `key` in "form-data; name=\"file\"; filename=\"a.txt\"" (quoted or
/// token; a backslash escapes the next character in a quoted value).
std::string parameter(std::string_view header, std::string_view key) {
    std::size_t i = header.find(';');
    while (i != std::string_view::npos && i < header.size()) {
        ++i;
        const std::size_t eq = header.find('=', i);
        if (eq == std::string_view::npos) return {};
        const std::string_view k = trim(header.substr(i, eq - i));
        std::size_t j = eq + 1;
        while (j < header.size() && header[j] == ' ') ++j;
        std::string value;
        if (j < header.size() && header[j] == '"') {
            for (++j; j < header.size() && header[j] != '"'; ++j) {
                if (header[j] == '\\' && j + 1 < header.size()) ++j;
                value += header[j];
            }
            i = header.find(';', j);
        } else {
            const std::size_t end = header.find(';', j);
            value = std::string(trim(header.substr(j, end == std::string_view::npos ? end : end - j)));
            i = end;
        }
        if (iequals(k, key)) return value;
    }
    return {};
}

}  // namespace

MultipartReader::MultipartReader(std::string boundary, std::function<bool(const MultipartHeader&)> on_part,
                                 std::function<bool(const char*, std::size_t)> on_data)
    : dash_boundary_("--" + boundary), delimiter_("\r\n--" + boundary), on_part_(std::move(on_part)),
      on_data_(std::move(on_data)) {
    if (boundary.empty() || boundary.size() > 70) state_ = State::failed, error_ = "a multipart boundary has 1 to 70 characters";
}

std::string MultipartReader::boundary_of(std::string_view content_type) {
    const std::size_t semi = content_type.find(';');
    if (!iequals(trim(content_type.substr(0, semi)), "multipart/form-data") || semi == std::string_view::npos) return {};
    return parameter(content_type, "boundary");
}

bool MultipartReader::fail(std::string why) {
    state_ = State::failed;
    error_ = std::move(why);
    held_.clear();
    return false;
}

bool MultipartReader::parse_headers(std::string_view block) {
    MultipartHeader h;
    bool disposition = false;
    std::size_t start = 0;
    while (start < block.size()) {
        std::size_t end = block.find("\r\n", start);
        if (end == std::string_view::npos) end = block.size();
        const std::string_view line = block.substr(start, end - start);
        start = end + 2;
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) return fail("a multipart part has a header line without ':'");
        const std::string_view key = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
        if (iequals(key, "Content-Disposition")) {
            if (!iequals(trim(value.substr(0, value.find(';'))), "form-data") &&
                !iequals(trim(value.substr(0, value.find(';'))), "file"))
                return fail("a multipart part is not form-data");
            disposition = true;
            h.name = parameter(value, "name");
            h.filename = parameter(value, "filename");
        } else if (iequals(key, "Content-Type")) {
            h.content_type = std::string(value);
        }
    }
    if (!disposition) return fail("a multipart part has no Content-Disposition");
    if (!on_part_(h)) return fail({});
    return true;
}

bool MultipartReader::feed(const char* data, std::size_t n) {
    if (state_ == State::failed) return false;
    if (state_ == State::done) return true;  // the epilogue is ignored
    held_.append(data, n);
    std::size_t pos = 0;  // bytes of held_ dealt with
    for (;;) {
        const std::string_view rest = std::string_view(held_).substr(pos);
        if (state_ == State::preamble) {
            // The first boundary may start the body or follow a preamble on a line of its own.
            const std::size_t at = rest.find(dash_boundary_);
            if (at == std::string_view::npos) {
                if (held_.size() > kMaxHeaderBytes) return fail("a multipart body does not start with its boundary");
                break;
            }
            if (at != 0 && (at < 2 || rest.substr(at - 2, 2) != "\r\n"))
                return fail("a multipart boundary is not at the start of a line");
            pos += at + dash_boundary_.size();
            state_ = State::after_boundary;
        } else if (state_ == State::after_boundary) {
            if (rest.size() < 2) break;
            if (rest.substr(0, 2) == "--") {
                state_ = State::done;
                held_.clear();
                return true;
            }
            // Transport padding (spaces, tabs) may follow a boundary before its CRLF.
            const std::size_t eol = rest.find("\r\n");
            if (eol == std::string_view::npos) {
                if (rest.size() > 1024) return fail("a multipart boundary line does not end");
                break;
            }
            if (!trim(rest.substr(0, eol)).empty()) return fail("a multipart boundary is followed by other text");
            pos += eol + 2;
            state_ = State::headers;
        } else if (state_ == State::headers) {
            if (rest.size() >= 2 && rest.substr(0, 2) == "\r\n") return parse_headers({});  // no headers at all
            const std::size_t end = rest.find("\r\n\r\n");
            if (end == std::string_view::npos) {
                if (rest.size() > kMaxHeaderBytes) return fail("a multipart part's headers are too long");
                break;
            }
            if (!parse_headers(rest.substr(0, end))) return false;
            pos += end + 4;
            state_ = State::body;
        } else {  // body
            const std::size_t at = rest.find(delimiter_);
            if (at == std::string_view::npos) {
                // All but what could be the start of a delimiter split across pieces.
                const std::size_t safe = rest.size() > delimiter_.size() ? rest.size() - delimiter_.size() : 0;
                if (safe > 0 && !on_data_(rest.data(), safe)) return fail({});
                pos += safe;
                break;
            }
            if (at > 0 && !on_data_(rest.data(), at)) return fail({});
            pos += at + delimiter_.size();
            state_ = State::after_boundary;
        }
    }
    held_.erase(0, pos);
    return true;
}

}  // namespace dossier::ipfs
