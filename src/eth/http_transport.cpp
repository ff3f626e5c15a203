#include "eth/http_transport.hpp"

#include "base/http_client.hpp"
#include "eth/rpc_error.hpp"

namespace dossier::eth {

HttpTransport::HttpTransport(std::string url, HttpOptions options)
    : url_(std::move(url)), options_(options),
      client_(std::make_unique<http::Client>(http::ClientOptions{.connect_timeout = options.connect_timeout,
                                                                 .timeout = options.timeout,
                                                                 .stall_timeout = {},
                                                                 .max_idle_handles = options.max_idle_connections})) {}

HttpTransport::~HttpTransport() = default;

TransportResponse HttpTransport::post(std::string_view body) {
    http::Request request;
    request.url = url_;
    request.headers = {"Content-Type: application/json", "Accept: application/json"};
    request.body = body;
    request.max_response_bytes = options_.max_response_bytes;
    try {
        http::Response r = client_->perform(request);
        return TransportResponse{r.status, std::move(r.body)};
    } catch (const http::ResponseTooLargeError&) {
        throw MalformedResponseError("the answer of " + url_ + " exceeds " + std::to_string(options_.max_response_bytes) +
                                     " bytes.");
    } catch (const http::TransferError& e) {
        if (e.kind() == http::TransferError::Kind::timeout)
            throw NodeUnreachableError(url_, "no answer within " + std::to_string(options_.timeout.count()) + " ms");
        throw NodeUnreachableError(url_, e.reason());
    }
}

}  // namespace dossier::eth
