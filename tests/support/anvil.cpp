#include "support/anvil.hpp"

#include <curl/curl.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace dossier::test {

namespace {
std::size_t collect(char* ptr, std::size_t size, std::size_t n, void* user) {
    static_cast<std::string*>(user)->append(ptr, size * n);
    return size * n;
}
}  // namespace

std::string http_post_json(const std::string& url, const std::string& body, long timeout_ms) {
    CURL* curl = curl_easy_init();
    if (!curl) throw std::runtime_error("curl_easy_init failed");
    std::string response;
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    const CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) throw std::runtime_error(std::string("HTTP POST failed: ") + curl_easy_strerror(rc));
    return response;
}

Anvil::Anvil(std::vector<std::string> extra_args) {
    // A port can be taken between free_port() and anvil's bind; retry a few times.
    for (int attempt = 0; attempt < 5; ++attempt) {
        port_ = free_port();
        url_ = "http://127.0.0.1:" + std::to_string(port_);
        std::vector<std::string> argv = {foundry_tool("anvil"), "--host", "127.0.0.1", "--port", std::to_string(port_),
                                         "--silent"};
        argv.insert(argv.end(), extra_args.begin(), extra_args.end());
        child_ = std::make_unique<Child>(argv, dir_.path() + "/anvil.log");
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < deadline && child_->running()) {
            try {
                const std::string r = raw_call(R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]})");
                if (r.find("result") != std::string::npos) return;
            } catch (const std::exception&) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        child_->stop();
    }
    throw std::runtime_error("anvil did not start on a loopback port");
}

Anvil::~Anvil() {
    if (child_) child_->stop();
}

std::string Anvil::raw_call(const std::string& body) const { return http_post_json(url_, body, 2000); }

}  // namespace dossier::test
