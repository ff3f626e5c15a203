#include "ipfs/byte_stream.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "ipfs/errors.hpp"

namespace dossier::ipfs {

std::size_t read_full(ByteSource& src, std::span<std::uint8_t> buf) {
    std::size_t done = 0;
    while (done < buf.size()) {
        const std::size_t n = src.read(buf.subspan(done));
        if (n == 0) break;
        done += n;
    }
    return done;
}

Bytes read_all(ByteSource& src) {
    Bytes out;
    std::size_t filled = 0;
    for (;;) {
        if (out.size() - filled < 65536) out.resize(filled + 65536);
        const std::size_t n = src.read(std::span(out).subspan(filled));
        if (n == 0) break;
        filled += n;
    }
    out.resize(filled);
    return out;
}

namespace {

class ViewSource final : public ByteSource {
public:
    explicit ViewSource(ByteView d) : data_(d) {}
    std::size_t read(std::span<std::uint8_t> buf) override {
        const std::size_t n = std::min(buf.size(), data_.size() - pos_);
        if (n > 0) std::memcpy(buf.data(), data_.data() + pos_, n);
        pos_ += n;
        return n;
    }

private:
    ByteView data_;
    std::size_t pos_ = 0;
};

class IstreamSource final : public ByteSource {
public:
    explicit IstreamSource(std::istream& in) : in_(in) {}
    std::size_t read(std::span<std::uint8_t> buf) override {
        if (buf.empty() || in_.eof()) return 0;
        in_.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(buf.size()));
        const auto n = static_cast<std::size_t>(in_.gcount());
        if (in_.bad() || (in_.fail() && !in_.eof())) throw IpfsError(ErrorCode::io, "error reading the input stream");
        return n;
    }

private:
    std::istream& in_;
};

class FdSource final : public ByteSource {
public:
    explicit FdSource(int fd) : fd_(fd) {}
    std::size_t read(std::span<std::uint8_t> buf) override {
        for (;;) {
            const ssize_t n = ::read(fd_, buf.data(), buf.size());
            if (n >= 0) return static_cast<std::size_t>(n);
            if (errno == EINTR) continue;
            throw IpfsError(ErrorCode::io, std::string("error reading input: ") + std::strerror(errno));
        }
    }

private:
    int fd_;
};

class CallbackSource final : public ByteSource {
public:
    explicit CallbackSource(std::function<std::size_t(std::span<std::uint8_t>)> fn) : fn_(std::move(fn)) {}
    std::size_t read(std::span<std::uint8_t> buf) override { return fn_(buf); }

private:
    std::function<std::size_t(std::span<std::uint8_t>)> fn_;
};

}  // namespace

std::unique_ptr<ByteSource> source_from_bytes(ByteView data) { return std::make_unique<ViewSource>(data); }
std::unique_ptr<ByteSource> source_from_istream(std::istream& in) { return std::make_unique<IstreamSource>(in); }
std::unique_ptr<ByteSource> source_from_fd(int fd) { return std::make_unique<FdSource>(fd); }
std::unique_ptr<ByteSource> source_from_callback(std::function<std::size_t(std::span<std::uint8_t>)> fn) {
    return std::make_unique<CallbackSource>(std::move(fn));
}

}  // namespace dossier::ipfs
