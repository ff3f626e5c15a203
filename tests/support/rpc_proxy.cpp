#include "support/rpc_proxy.hpp"

#include <httplib.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "support/anvil.hpp"

namespace dossier::test {

namespace {
/// The longest a forwarded request may take: a test against a stuck node fails instead of hanging.
constexpr long kForwardTimeoutMs = 15'000;
}  // namespace

struct RpcRewriteProxy::Server {
    httplib::Server http;
    int port = 0;
    std::thread thread;
};

RpcRewriteProxy::RpcRewriteProxy(std::string upstream) : upstream_(std::move(upstream)), server_(std::make_unique<Server>()) {
    auto& http = server_->http;
    http.set_tcp_nodelay(true);
    http.set_read_timeout(std::chrono::seconds(15));
    http.set_write_timeout(std::chrono::seconds(15));
    http.Post("/", [this](const httplib::Request& req, httplib::Response& res) {
        try {
            res.set_content(handle(req.body), "application/json");
        } catch (const std::exception& e) {
            res.status = 502;
            res.set_content(e.what(), "text/plain");
        }
    });
    server_->port = http.bind_to_any_port("127.0.0.1");
    if (server_->port <= 0) throw std::runtime_error("cannot bind a loopback port for the JSON-RPC proxy");
    server_->thread = std::thread([this] { server_->http.listen_after_bind(); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!server_->http.is_running()) {
        if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("the JSON-RPC proxy did not start");
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

RpcRewriteProxy::~RpcRewriteProxy() {
    server_->http.stop();
    if (server_->thread.joinable()) server_->thread.join();
}

std::string RpcRewriteProxy::url() const { return "http://127.0.0.1:" + std::to_string(server_->port); }

void RpcRewriteProxy::set_rewrite(Rewrite rewrite) {
    const std::lock_guard lock(mutex_);
    rewrite_ = std::move(rewrite);
}

std::string RpcRewriteProxy::handle(const std::string& body) {
    const std::string answer = http_post_json(upstream_, body, kForwardTimeoutMs);
    const nlohmann::json request = nlohmann::json::parse(body, nullptr, false);
    nlohmann::json response = nlohmann::json::parse(answer, nullptr, false);
    if (request.is_discarded() || response.is_discarded()) return answer;
    Rewrite rewrite;
    {
        const std::lock_guard lock(mutex_);
        rewrite = rewrite_;
    }
    auto one = [&](const nlohmann::json& call, nlohmann::json& reply) {
        ++calls_;
        if (rewrite && reply.is_object() && rewrite(call, reply)) ++rewritten_;
    };
    if (request.is_array() && response.is_array()) {
        for (const auto& call : request)
            for (auto& reply : response)
                if (reply.is_object() && call.is_object() && reply.value("id", nlohmann::json()) == call.value("id", nlohmann::json()))
                    one(call, reply);
    } else if (request.is_object()) {
        one(request, response);
    }
    return response.dump();
}

}  // namespace dossier::test
