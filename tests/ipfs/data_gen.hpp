#pragma once
// Deterministic test content: a fast xorshift stream, so tests can create and re-check large files
// without keeping them in memory.
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <span>
#include <string>

#include "ipfs/byte_stream.hpp"

namespace dossier::ipfs::testdata {

/// Byte i of the stream with `seed` does not depend on how the stream is read.
class Generator final : public ByteSource {
public:
    Generator(std::uint64_t seed, std::uint64_t size) : seed_(seed | 1), size_(size) {}
    std::size_t read(std::span<std::uint8_t> buf) override {
        std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), size_ - pos_));
        for (std::size_t i = 0; i < n; ++i) buf[i] = at(pos_ + i);
        pos_ += n;
        return n;
    }
    /// Byte at an absolute offset (8-byte words of a counter-based mix).
    [[nodiscard]] std::uint8_t at(std::uint64_t off) const {
        std::uint64_t x = (off / 8) * 0x9E3779B97F4A7C15ull ^ seed_;
        x ^= x >> 31;
        x *= 0xBF58476D1CE4E5B9ull;
        x ^= x >> 29;
        return static_cast<std::uint8_t>(x >> (8 * (off % 8)));
    }

private:
    std::uint64_t seed_;
    std::uint64_t size_;
    std::uint64_t pos_ = 0;
};

/// The whole stream in memory, for small test content.
inline Bytes bytes(std::uint64_t seed, std::uint64_t size) {
    Generator g(seed, size);
    return read_all(g);
}

/// A file's whole contents.
inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

inline void write_file(const std::string& path, std::uint64_t seed, std::uint64_t size) {
    std::ofstream out(path, std::ios::binary);
    Generator g(seed, size);
    std::string buf(1 << 20, '\0');
    for (;;) {
        const std::size_t n = g.read(std::span(reinterpret_cast<std::uint8_t*>(buf.data()), buf.size()));
        if (n == 0) break;
        out.write(buf.data(), static_cast<std::streamsize>(n));
    }
}

}  // namespace dossier::ipfs::testdata
