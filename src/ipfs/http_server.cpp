#include "ipfs/http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

namespace dossier::ipfs {
namespace {

constexpr std::size_t kReadBuffer = 256 * 1024;

/// Waits up to `timeout` for `events` on `sock`; true if they came.
bool wait_for(socket_t sock, short events, std::chrono::microseconds timeout) {
    pollfd p{sock, events, 0};
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        const int r = ::poll(&p, 1, static_cast<int>(std::max<std::chrono::milliseconds::rep>(left.count(), 0)));
        if (r > 0) return (p.revents & (events | POLLHUP | POLLERR)) != 0;
        if (r == 0) return false;
        if (errno != EINTR) return false;
    }
}

void address_of(const sockaddr_storage& a, std::string& ip, int& port) {
    char text[INET6_ADDRSTRLEN] = {};
    if (a.ss_family == AF_INET) {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(&a);
        ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
        port = ntohs(v4->sin_port);
    } else if (a.ss_family == AF_INET6) {
        const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&a);
        ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
        port = ntohs(v6->sin6_port);
    }
    ip = text;
}

/// A connection as httplib's Stream, reads served from a buffer filled kReadBuffer at a time.
/// Timeouts as httplib's own socket stream: a read waits at most `read_timeout` for the peer, a
/// write at most `write_timeout` for room.
class BufferedSocketStream final : public httplib::Stream {
public:
    BufferedSocketStream(socket_t sock, std::chrono::microseconds read_timeout, std::chrono::microseconds write_timeout)
        : sock_(sock), read_timeout_(read_timeout), write_timeout_(write_timeout),
          buffer_(std::make_unique<char[]>(kReadBuffer)) {}

    [[nodiscard]] bool buffered() const noexcept { return pos_ < end_; }

    bool is_readable() const override { return buffered() || wait_for(sock_, POLLIN, read_timeout_); }
    bool is_writable() const override { return wait_for(sock_, POLLOUT, write_timeout_); }

    ssize_t read(char* ptr, size_t size) override {
        if (size == 0) return 0;
        if (!buffered()) {
            if (!wait_for(sock_, POLLIN, read_timeout_)) return -1;
            ssize_t n;
            do n = ::recv(sock_, buffer_.get(), kReadBuffer, 0);
            while (n < 0 && errno == EINTR);
            if (n <= 0) return n;
            pos_ = 0;
            end_ = static_cast<std::size_t>(n);
        }
        const std::size_t n = std::min(size, end_ - pos_);
        std::memcpy(ptr, buffer_.get() + pos_, n);
        pos_ += n;
        return static_cast<ssize_t>(n);
    }

    ssize_t write(const char* ptr, size_t size) override {
        if (!is_writable()) return -1;
        ssize_t n;
        do n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        return n;
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        sockaddr_storage a{};
        socklen_t len = sizeof a;
        if (::getpeername(sock_, reinterpret_cast<sockaddr*>(&a), &len) == 0) address_of(a, ip, port);
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        sockaddr_storage a{};
        socklen_t len = sizeof a;
        if (::getsockname(sock_, reinterpret_cast<sockaddr*>(&a), &len) == 0) address_of(a, ip, port);
    }
    socket_t socket() const override { return sock_; }

private:
    socket_t sock_;
    std::chrono::microseconds read_timeout_, write_timeout_;
    std::unique_ptr<char[]> buffer_;
    std::size_t pos_ = 0, end_ = 0;
};

std::chrono::microseconds micros(time_t sec, time_t usec) {
    return std::chrono::seconds(sec) + std::chrono::microseconds(usec);
}

}  // namespace

bool BufferedServer::process_and_close_socket(socket_t sock) {
    // httplib's keep-alive loop, over the buffered stream: at most keep_alive_max_count_
    // requests, each awaited for keep_alive_timeout_sec_, while the server runs.
    // httplib sets TCP_NODELAY on its sockets inside the loop this replaces. Without it a chunked
    // answer (chunk header, data and trailer as separate writes) waits on delayed ACKs.
    int yes = 1;
    (void)::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    BufferedSocketStream strm(sock, micros(read_timeout_sec_, read_timeout_usec_),
                              micros(write_timeout_sec_, write_timeout_usec_));
    bool ok = false;
    for (std::size_t left = keep_alive_max_count_; left > 0 && svr_sock_ != INVALID_SOCKET; --left) {
        if (!strm.buffered()) {
            // Checked every 100 ms so that stop() is not held up by an idle connection.
            bool readable = false;
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
            while (!readable && svr_sock_ != INVALID_SOCKET && std::chrono::steady_clock::now() < deadline)
                readable = wait_for(sock, POLLIN, std::chrono::milliseconds(100));
            if (!readable) break;
        }
        bool connection_closed = false;
        ok = process_request(strm, left == 1, connection_closed, nullptr);
        if (!ok || connection_closed) break;
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
}

}  // namespace dossier::ipfs
