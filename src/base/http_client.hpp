#pragma once
/// The one HTTP client of Dossier (libcurl), shared by the JSON-RPC transport (src/eth) and the
/// Kubo RPC client (src/ipfs).
///
/// A client keeps a small pool of libcurl handles. A request takes an idle handle (or makes a new
/// one when all are busy) and gives it back afterwards, so requests from several threads run in
/// parallel, each on its own connection, while a thread making one request after another reuses
/// a kept-alive connection (a fresh one per request costs a handshake, and on loopback most of the
/// request time). At most `max_idle_handles` handles are kept between requests.
///
/// Cancellation: a request notices the calling thread's stop token (base/cancel.hpp) within
/// milliseconds, also while the server is silent, and throws Error(ErrorCode::cancelled).
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace dossier::http {

/// Nothing usable came back: the connection was refused, the name did not resolve, a timeout
/// expired or the connection broke. Code node_unavailable.
class TransferError : public Error {
public:
    enum class Kind {
        connect,  ///< no connection was established (refused, DNS, connect timeout)
        timeout,  ///< the whole-request or stall timeout expired
        broken,   ///< the connection failed after it was established
    };
    TransferError(std::string url, Kind kind, std::string reason)
        : Error(ErrorCode::node_unavailable, "the HTTP request to " + url + " failed: " + reason),
          url_(std::move(url)), kind_(kind), reason_(std::move(reason)) {}
    [[nodiscard]] const std::string& url() const noexcept { return url_; }
    [[nodiscard]] Kind kind() const noexcept { return kind_; }
    /// What went wrong, lower case, without the URL ("connection refused", "no answer within 300 ms").
    [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

private:
    std::string url_;
    Kind kind_;
    std::string reason_;
};

/// A collected answer was larger than the request allows (memory protection). Code invalid_input.
class ResponseTooLargeError : public Error {
public:
    ResponseTooLargeError(const std::string& url, std::size_t limit)
        : Error(ErrorCode::invalid_input,
                "the answer of " + url + " exceeds " + std::to_string(limit) + " bytes"),
          limit_(limit) {}
    [[nodiscard]] std::size_t limit() const noexcept { return limit_; }

private:
    std::size_t limit_;
};

struct ClientOptions {
    /// Time allowed to establish the TCP connection.
    std::chrono::milliseconds connect_timeout{3000};
    /// Time allowed for a whole request (connect, send, wait, receive); zero for no limit.
    std::chrono::milliseconds timeout{0};
    /// A request that moves no byte for this long fails (whole seconds, at least 1); zero for no
    /// limit. Suits large transfers whose total time is unknown.
    std::chrono::milliseconds stall_timeout{0};
    /// Handles (and their connections) kept between requests; more are made while busy.
    std::size_t max_idle_handles = 4;
};

/// A file part of a multipart/form-data body whose bytes are pulled as they are sent (chunked
/// transfer encoding, size unknown in advance).
struct StreamedPart {
    std::string field;
    std::string filename;
    std::string content_type = "application/octet-stream";
    /// Fills the buffer and returns the number of bytes, 0 at the end. An exception ends the
    /// request and is rethrown by perform().
    std::function<std::size_t(std::span<std::uint8_t>)> read;
};

/// A file part of a multipart/form-data body whose bytes are in memory (copied when sent): many
/// small files in one request.
struct MemoryPart {
    std::string field;
    std::string filename;
    std::string content_type = "application/octet-stream";
    std::span<const std::uint8_t> data;
};

/// A POST request. The body is either `body` (sent as is) or multipart: `part` (streamed) or
/// `memory_parts` (many files in one request), not both.
struct Request {
    std::string url;
    /// Extra header lines ("Content-Type: application/json").
    std::vector<std::string> headers;
    std::string_view body;
    std::optional<StreamedPart> part;
    std::vector<MemoryPart> memory_parts;
    /// Called with each piece of a 2xx answer as it arrives; returning false stops the transfer
    /// quietly (Response::stopped), an exception ends it and is rethrown by perform(). Without a
    /// sink the 2xx answer is collected in Response::body.
    std::function<bool(const char*, std::size_t)> sink;
    /// The most bytes collected in Response::body (a 2xx answer without sink, or any error
    /// answer): more is ResponseTooLargeError, except for an error answer with a sink, whose body
    /// is only kept for its message and is cut at this size instead.
    std::size_t max_response_bytes = 64u << 20;
    /// When set, the transfer stops quietly (Response::stopped) once it reads true; checked at
    /// least once a second. For a request made on a helper thread outside any CancelScope.
    const std::atomic<bool>* stop_flag = nullptr;
    /// A large transfer (a file up or down): moved in bigger pieces, fewer callbacks.
    bool large = false;
};

struct Response {
    long status = 0;
    /// See Request::sink and Request::max_response_bytes.
    std::string body;
    /// The sink or the stop flag ended the transfer before the end of the answer.
    bool stopped = false;
};

class Client {
public:
    explicit Client(ClientOptions options = {});
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    /// Performs one request. Thread-safe; concurrent calls run in parallel. Throws TransferError
    /// when nothing usable came back, ResponseTooLargeError, Error(ErrorCode::cancelled) when the
    /// calling thread's stop token is (or gets) triggered, or what a sink or part reader threw.
    /// An HTTP error status is not an exception: the caller interprets Response::status.
    Response perform(const Request& request);

    [[nodiscard]] const ClientOptions& options() const noexcept { return options_; }
    /// Handles currently kept idle (for tests of the pool).
    [[nodiscard]] std::size_t idle_handles() const;

private:
    struct Handle;
    std::unique_ptr<Handle> acquire();
    void release(std::unique_ptr<Handle> handle) noexcept;

    ClientOptions options_;
    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<Handle>> idle_;
};

}  // namespace dossier::http
