#pragma once
/// Pull-style byte streams: the importer reads its input through a ByteSource, and the exporter
/// (a file opened by CID) is itself a ByteSource, so a file can flow from disk through IPFS and back
/// without ever being held in memory whole.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <span>

#include "base/bytes.hpp"

namespace dossier::ipfs {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    /// Reads up to `buf.size()` bytes into `buf`; returns how many. 0 means end of stream (and
    /// only then: a source never returns 0 for a non-empty buffer before its end). Throws on error.
    [[nodiscard]] virtual std::size_t read(std::span<std::uint8_t> buf) = 0;
};

/// Reads until `buf` is full or the stream ends; returns the number of bytes read.
[[nodiscard]] std::size_t read_full(ByteSource& src, std::span<std::uint8_t> buf);
/// Reads everything that is left (for tests and small objects only).
[[nodiscard]] Bytes read_all(ByteSource& src);

/// A view over bytes held by the caller (which must outlive the source).
[[nodiscard]] std::unique_ptr<ByteSource> source_from_bytes(ByteView data);
/// A std::istream (read() / gcount()); a stream error other than EOF throws IpfsError.
[[nodiscard]] std::unique_ptr<ByteSource> source_from_istream(std::istream& in);
/// A file descriptor (read(2), retried on EINTR); the caller keeps ownership of `fd`.
[[nodiscard]] std::unique_ptr<ByteSource> source_from_fd(int fd);
/// A callback with ByteSource::read's contract.
[[nodiscard]] std::unique_ptr<ByteSource> source_from_callback(std::function<std::size_t(std::span<std::uint8_t>)> fn);

}  // namespace dossier::ipfs
