#pragma once
/// Notifications: what a face shows live (a new access request for a patient, an approval or a
/// revocation for a doctor, a new record or file, the node going down or coming back).
///
/// Client::watch() returns a Handler; events arrive on a thread of the client's (a GUI re-posts
/// them to its UI thread) until the handler is disconnected or destroyed. Destruction waits for a
/// callback in progress to return, so a callback may use what its owner owns (the same contract as
/// Bitcoin Core's interfaces::Handler).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "dossier/client/types.hpp"

namespace dossier::client {

enum class EventKind {
    registered,
    profile_updated,
    access_requested,
    access_approved,
    access_denied,
    access_revoked,
    key_rotated,
    record_added,
    record_updated,
    file_attached,
    accessed,
    access_blocked,    ///< the patient refuses further requests of a doctor
    access_unblocked,  ///< the patient lets a blocked doctor ask again
    node_up,    ///< the chain answers again (after node_down)
    node_down,  ///< the chain stopped answering
};
/// "registered", "access-requested", ..., "node-down".
[[nodiscard]] std::string_view event_kind_name(EventKind kind) noexcept;

struct Event {
    EventKind kind = EventKind::registered;
    Address patient;                        ///< whose audit trail the event is in (zero for node events)
    Address actor;                          ///< who did it
    std::optional<Address> doctor;          ///< the doctor concerned (requests, grants, reads)
    std::optional<std::uint32_t> record_id;  ///< records and files
    std::uint64_t block = 0;
    std::uint64_t timestamp = 0;
    std::string text;  ///< one line in English
};

/// Which events a watcher wants. Empty fields match everything.
struct EventFilter {
    std::optional<Address> patient;  ///< events in this patient's trail
    std::optional<Address> doctor;   ///< events concerning this doctor (its requests, grants, reads)
};

using EventFn = std::function<void(const Event& event)>;

class Handler {
public:
    virtual ~Handler() = default;
    /// Stops the notifications; returns after a callback in progress has returned. Idempotent.
    virtual void disconnect() = 0;
};

}  // namespace dossier::client
