#pragma once
/// A JSON-RPC node that lies: an HTTP proxy on a free 127.0.0.1 port between a client and a real
/// node (anvil) that forwards every request and lets the test rewrite chosen answers (a log with
/// another address, a receipt of another transaction...). It proves that the client checks what
/// a node answers instead of trusting it. Stopped in the destructor; each forwarded request is
/// bounded in time.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace dossier::test {

class RpcRewriteProxy {
public:
    /// Gets one call of the request ({"method", "params", ...}) and its answer ({"result"} or
    /// {"error"}), and may change the answer in place. Returns whether it changed something.
    using Rewrite = std::function<bool(const nlohmann::json& request, nlohmann::json& response)>;

    /// Listens at once; forwards to `upstream` (a node's URL).
    explicit RpcRewriteProxy(std::string upstream);
    ~RpcRewriteProxy();
    RpcRewriteProxy(const RpcRewriteProxy&) = delete;
    RpcRewriteProxy& operator=(const RpcRewriteProxy&) = delete;

    [[nodiscard]] std::string url() const;
    /// Replaces the rewrite (an empty function forwards answers unchanged). Thread-safe.
    void set_rewrite(Rewrite rewrite);
    /// How many answers the rewrite changed since the proxy started.
    [[nodiscard]] int rewritten() const noexcept { return rewritten_.load(); }
    /// How many calls (batch members count one each) went through.
    [[nodiscard]] int calls() const noexcept { return calls_.load(); }

private:
    std::string handle(const std::string& body);

    struct Server;
    std::string upstream_;
    std::unique_ptr<Server> server_;
    std::mutex mutex_;
    Rewrite rewrite_;
    std::atomic<int> rewritten_{0};
    std::atomic<int> calls_{0};
};

}  // namespace dossier::test
