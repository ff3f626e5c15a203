#pragma once
/// The embedded chain: a local anvil that Dossier starts, finds again and stops, with its state
/// persisted in the data directory (`--state` file, saved every second and on SIGTERM).
///
/// Files under <data_dir>/chain/: state.json (anvil's state), anvil.pid, anvil.port, anvil.log.
/// The process is detached (own session) so that it outlives the `dossier node up` command.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "base/error.hpp"

namespace dossier::chain {

struct AnvilOptions {
    std::filesystem::path data_dir;       ///< the node's directory (chain/ is created inside)
    int port = 0;                         ///< 0: a free loopback port (remembered in anvil.port)
    std::uint64_t chain_id = 31337;
    /// 0: a block per transaction, at once (automine); else a block every so many seconds, as a
    /// real chain makes them (transactions wait in the pool for the next one).
    unsigned block_time = 0;
    std::filesystem::path anvil_binary;   ///< empty: $DOSSIER_ANVIL, else the pinned npm binary
    std::chrono::milliseconds start_timeout{20000};
};

struct AnvilStatus {
    pid_t pid = -1;
    int port = 0;
    std::string url;  ///< http://127.0.0.1:<port>
};

/// The anvil binary that will be used: options, then $DOSSIER_ANVIL, then the pinned npm package.
[[nodiscard]] std::filesystem::path resolve_anvil_binary(const std::filesystem::path& requested = {});

/// Starts anvil for `opts.data_dir` unless one is already running there (then returns it).
/// Waits until its port accepts connections; throws Error (node_unavailable) with the log's tail on failure.
AnvilStatus start_anvil(const AnvilOptions& opts);

/// The anvil running for `data_dir`, if its pid file names a live anvil process.
[[nodiscard]] std::optional<AnvilStatus> find_anvil(const std::filesystem::path& data_dir);

/// Stops the anvil of `data_dir` with SIGTERM (anvil writes its state file on SIGTERM) and waits
/// up to `grace`, then SIGKILL. Returns false if none was running.
bool stop_anvil(const std::filesystem::path& data_dir, std::chrono::milliseconds grace = std::chrono::seconds(15));

/// Kills the anvil of `data_dir` with SIGKILL (crash simulation for tests and recovery drills).
bool kill_anvil(const std::filesystem::path& data_dir);

}  // namespace dossier::chain
