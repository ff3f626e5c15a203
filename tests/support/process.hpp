#pragma once
/// Test helpers for running the real reference tools (cast, anvil, node scripts) as subprocesses.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace dossier::test {

/// Absolute path of the project root (the source tree).
[[nodiscard]] std::string source_dir();
/// Absolute path of a tool in node_modules/.bin (solcjs, node scripts...).
[[nodiscard]] std::string node_tool(const std::string& name);
/// Absolute path of foundry's native binary (anvil, cast, forge) inside its npm package; calling it
/// directly skips the node launcher (5 ms a call instead of 65 ms).
[[nodiscard]] std::string foundry_tool(const std::string& name);

struct RunResult {
    int exit_code = -1;
    std::string out;  ///< stdout
    std::string err;  ///< stderr
};

/// Runs argv[0] (searched in PATH if it has no '/') with the given stdin, waits at most `timeout`,
/// and returns its exit code and output. A timeout kills the child and reports exit code -1.
[[nodiscard]] RunResult run(const std::vector<std::string>& argv, const std::string& stdin_data = {},
                            std::chrono::milliseconds timeout = std::chrono::seconds(60));

/// Like run() but fails the current test (throws std::runtime_error) on a non-zero exit, and
/// returns stdout with the trailing newline removed.
[[nodiscard]] std::string run_ok(const std::vector<std::string>& argv, const std::string& stdin_data = {},
                                 std::chrono::milliseconds timeout = std::chrono::seconds(60));

/// A background child process, killed (SIGTERM, then SIGKILL) by its PID on destruction.
class Child {
public:
    /// Starts argv with stdout/stderr sent to `log_path` (or /dev/null if empty).
    explicit Child(const std::vector<std::string>& argv, const std::string& log_path = {});
    ~Child();
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    [[nodiscard]] pid_t pid() const noexcept { return pid_; }
    [[nodiscard]] bool running();
    /// Sends `sig` and waits up to `grace` for exit; SIGKILL afterwards.
    void stop(int sig = 15, std::chrono::milliseconds grace = std::chrono::seconds(5));

private:
    pid_t pid_ = -1;
};

/// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it back, close).
[[nodiscard]] int free_port();

/// A fresh temporary directory, removed recursively on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::string& path() const noexcept { return path_; }

private:
    std::string path_;
};

}  // namespace dossier::test
