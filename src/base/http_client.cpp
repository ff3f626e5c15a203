#include "base/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <stop_token>

#include "base/cancel.hpp"

namespace dossier::http {

namespace {

/// curl_global_init is not thread-safe; run it once before the first handle.
void global_init_once() {
    static std::once_flag flag;
    std::call_once(flag, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw Error("libcurl could not be initialised");
    });
}

/// The state of one transfer, shared with libcurl's callbacks.
struct Transfer {
    const Request* request;
    Response* response;
    CURL* curl;
    bool overflow = false;
    bool stopped = false;
    bool cancelled = false;
    std::exception_ptr error{};
};

bool is_success(long status) { return status >= 200 && status < 300; }

std::size_t on_write(char* data, std::size_t size, std::size_t nmemb, void* arg) {
    auto* t = static_cast<Transfer*>(arg);
    const std::size_t n = size * nmemb;
    if (t->response->status == 0) curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &t->response->status);
    const bool success = is_success(t->response->status);
    if (success && t->request->sink) {
        try {
            if ((t->request->sink)(data, n)) return n;
            t->stopped = true;
        } catch (...) {
            t->error = std::current_exception();
        }
        return 0;  // makes curl end the transfer with CURLE_WRITE_ERROR
    }
    std::string& body = t->response->body;
    const std::size_t limit = t->request->max_response_bytes;
    if (body.size() + n > limit) {
        if (!success && t->request->sink) {  // an error answer kept for its message: cut it
            body.append(data, limit - body.size());
            return n;
        }
        t->overflow = true;
        return 0;
    }
    body.append(data, n);
    return n;
}

std::size_t on_read(char* buffer, std::size_t size, std::size_t nitems, void* arg) {
    auto* t = static_cast<Transfer*>(arg);
    try {
        return t->request->part->read(std::span(reinterpret_cast<std::uint8_t*>(buffer), size * nitems));
    } catch (...) {
        t->error = std::current_exception();
        return CURL_READFUNC_ABORT;
    }
}

/// Called by libcurl often while data moves and about once a second while it does not (the poll
/// loop in Client::perform covers the silent case for the stop token).
int on_progress(void* arg, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* t = static_cast<Transfer*>(arg);
    if (cancelled()) {
        t->cancelled = true;
        return 1;
    }
    if (t->request->stop_flag && t->request->stop_flag->load()) {
        t->stopped = true;
        return 1;
    }
    return 0;
}

std::string lower_first(std::string s) {
    if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    return s;
}

}  // namespace

/// An easy handle with a multi handle of its own. The transfer runs through the multi interface
/// (rather than curl_easy_perform) so that the wait for the socket can be woken by a stop request:
/// curl_easy_perform would notice a cancel only at its next progress call, which comes about once
/// a second while the server is silent. The multi handle holds the connection cache, so the pair
/// stays together and keeps its connection alive between requests.
struct Client::Handle {
    CURL* easy = nullptr;
    CURLM* multi = nullptr;

    Handle() {
        global_init_once();
        easy = curl_easy_init();
        multi = curl_multi_init();
        if (!easy || !multi) {
            cleanup();
            throw Error("libcurl could not create a handle");
        }
    }
    ~Handle() { cleanup(); }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;

    void cleanup() noexcept {
        if (easy) curl_easy_cleanup(easy);
        if (multi) curl_multi_cleanup(multi);
        easy = nullptr;
        multi = nullptr;
    }
};

Client::Client(ClientOptions options) : options_(options) { global_init_once(); }

Client::~Client() = default;

std::size_t Client::idle_handles() const {
    std::lock_guard lock(mutex_);
    return idle_.size();
}

std::unique_ptr<Client::Handle> Client::acquire() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto h = std::move(idle_.back());  // the most recently used one: its connection is warm
            idle_.pop_back();
            return h;
        }
    }
    return std::make_unique<Handle>();
}

void Client::release(std::unique_ptr<Handle> handle) noexcept {
    std::lock_guard lock(mutex_);
    if (idle_.size() < options_.max_idle_handles) idle_.push_back(std::move(handle));
    // else: destroyed here, closing its connection
}

