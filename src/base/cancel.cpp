#include "base/cancel.hpp"

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "base/error.hpp"

namespace dossier {

namespace {
thread_local std::stop_token current_token;
}  // namespace

CancelScope::CancelScope(std::stop_token token) noexcept : previous_(std::move(current_token)) {
    current_token = std::move(token);
}

CancelScope::~CancelScope() { current_token = std::move(previous_); }

std::stop_token current_stop_token() noexcept { return current_token; }

bool cancelled() noexcept { return current_token.stop_requested(); }

void throw_if_cancelled(const char* what) {
    if (current_token.stop_requested()) throw Error(ErrorCode::cancelled, std::string(what) + " was cancelled");
}

bool wait_or_cancel(std::chrono::steady_clock::duration duration) {
    if (!current_token.stop_possible()) {
        std::this_thread::sleep_for(duration);
        return true;
    }
    std::mutex m;
    std::unique_lock lock(m);
    std::condition_variable_any cv;
    // wait_for with a stop token wakes as soon as a stop is requested (it registers a callback).
    return !cv.wait_for(lock, current_token, duration, [] { return false; }) && !current_token.stop_requested();
}

}  // namespace dossier
