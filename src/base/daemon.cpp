#include "base/daemon.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

#include "base/atomic_file.hpp"

namespace dossier {
namespace fs = std::filesystem;

pid_t spawn_detached(const std::vector<std::string>& argv, const fs::path& log_file, const fs::path& pid_file) {
    if (argv.empty()) throw Error(ErrorCode::internal, "no program to start");
    std::vector<char*> cargv;
    for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);

    // The grandchild reports its pid, or the errno of a failed exec, through a CLOEXEC pipe: a
    // successful exec closes the pipe with nothing more written.
    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0)
        throw Error(ErrorCode::io, std::string("pipe failed: ") + std::strerror(errno));
    const pid_t child = ::fork();
    if (child < 0) throw Error(ErrorCode::io, std::string("fork failed: ") + std::strerror(errno));
    if (child == 0) {
        ::setsid();
        const pid_t grandchild = ::fork();
        if (grandchild != 0) _exit(grandchild < 0 ? 1 : 0);
        const pid_t self = ::getpid();
        (void)!::write(report[1], &self, sizeof self);
        const int in = ::open("/dev/null", O_RDONLY);
        const int out = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (in >= 0) ::dup2(in, 0);
        if (out >= 0) {
            ::dup2(out, 1);
            ::dup2(out, 2);
        }
        ::execv(cargv[0], cargv.data());
        const int err = errno;
        (void)!::write(report[1], &err, sizeof err);
        _exit(127);
    }
    ::close(report[1]);
    int status = 0;
    ::waitpid(child, &status, 0);
    pid_t pid = -1;
    int exec_errno = 0;
    const ssize_t n1 = ::read(report[0], &pid, sizeof pid);
    const ssize_t n2 = ::read(report[0], &exec_errno, sizeof exec_errno);
    ::close(report[0]);
    if (n1 != sizeof pid || pid <= 0) throw Error(ErrorCode::io, "could not start " + argv[0]);
    if (n2 == sizeof exec_errno)
        throw Error(ErrorCode::io, "cannot run " + argv[0] + ": " + std::strerror(exec_errno));
    const std::string text = std::to_string(pid) + "\n";
    write_file_atomic(pid_file, as_bytes(text), 0644);
    return pid;
}

namespace {
bool process_matches(pid_t pid, const std::string& name_hint) {
    if (::kill(pid, 0) != 0 && errno == ESRCH) return false;
    // A zombie (exited, not yet reaped) is not alive.
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (std::getline(stat, line)) {
        const auto close_paren = line.rfind(')');
        if (close_paren != std::string::npos && close_paren + 2 < line.size() && line[close_paren + 2] == 'Z')
            return false;
    }
    std::ifstream comm("/proc/" + std::to_string(pid) + "/cmdline");
    std::string cmd;
    std::getline(comm, cmd, '\0');
    return cmd.find(name_hint) != std::string::npos;
}
}  // namespace

std::optional<pid_t> live_pid(const fs::path& pid_file, const std::string& name_hint) {
    std::ifstream in(pid_file);
    long pid = 0;
    if (!(in >> pid) || pid <= 0) return std::nullopt;
    if (!process_matches(static_cast<pid_t>(pid), name_hint)) {
        std::error_code ec;
        fs::remove(pid_file, ec);
        return std::nullopt;
    }
    return static_cast<pid_t>(pid);
}

bool stop_process(const fs::path& pid_file, const std::string& name_hint, int sig, std::chrono::milliseconds grace) {
    const auto pid = live_pid(pid_file, name_hint);
    if (!pid) return false;
    ::kill(*pid, sig);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (std::chrono::steady_clock::now() < deadline && process_matches(*pid, name_hint))
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    if (process_matches(*pid, name_hint)) {
        ::kill(*pid, SIGKILL);
        while (process_matches(*pid, name_hint)) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::error_code ec;
    fs::remove(pid_file, ec);
    return true;
}

bool loopback_port_open(int port) noexcept {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

int pick_free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw Error(ErrorCode::io, "cannot create a socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        throw Error(ErrorCode::io, "cannot bind a loopback port");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

std::string tail_of_file(const fs::path& file, std::size_t max_bytes) {
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    if (!in) return {};
    const auto size = static_cast<std::size_t>(in.tellg());
    const std::size_t start = size > max_bytes ? size - max_bytes : 0;
    in.seekg(static_cast<std::streamoff>(start));
    std::string out(size - start, '\0');
    in.read(out.data(), static_cast<std::streamsize>(out.size()));
    return out;
}

}  // namespace dossier
