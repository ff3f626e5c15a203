// The shared HTTP client against a real loopback server (cpp-httplib on a free 127.0.0.1 port):
// requests from several threads run in parallel on pooled handles, a stop token aborts a request
// the server sits on, and failures carry their error codes.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <vector>

#include "base/cancel.hpp"
#include "base/http_client.hpp"
#include "support/process.hpp"

using namespace dossier;
using namespace std::chrono;

namespace {

/// A loopback server whose POST handler waits `delay` (or until the server is being torn down,
/// so a test never waits out a long delay) and answers "ok" (or `body`).
class SlowServer {
public:
    explicit SlowServer(milliseconds delay, std::string body = "ok") : delay_(delay), body_(std::move(body)) {
        server_.set_tcp_nodelay(true);
        server_.set_keep_alive_max_count(1000);
        server_.Post("/", [this](const httplib::Request&, httplib::Response& res) {
            ++requests_;
            {
                std::unique_lock lock(m_);
                cv_.wait_for(lock, delay_, [this] { return closing_; });
            }
            res.set_content(body_, "text/plain");
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        if (port_ <= 0) throw std::runtime_error("cannot bind a loopback port for the test server");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        while (!server_.is_running()) std::this_thread::sleep_for(milliseconds(1));
    }
    ~SlowServer() {
        {
            std::lock_guard lock(m_);
            closing_ = true;
        }
        cv_.notify_all();
        server_.stop();
        thread_.join();
    }
    SlowServer(const SlowServer&) = delete;
    SlowServer& operator=(const SlowServer&) = delete;

    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
    [[nodiscard]] int requests() const noexcept { return requests_.load(); }

private:
    milliseconds delay_;
    std::string body_;
    httplib::Server server_;
    int port_ = 0;
    std::atomic<int> requests_{0};
    std::mutex m_;
    std::condition_variable cv_;
    bool closing_ = false;
    std::thread thread_;
};

http::Request post_to(const std::string& url) {
    http::Request r;
    r.url = url;
    r.body = "ping";
    return r;
}

}  // namespace

TEST(HttpClient, ConcurrentRequestsRunInParallel) {
    SlowServer server(milliseconds(200));
    http::Client client;
    (void)client.perform(post_to(server.url()));  // warm one handle, as a real caller would have
    constexpr int kThreads = 4;
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    const auto start = steady_clock::now();
    for (int i = 0; i < kThreads; ++i)
        threads.emplace_back([&] {
            const http::Response r = client.perform(post_to(server.url()));
            if (r.status == 200 && r.body == "ok") ++ok;
        });
    for (auto& t : threads) t.join();
    const auto elapsed = steady_clock::now() - start;
    EXPECT_EQ(ok.load(), kThreads);
    // Serialised on one handle they would take 4 x 200 ms.
    EXPECT_LT(elapsed, milliseconds(500)) << duration_cast<milliseconds>(elapsed).count() << " ms";
    EXPECT_EQ(client.idle_handles(), 4u);
}

TEST(HttpClient, PoolKeepsAtMostItsIdleLimit) {
    SlowServer server(milliseconds(100));
    http::Client client(http::ClientOptions{.max_idle_handles = 2});
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 6; ++i)
        threads.emplace_back([&] {
            if (client.perform(post_to(server.url())).status == 200) ++ok;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 6);
    EXPECT_EQ(client.idle_handles(), 2u);
    // One thread after another reuses a kept handle instead of making more.
    for (int i = 0; i < 3; ++i) EXPECT_EQ(client.perform(post_to(server.url())).status, 200);
    EXPECT_EQ(client.idle_handles(), 2u);
}

TEST(HttpClient, CancelAbortsARequestTheServerSitsOn) {
    SlowServer server(seconds(5));
    // Declared before the client: the server waits for a kept-alive connection to close before it
    // stops, so the client (and its pooled connections) must go first.
    SlowServer quick(milliseconds(0));
    http::Client client;
    std::stop_source stop;
    std::optional<Error> caught;
    steady_clock::time_point failed_at;
    std::thread worker([&] {
        const CancelScope scope(stop.get_token());
        try {
            (void)client.perform(post_to(server.url()));
        } catch (const Error& e) {
            caught = e;
        }
        failed_at = steady_clock::now();
    });
    while (server.requests() == 0) std::this_thread::sleep_for(milliseconds(5));
    std::this_thread::sleep_for(milliseconds(300));  // the server is now silent; curl waits on its socket
    const auto cancelled_at = steady_clock::now();
    stop.request_stop();
    worker.join();
    ASSERT_TRUE(caught);
    EXPECT_EQ(caught->code(), ErrorCode::cancelled);
    EXPECT_LT(failed_at - cancelled_at, milliseconds(200))
        << duration_cast<milliseconds>(failed_at - cancelled_at).count() << " ms";
    // The handle went back to the pool and works for the next request.
    EXPECT_EQ(client.perform(post_to(quick.url())).body, "ok");
}

TEST(HttpClient, AnAlreadyCancelledThreadSendsNothing) {
    SlowServer server(milliseconds(0));
    http::Client client;
    std::stop_source stop;
    stop.request_stop();
    const CancelScope scope(stop.get_token());
    try {
        (void)client.perform(post_to(server.url()));
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::cancelled);
    }
    EXPECT_EQ(server.requests(), 0);
}

TEST(HttpClient, StopFlagEndsAStreamQuietly) {
    SlowServer server(seconds(5));
    http::Client client;
    std::atomic<bool> flag{false};
    http::Request r = post_to(server.url());
    r.stop_flag = &flag;
    r.sink = [](const char*, std::size_t) { return true; };
    std::thread setter([&] {
        while (server.requests() == 0) std::this_thread::sleep_for(milliseconds(5));
        flag = true;
    });
    const auto start = steady_clock::now();
    const http::Response response = client.perform(r);
    setter.join();
    EXPECT_TRUE(response.stopped);
    EXPECT_LT(steady_clock::now() - start, milliseconds(2500));  // checked at least once a second
}

TEST(HttpClient, FailuresCarryTheirCodes) {
    http::Client client;
    const std::string nowhere = "http://127.0.0.1:" + std::to_string(test::free_port()) + "/";
    try {
        (void)client.perform(post_to(nowhere));
        FAIL() << "no error";
    } catch (const http::TransferError& e) {
        EXPECT_EQ(e.code(), ErrorCode::node_unavailable);
        EXPECT_EQ(e.kind(), http::TransferError::Kind::connect);
        EXPECT_EQ(e.url(), nowhere);
    }

    SlowServer big(milliseconds(0), std::string(100000, 'x'));
    http::Request r = post_to(big.url());
    r.max_response_bytes = 4096;
    try {
        (void)client.perform(r);
        FAIL() << "no error";
    } catch (const http::ResponseTooLargeError& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input);
    }

    SlowServer slow(seconds(5));
    http::Client impatient(http::ClientOptions{.timeout = milliseconds(300)});
    try {
        (void)impatient.perform(post_to(slow.url()));
        FAIL() << "no error";
    } catch (const http::TransferError& e) {
        EXPECT_EQ(e.code(), ErrorCode::node_unavailable);
        EXPECT_EQ(e.kind(), http::TransferError::Kind::timeout);
    }
}

TEST(HttpClient, SinkGetsTheAnswerAndItsExceptionsPropagate) {
    SlowServer server(milliseconds(0), std::string(50000, 'y'));
    http::Client client;
    http::Request r = post_to(server.url());
    std::string got;
    r.sink = [&](const char* d, std::size_t n) {
        got.append(d, n);
        return true;
    };
    const http::Response response = client.perform(r);
    EXPECT_EQ(response.status, 200);
    EXPECT_TRUE(response.body.empty());
    EXPECT_EQ(got, std::string(50000, 'y'));

    r.sink = [](const char*, std::size_t) -> bool { throw Error(ErrorCode::tampered, "bad bytes"); };
    try {
        (void)client.perform(r);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::tampered);
    }
}
