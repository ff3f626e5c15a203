#pragma once
/// Cancellation of long work, for every layer at once.
///
/// A face cancels a call through the std::stop_token it passed to the client. The work that must
/// notice it sits many layers down (a receipt poll in src/eth, a chunk loop in src/crypto, a page
/// of eth_getLogs in src/dossier), behind dozens of signatures that have no token parameter.
/// Rather than thread a token through all of them, the client installs it for the calling thread
/// with a CancelScope; loops and waits ask cancelled() / throw_if_cancelled() at their natural
/// step (a chunk, a page, a poll), and waits use wait_or_cancel() so that a cancel interrupts the
/// sleep itself. A thread the work starts (a writer pool) is not covered: it finishes its unit and
/// the calling thread notices at its next step.
#include <chrono>
#include <stop_token>

namespace dossier {

/// Installs `token` as the calling thread's stop token until destroyed (scopes nest; the inner one
/// wins, the outer one is restored).
class CancelScope {
public:
    explicit CancelScope(std::stop_token token) noexcept;
    ~CancelScope();
    CancelScope(const CancelScope&) = delete;
    CancelScope& operator=(const CancelScope&) = delete;

private:
    std::stop_token previous_;
};

/// The calling thread's stop token (an empty token, never stopped, outside any scope).
[[nodiscard]] std::stop_token current_stop_token() noexcept;

/// True once the calling thread's stop token was triggered.
[[nodiscard]] bool cancelled() noexcept;

/// Throws Error(ErrorCode::cancelled, "<what> was cancelled") if the token was triggered.
void throw_if_cancelled(const char* what = "the operation");

/// Sleeps for `duration` or until the calling thread's token is triggered, whichever is first;
/// returns false if it was cancelled (then within microseconds of the request).
bool wait_or_cancel(std::chrono::steady_clock::duration duration);

}  // namespace dossier
