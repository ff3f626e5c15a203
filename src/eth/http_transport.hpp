#pragma once
/// How JSON-RPC request bodies reach a node. `Transport` is the interface (HTTP today; an IPC or
/// WebSocket transport could implement it); `HttpTransport` POSTs with the shared HTTP client
/// (base/http_client.hpp).
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace dossier::http {
class Client;
}

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
    /// NodeUnreachableError when nothing usable came back (refused, DNS, timeout, reset),
    /// MalformedResponseError for an answer larger than the transport accepts, and
    /// Error(ErrorCode::cancelled) when the calling thread's stop token is triggered.
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
    /// Connections kept open between requests; more are opened while that many requests run.
    std::size_t max_idle_connections = 4;
};

/// JSON-RPC over HTTP POST with the shared HTTP client (base/http_client.hpp): a small pool of
/// kept-alive connections with TCP_NODELAY (JSON-RPC requests are small and latency-bound).
///
/// Thread safety: post() may be called from several threads at once; their requests run in
/// parallel, each on a pooled connection, and a thread's successive requests reuse a warm one.
/// A request notices the calling thread's stop token (base/cancel.hpp) and throws
/// Error(ErrorCode::cancelled).
class HttpTransport final : public Transport {
public:
    explicit HttpTransport(std::string url, HttpOptions options = {});
    ~HttpTransport() override;
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    [[nodiscard]] TransportResponse post(std::string_view body) override;
    [[nodiscard]] const std::string& url() const noexcept override { return url_; }

private:
    std::string url_;
    HttpOptions options_;
    std::unique_ptr<http::Client> client_;
};

}  // namespace dossier::eth
