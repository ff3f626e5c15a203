#include "dossier/client/watcher.hpp"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "dossier/audit.hpp"
#include "dossier/client/convert.hpp"
#include "dossier/patients.hpp"
#include "eth/uint256.hpp"

namespace dossier::client::detail {

namespace {

namespace cv = convert;

std::optional<EventKind> event_kind(core::EntryKind kind) {
    switch (kind) {
        case core::EntryKind::registered: return EventKind::registered;
        case core::EntryKind::profile_updated: return EventKind::profile_updated;
        case core::EntryKind::requested: return EventKind::access_requested;
        case core::EntryKind::approved: return EventKind::access_approved;
        case core::EntryKind::denied: return EventKind::access_denied;
        case core::EntryKind::revoked: return EventKind::access_revoked;
        case core::EntryKind::key_rotated: return EventKind::key_rotated;
        case core::EntryKind::record_added: return EventKind::record_added;
        case core::EntryKind::record_updated: return EventKind::record_updated;
        case core::EntryKind::file_attached: return EventKind::file_attached;
        case core::EntryKind::accessed: return EventKind::accessed;
        case core::EntryKind::blocked: return EventKind::access_blocked;
        case core::EntryKind::unblocked: return EventKind::access_unblocked;
    }
    return std::nullopt;
}

/// An audit entry as an Event: the entry is decoded the way the audit trail decodes it, so the
/// doctor and record it concerns and its English line are the same as `audit show` prints.
std::optional<Event> to_event(const core::ChainEntry& c) {
    const auto kind = event_kind(c.kind);
    if (!kind) return std::nullopt;
    const auto decoded = core::decode_entry(c.subject, eth::from_be(c.info), c.data);
    Event e;
    e.kind = *kind;
    e.patient = cv::to_client(c.patient);
    e.actor = cv::to_client(c.actor);
    if (decoded.doctor) e.doctor = cv::to_client(*decoded.doctor);
    e.record_id = decoded.record_id;
    e.block = c.block_number;
    e.timestamp = c.timestamp;
    e.text = core::describe(decoded);
    return e;
}

bool matches(const EventFilter& filter, const Event& e) {
    if (filter.patient && e.patient != *filter.patient) return false;
    if (filter.doctor && e.doctor != filter.doctor && e.actor != *filter.doctor) return false;
    return true;
}

class Watcher final : public Handler {
public:
    Watcher(std::shared_ptr<Connection> connection, EventFilter filter, EventFn on_event,
            std::chrono::milliseconds poll)
        : connection_(std::move(connection)), filter_(std::move(filter)), on_event_(std::move(on_event)), poll_(poll) {
        thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
    }

    ~Watcher() override { disconnect(); }

    void disconnect() override {
        if (!thread_.joinable()) return;
        thread_.request_stop();
        // A callback that disconnects its own handler cannot wait for itself to return.
        if (std::this_thread::get_id() == thread_.get_id()) return;
        thread_.join();
    }

private:
    void run(std::stop_token stop) {
        std::optional<std::uint64_t> last;  // the newest block reported on
        std::optional<bool> node_ok;
        std::mutex m;
        std::condition_variable_any wake;
        while (!stop.stop_requested()) {
            try {
                const auto ctx = connection_->context();
                const std::uint64_t head = ctx->rpc().block_number();
                if (node_ok && !*node_ok) emit(stop, node_event(EventKind::node_up, head));
                node_ok = true;
                if (!last || head < *last) {
                    last = head;  // first poll, or the chain went back: report from here on
                } else if (head > *last) {
                    const std::optional<eth::Address> patient =
                        filter_.patient ? std::optional(cv::to_eth(*filter_.patient)) : std::nullopt;
                    for (const auto& entry : core::entries_between(*ctx, *last + 1, head, patient)) {
                        const auto event = to_event(entry);
                        if (event && matches(filter_, *event)) emit(stop, *event);
                    }
                    last = head;
                }
            } catch (const dossier::Error&) {
                // The node is down or restarting: say so once, and reconnect on the next poll.
                if (!node_ok || *node_ok) emit(stop, node_event(EventKind::node_down, last.value_or(0)));
                node_ok = false;
                connection_->reset();
            }
            std::unique_lock lock(m);
            (void)wake.wait_for(lock, stop, poll_, [] { return false; });
        }
    }

    static Event node_event(EventKind kind, std::uint64_t block) {
        Event e;
        e.kind = kind;
        e.block = block;
        e.text = kind == EventKind::node_up ? "the chain answers again" : "the chain does not answer";
        return e;
    }

    void emit(const std::stop_token& stop, const Event& event) {
        if (stop.stop_requested()) return;
        try {
            on_event_(event);
        } catch (...) {
            // A face's callback that throws must not end the notifications of everything else.
        }
    }

    std::shared_ptr<Connection> connection_;
    EventFilter filter_;
    EventFn on_event_;
    std::chrono::milliseconds poll_;
    std::jthread thread_;  // last: started after every member it reads
};

}  // namespace

std::unique_ptr<Handler> make_watcher(std::shared_ptr<Connection> connection, EventFilter filter, EventFn on_event,
                                      std::chrono::milliseconds poll) {
    return std::make_unique<Watcher>(std::move(connection), std::move(filter), std::move(on_event), poll);
}

}  // namespace dossier::client::detail
