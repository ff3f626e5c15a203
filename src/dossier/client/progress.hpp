#pragma once
/// Progress and cancellation of long calls, one type for every face.
///
/// Every call that can take longer than about 100 ms (unlocking a keystore, starting the node,
/// listing records, verifying an audit trail, attaching or fetching a file, importing) takes a
/// ProgressFn and a std::stop_token. Progress is reported from the calling thread; a GUI posts it
/// to its UI thread (a queued signal), the CLI draws a bar. A triggered stop token makes the call
/// throw Error(ErrorCode::cancelled) at its next step (a chunk, a page, a receipt poll: within
/// 200 ms); nothing half-written becomes visible, and a transaction already sent is named in the
/// error's detail (it is journaled and may still be mined).
#include <cstdint>
#include <functional>
#include <string>

namespace dossier::client {

struct Progress {
    std::string phase;        ///< what is being done now, for people: "encrypting", "waiting for the chain"
    std::uint64_t done = 0;   ///< units done in this phase
    std::uint64_t total = 0;  ///< units in this phase; 0: unknown (show a busy indicator)
    /// The unit of done and total: "bytes", "records", "entries", "objects", "steps".
    std::string unit;
};

using ProgressFn = std::function<void(const Progress& progress)>;

}  // namespace dossier::client