Response Client::perform(const Request& request) {
    if (cancelled()) throw Error(ErrorCode::cancelled, "the request to " + request.url + " was cancelled");
    std::unique_ptr<Handle> handle = acquire();
    CURL* c = handle->easy;
    CURLM* multi = handle->multi;

    Response response;
    Transfer t{&request, &response, c};
    char errbuf[CURL_ERROR_SIZE] = {};

    // Without "Expect:", curl sends "Expect: 100-continue" for larger bodies and waits a round trip.
    curl_slist* headers = curl_slist_append(nullptr, "Expect:");
    for (const std::string& h : request.headers) headers = curl_slist_append(headers, h.c_str());
    curl_mime* mime = nullptr;

    // Whatever happens, the handle goes back to the pool with no pointer into this frame (reset
    // keeps the live connection and the DNS cache).
    struct Restore {
        Client& client;
        std::unique_ptr<Handle>& handle;
        curl_slist*& headers;
        curl_mime*& mime;
        ~Restore() {
            curl_easy_reset(handle->easy);
            curl_slist_free_all(headers);
            if (mime) curl_mime_free(mime);
            client.release(std::move(handle));
        }
    } restore{*this, handle, headers, mime};

    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM, safe in threads
    // Requests are small and latency-bound (JSON-RPC, block/get): no Nagle delay.
    curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    if (options_.timeout.count() > 0)
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    if (options_.stall_timeout.count() > 0) {
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME,
                         std::max<long>(1, static_cast<long>(options_.stall_timeout.count() / 1000)));
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    // A streamed transfer (a file up or down) moves in pieces of this size instead of libcurl's
    // 16 KiB (down) and 64 KiB (up): each piece is a callback, a copy into a pipe and often a
    // thread woken on the other side.
    constexpr long kStreamBuffer = 512 * 1024;
    if (request.large) {
        curl_easy_setopt(c, CURLOPT_BUFFERSIZE, kStreamBuffer);
        curl_easy_setopt(c, CURLOPT_UPLOAD_BUFFERSIZE, kStreamBuffer);
    }
    if (request.part) {
        mime = curl_mime_init(c);
        if (!mime) throw Error("libcurl could not create a multipart body");
        curl_mimepart* part = curl_mime_addpart(mime);
        curl_mime_name(part, request.part->field.c_str());
        curl_mime_filename(part, request.part->filename.c_str());
        curl_mime_type(part, request.part->content_type.c_str());
        // Unknown size: libcurl sends the part with chunked transfer encoding, pulling as it goes.
        curl_mime_data_cb(part, -1, on_read, nullptr, nullptr, &t);
        curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
    } else if (!request.memory_parts.empty()) {
        mime = curl_mime_init(c);
        if (!mime) throw Error("libcurl could not create a multipart body");
        for (const MemoryPart& p : request.memory_parts) {
            curl_mimepart* part = curl_mime_addpart(mime);
            curl_mime_name(part, p.field.c_str());
            curl_mime_filename(part, p.filename.c_str());
            curl_mime_type(part, p.content_type.c_str());
            curl_mime_data(part, reinterpret_cast<const char*>(p.data.data()), p.data.size());
        }
        curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
    } else {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.empty() ? "" : request.body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);

    if (curl_multi_add_handle(multi, c) != CURLM_OK) throw Error("libcurl could not start a request");
    CURLcode rc = CURLE_OK;
    bool done = false;
    {
        // A stop request wakes the poll below at once (curl_multi_wakeup is thread-safe).
        const std::stop_callback wake(current_stop_token(), [multi] { curl_multi_wakeup(multi); });
        for (;;) {
            int running = 0;
            if (curl_multi_perform(multi, &running) != CURLM_OK) break;
            if (running == 0) {
                int queued = 0;
                while (CURLMsg* msg = curl_multi_info_read(multi, &queued))
                    if (msg->msg == CURLMSG_DONE && msg->easy_handle == c) {
                        rc = msg->data.result;
                        done = true;
                    }
                break;
            }
            if (cancelled()) {
                t.cancelled = true;
                break;
            }
            if (request.stop_flag && request.stop_flag->load()) {
                t.stopped = true;
                break;
            }
            // Wakes on socket activity, curl's own timers, a stop request, or after a second (the
            // stop flag's check interval).
            if (curl_multi_poll(multi, nullptr, 0, 1000, nullptr) != CURLM_OK) break;
        }
    }
    curl_multi_remove_handle(multi, c);  // an unfinished transfer's connection is closed

    if (t.error) std::rethrow_exception(t.error);
    if (t.cancelled) throw Error(ErrorCode::cancelled, "the request to " + request.url + " was cancelled");
    if (t.overflow) throw ResponseTooLargeError(request.url, request.max_response_bytes);
    if (t.stopped) {
        response.stopped = true;
        return response;
    }
    if (!done) throw Error("libcurl failed while running the request to " + request.url);
    if (rc != CURLE_OK) {
        const std::string reason = lower_first(errbuf[0] ? errbuf : curl_easy_strerror(rc));
        TransferError::Kind kind = TransferError::Kind::broken;
        if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY)
            kind = TransferError::Kind::connect;
        else if (rc == CURLE_OPERATION_TIMEDOUT)
            kind = TransferError::Kind::timeout;
        throw TransferError(request.url, kind, reason);
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

}  // namespace dossier::http
