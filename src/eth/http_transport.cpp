#include "eth/http_transport.hpp"

#include <curl/curl.h>

#include <cctype>

#include "base/error.hpp"
#include "eth/rpc_error.hpp"

namespace dossier::eth {

namespace {

/// curl_global_init is not thread-safe; run it once before the first handle.
void global_init_once() {
    static std::once_flag flag;
    std::call_once(flag, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw Error("libcurl could not be initialised");
    });
}

struct Sink {
    std::string* body;
    std::size_t limit;
    bool overflow = false;
};

std::size_t collect(char* ptr, std::size_t size, std::size_t n, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const std::size_t bytes = size * n;
    if (sink->body->size() + bytes > sink->limit) {
        sink->overflow = true;
        return 0;  // makes curl abort with CURLE_WRITE_ERROR
    }
    sink->body->append(ptr, bytes);
    return bytes;
}

}  // namespace

struct HttpTransport::Handle {
    CURL* curl = nullptr;
    curl_slist* headers = nullptr;
    ~Handle() {
        if (headers) curl_slist_free_all(headers);
        if (curl) curl_easy_cleanup(curl);
    }
};

HttpTransport::HttpTransport(std::string url, HttpOptions options)
    : url_(std::move(url)), options_(options), handle_(std::make_unique<Handle>()) {
    global_init_once();
    handle_->curl = curl_easy_init();
    if (!handle_->curl) throw Error("libcurl could not create a handle");
    handle_->headers = curl_slist_append(nullptr, "Content-Type: application/json");
    handle_->headers = curl_slist_append(handle_->headers, "Accept: application/json");
    // Without this, curl sends "Expect: 100-continue" for bodies over 1 KiB and waits a round trip.
    handle_->headers = curl_slist_append(handle_->headers, "Expect:");
    CURL* c = handle_->curl;
    curl_easy_setopt(c, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, handle_->headers);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM, safe in threads
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
}

HttpTransport::~HttpTransport() = default;

TransportResponse HttpTransport::post(std::string_view body) {
    std::lock_guard lock(mutex_);
    CURL* c = handle_->curl;
    TransportResponse response;
    Sink sink{&response.body, options_.max_response_bytes};
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    const CURLcode rc = curl_easy_perform(c);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, nullptr);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, nullptr);
    if (sink.overflow)
        throw MalformedResponseError("the answer of " + url_ + " exceeds " + std::to_string(options_.max_response_bytes) +
                                     " bytes.");
    if (rc != CURLE_OK) {
        std::string reason = curl_easy_strerror(rc);
        if (rc == CURLE_OPERATION_TIMEDOUT) reason = "no answer within " + std::to_string(options_.timeout.count()) + " ms";
        if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
        throw NodeUnreachableError(url_, reason);
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

}  // namespace dossier::eth
