#pragma once
/// How JSON-RPC request bodies reach a node. `Transport` is the interface (HTTP today; an IPC or
/// WebSocket transport could implement it); `HttpTransport` POSTs over libcurl.
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace dossier::eth {

/// An HTTP-level answer: the status code and the body, uninterpreted.
struct TransportResponse {
    long status = 0;
    std::string body;
};

class Transport {
public:
    virtual ~Transport() = default;
    /// Sends one request body (a JSON-RPC request or batch) and returns the answer. Throws
    /// NodeUnreachableError when nothing usable came back (refused, DNS, timeout, reset), and
    /// MalformedResponseError for an answer larger than the transport accepts.
    [[nodiscard]] virtual TransportResponse post(std::string_view body) = 0;
    /// The endpoint, for error messages.
    [[nodiscard]] virtual const std::string& url() const noexcept = 0;
};

struct HttpOptions {
    /// Time allowed to establish the TCP connection.
    std::chrono::milliseconds connect_timeout{3000};
    /// Time allowed for a whole request (connect, send, wait, receive).
    std::chrono::milliseconds timeout{30000};
    /// Answers larger than this are cut off and reported as MalformedResponseError (protects memory).
    std::size_t max_response_bytes = 256u << 20;
};

/// HTTP POST with one libcurl easy handle that lives as long as the transport, so the TCP
/// connection is kept alive between requests (a fresh connection per request costs a handshake
/// and, on loopback, most of the request time). TCP_NODELAY is set: JSON-RPC requests are small
/// and latency-bound.
///
/// Thread safety: post() takes an internal mutex, so one transport may be shared by threads, but
/// their requests are serialised on the one connection. Give each thread its own transport (and
/// RpcClient) for parallel requests.
class HttpTransport final : public Transport {
public:
    explicit HttpTransport(std::string url, HttpOptions options = {});
    ~HttpTransport() override;
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    [[nodiscard]] TransportResponse post(std::string_view body) override;
    [[nodiscard]] const std::string& url() const noexcept override { return url_; }

private:
    struct Handle;
    std::string url_;
    HttpOptions options_;
    std::mutex mutex_;
    std::unique_ptr<Handle> handle_;
};

}  // namespace dossier::eth
