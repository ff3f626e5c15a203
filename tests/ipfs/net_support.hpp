#pragma once
// Helpers for the network tests of the IPFS layer: plain libcurl requests (so that the tests speak
// HTTP independently of the client under test), the JS Kubo stand-in process, and RSS readings.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "base/bytes.hpp"
#include "data_gen.hpp"
#include "support/process.hpp"

namespace dossier::ipfs::nettest {

inline std::string script(const std::string& name) { return test::source_dir() + "/tests/ipfs/js/" + name; }

struct HttpResult {
    long status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  ///< names in lower case
    [[nodiscard]] std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? "" : it->second;
    }
};

struct MultipartFile {
    std::string name = "file";
    std::string filename;
    std::string path;  ///< streamed from disk if set
    std::string data;  ///< otherwise these bytes
};

struct Request {
    std::string method = "GET";
    std::string url;
    std::vector<std::string> headers;
    std::optional<std::string> body;       ///< raw body
    std::string content_type;              ///< of the raw body
    std::vector<MultipartFile> multipart;  ///< a multipart/form-data body instead
    std::string save_to;                   ///< write the body to this file instead of memory
};

inline HttpResult http(const Request& r) {
    CURL* c = curl_easy_init();
    if (!c) throw std::runtime_error("curl_easy_init failed");
    HttpResult out;
    std::ofstream file;
    if (!r.save_to.empty()) file.open(r.save_to, std::ios::binary);
    struct Sink {
        HttpResult* out;
        std::ofstream* file;
    } sink{&out, r.save_to.empty() ? nullptr : &file};
    curl_easy_setopt(c, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
    curl_slist* headers = nullptr;
    for (const auto& h : r.headers) headers = curl_slist_append(headers, h.c_str());
    curl_mime* mime = nullptr;
    if (!r.multipart.empty()) {
        mime = curl_mime_init(c);
        for (const auto& f : r.multipart) {
            curl_mimepart* p = curl_mime_addpart(mime);
            curl_mime_name(p, f.name.c_str());
            if (!f.path.empty())
                curl_mime_filedata(p, f.path.c_str());
            else
                curl_mime_data(p, f.data.data(), f.data.size());
            if (!f.filename.empty()) curl_mime_filename(p, f.filename.c_str());
            curl_mime_type(p, "application/octet-stream");
        }
        curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
    } else if (r.body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, r.body->data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(r.body->size()));
        if (!r.content_type.empty()) headers = curl_slist_append(headers, ("Content-Type: " + r.content_type).c_str());
    }
    if (r.method == "HEAD")
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    else if (r.method == "POST" && !r.body && r.multipart.empty()) {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
    } else if (r.method != "GET" && r.method != "POST")
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, +[](char* d, std::size_t s, std::size_t n, void* arg) -> std::size_t {
        auto* k = static_cast<Sink*>(arg);
        if (k->file)
            k->file->write(d, static_cast<std::streamsize>(s * n));
        else
            k->out->body.append(d, s * n);
        return s * n;
    });
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &out);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, +[](char* d, std::size_t s, std::size_t n, void* arg) -> std::size_t {
        auto* o = static_cast<HttpResult*>(arg);
        std::string line(d, s * n);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
            std::string name = line.substr(0, colon);
            std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
            std::string value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(" \t"));
            while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
            o->headers[name] = value;
        }
        return s * n;
    });
    const CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
    curl_slist_free_all(headers);
    if (mime) curl_mime_free(mime);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK) throw std::runtime_error(std::string("HTTP request failed: ") + curl_easy_strerror(rc));
    return out;
}

inline HttpResult get(const std::string& url, std::vector<std::string> headers = {}) {
    Request r;
    r.url = url;
    r.headers = std::move(headers);
    return http(r);
}

inline HttpResult post(const std::string& url) {
    Request r;
    r.method = "POST";
    r.url = url;
    return http(r);
}

/// The Kubo RPC stand-in built on the JS IPFS libraries, on a free loopback port, stopped by PID.
class StandIn {
public:
    explicit StandIn(const std::string& lie = "") {
        for (int attempt = 0; attempt < 5; ++attempt) {
            port_ = test::free_port();
            std::vector<std::string> argv = {"node", script("kubo_standin.mjs"), std::to_string(port_)};
            if (!lie.empty()) argv.push_back("--lie=" + lie);
            log_ = dir_.path() + "/standin.log";
            child_ = std::make_unique<test::Child>(argv, log_);
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
            while (std::chrono::steady_clock::now() < deadline && child_->running()) {
                std::ifstream in(log_);
                std::string text((std::istreambuf_iterator<char>(in)), {});
                if (text.find("listening") != std::string::npos) return;
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            child_.reset();
        }
        throw std::runtime_error("the Kubo stand-in did not start");
    }
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

private:
    int port_ = 0;
    test::TempDir dir_;
    std::string log_;
    std::unique_ptr<test::Child> child_;
};

/// Resets the peak RSS of this process (Linux clear_refs "5").
inline void reset_peak_rss() {
    std::ofstream("/proc/self/clear_refs") << "5";
}
/// Current and peak resident set size of this process, in KiB.
inline long rss_kib(const char* field = "VmHWM:") {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.starts_with(field)) return std::stol(line.substr(std::string(field).size()));
    return -1;
}

/// A whole file as a string (empty if unreadable).
using testdata::slurp;

/// Equality of large binary strings without printing them.
inline ::testing::AssertionResult same(const std::string& a, const std::string& b) {
    if (a == b) return ::testing::AssertionSuccess();
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    return ::testing::AssertionFailure() << "sizes " << a.size() << " and " << b.size() << ", first difference at " << i;
}

/// Test content; distinct odd seeds give distinct streams (the generator ignores the low bit).
inline std::string generated(std::uint64_t seed, std::uint64_t size) {
    const Bytes b = testdata::bytes(seed, size);
    return std::string(as_chars(b));
}

}  // namespace dossier::ipfs::nettest
