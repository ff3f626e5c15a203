#pragma once
/// Background processes that outlive the command that started them (the embedded anvil, the
/// embedded IPFS gateway), tracked by a pid file so that later commands can find and stop them.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"

namespace dossier {

/// Starts argv[0] (an absolute path) detached: its own session, stdin from /dev/null, stdout and
/// stderr appended to `log_file`, not a child that must be reaped by the caller (double fork).
/// Writes its pid to `pid_file` atomically and returns it. Throws Error (io) if exec fails.
pid_t spawn_detached(const std::vector<std::string>& argv, const std::filesystem::path& log_file,
                     const std::filesystem::path& pid_file);

/// The pid recorded in `pid_file` if that process is alive and its executable's name contains
/// `name_hint` (guards against a recycled pid). A stale pid file is removed.
[[nodiscard]] std::optional<pid_t> live_pid(const std::filesystem::path& pid_file, const std::string& name_hint);

/// Sends `sig` to the process of `pid_file` and waits up to `grace` for it to exit, then SIGKILL.
/// Removes the pid file. Returns false if nothing was running.
bool stop_process(const std::filesystem::path& pid_file, const std::string& name_hint, int sig,
                  std::chrono::milliseconds grace);

/// True once a TCP connection to 127.0.0.1:`port` succeeds.
[[nodiscard]] bool loopback_port_open(int port) noexcept;

/// A TCP port on 127.0.0.1 that was free when asked.
[[nodiscard]] int pick_free_loopback_port();

/// The last `max_bytes` of a text file (for error messages that quote a log); empty if unreadable.
[[nodiscard]] std::string tail_of_file(const std::filesystem::path& file, std::size_t max_bytes = 2000);

}  // namespace dossier
