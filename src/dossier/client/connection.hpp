#pragma once
/// Internal to the client implementation: what a Client, its Accounts and its Handlers share (the
/// library's Context, opened on first use), and the wrapper every boundary call runs in.
#include <filesystem>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <utility>

#include "base/cancel.hpp"
#include "dossier/client/error.hpp"
#include "dossier/client/local_index.hpp"
#include "dossier/client/progress.hpp"
#include "dossier/context.hpp"
#include "dossier/sealed_store.hpp"

namespace dossier::client::detail {

/// The library's Context for a configuration, opened when a call first needs the chain or the
/// store and shared by every thread (it is thread-safe: its RPC transport keeps a pool of
/// connections, its senders and journal lock). node_up and node_down drop it, so that the next
/// call connects to what now runs; calls in progress keep the one they hold.
class Connection {
public:
    explicit Connection(core::Config config, LocalIndex::Settings index = {})
        : config_(std::move(config)), index_settings_(std::move(index)) {}

    [[nodiscard]] const core::Config& config() const noexcept { return config_; }

    [[nodiscard]] std::shared_ptr<core::Context> context() {
        const std::lock_guard lock(mutex_);
        if (!context_) context_ = std::shared_ptr<core::Context>(core::Context::open(config_));
        return context_;
    }

    /// The local index that goes with context() (made with it).
    [[nodiscard]] std::shared_ptr<LocalIndex> index() {
        const std::lock_guard lock(mutex_);
        if (!index_) index_ = std::make_shared<LocalIndex>(index_settings_);
        return index_;
    }

    void reset() {
        const std::lock_guard lock(mutex_);
        context_.reset();
        index_.reset();
    }

private:
    core::Config config_;
    std::mutex mutex_;
    std::shared_ptr<core::Context> context_;
    LocalIndex::Settings index_settings_;
    std::shared_ptr<LocalIndex> index_;
};

/// Runs one boundary call: installs the caller's stop token for this thread (base/cancel.hpp) and
/// turns whatever is not yet a dossier::Error into one with a code, so that a face only ever
/// catches Error.
template <class F>
auto call(std::stop_token stop, F&& body) -> decltype(body()) {
    const CancelScope scope(std::move(stop));
    try {
        return body();
    } catch (const dossier::Error&) {
        throw;
    } catch (const std::filesystem::filesystem_error& e) {
        throw Error(ErrorCode::io, e.what());
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::invalid_input, std::string("malformed JSON: ") + e.what());
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(ErrorCode::internal, e.what());
    }
}

template <class F>
auto call(F&& body) -> decltype(body()) {
    return call(std::stop_token{}, std::forward<F>(body));
}

/// The library's (done, total) callbacks as the boundary's Progress of one phase.
[[nodiscard]] inline core::ProgressFn phase(const ProgressFn& progress, std::string name, std::string unit) {
    if (!progress) return {};
    return [progress, name = std::move(name), unit = std::move(unit)](std::uint64_t done, std::uint64_t total) {
        progress(Progress{name, done, total, unit});
    };
}

/// Reports a step without a count (a busy indicator with a text).
inline void step(const ProgressFn& progress, std::string name) {
    if (progress) progress(Progress{std::move(name), 0, 0, "steps"});
}

}  // namespace dossier::client::detail
