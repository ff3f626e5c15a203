#include "chain/anvil_node.hpp"

#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "base/atomic_file.hpp"
#include "base/daemon.hpp"

namespace dossier::chain {
namespace fs = std::filesystem;

namespace {
constexpr const char* kName = "anvil";

struct Paths {
    fs::path dir, state, pid, port, log;
    explicit Paths(const fs::path& data_dir)
        : dir(data_dir / "chain"), state(dir / "state.json"), pid(dir / "anvil.pid"), port(dir / "anvil.port"),
          log(dir / "anvil.log") {}
};

int read_port(const fs::path& file) {
    std::ifstream in(file);
    int port = 0;
    in >> port;
    return port;
}

AnvilStatus status_of(pid_t pid, int port) {
    return AnvilStatus{pid, port, "http://127.0.0.1:" + std::to_string(port)};
}
}  // namespace

fs::path resolve_anvil_binary(const fs::path& requested) {
    fs::path p = requested;
    if (p.empty()) {
        const char* env = std::getenv("DOSSIER_ANVIL");
        p = (env && *env) ? fs::path(env) : fs::path(DOSSIER_DEFAULT_ANVIL);
    }
    if (!fs::exists(p))
        throw Error(ErrorCode::node_unavailable, "anvil not found at '" + p.string() +
                                                 "': run scripts/setup.sh, or set DOSSIER_ANVIL to an anvil binary");
    return p;
}

std::optional<AnvilStatus> find_anvil(const fs::path& data_dir) {
    const Paths paths(data_dir);
    const auto pid = live_pid(paths.pid, kName);
    if (!pid) return std::nullopt;
    return status_of(*pid, read_port(paths.port));
}

AnvilStatus start_anvil(const AnvilOptions& opts) {
    if (auto running = find_anvil(opts.data_dir)) return *running;
    const Paths paths(opts.data_dir);
    fs::create_directories(paths.dir);
    const fs::path binary = resolve_anvil_binary(opts.anvil_binary);
    // Reuse the port of the previous run when possible so that URLs printed earlier stay valid.
    int port = opts.port;
    if (port == 0) {
        port = read_port(paths.port);
        if (port == 0 || loopback_port_open(port)) port = pick_free_loopback_port();
    }
    write_file_atomic(paths.port, as_bytes(std::to_string(port) + "\n"));
    // --state loads the file if present and dumps to it every second and on SIGTERM.
    std::vector<std::string> argv = {binary.string(), "--host", "127.0.0.1", "--port", std::to_string(port),
                                     "--chain-id", std::to_string(opts.chain_id), "--state", paths.state.string(),
                                     "--state-interval", "1"};
    if (opts.block_time > 0) {
        argv.push_back("--block-time");
        argv.push_back(std::to_string(opts.block_time));
    }
    const pid_t pid = spawn_detached(argv, paths.log, paths.pid);
    const auto deadline = std::chrono::steady_clock::now() + opts.start_timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (!live_pid(paths.pid, kName))
            throw Error(ErrorCode::node_unavailable,
                        "anvil exited during start-up; its log ends with:\n" + tail_of_file(paths.log));
        if (loopback_port_open(port)) return status_of(pid, port);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    stop_process(paths.pid, kName, SIGKILL, std::chrono::seconds(2));
    throw Error(ErrorCode::node_unavailable,
                "anvil did not open port " + std::to_string(port) + " within " +
                    std::to_string(opts.start_timeout.count() / 1000) + " s; its log ends with:\n" +
                    tail_of_file(paths.log));
}

bool stop_anvil(const fs::path& data_dir, std::chrono::milliseconds grace) {
    return stop_process(Paths(data_dir).pid, kName, SIGTERM, grace);
}

bool kill_anvil(const fs::path& data_dir) {
    return stop_process(Paths(data_dir).pid, kName, SIGKILL, std::chrono::seconds(5));
}

}  // namespace dossier::chain
