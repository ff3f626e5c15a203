#pragma once
/// A bounded, thread-safe byte pipe that turns push-style input (an HTTP body arriving in callbacks,
/// a libcurl read callback) into the pull-style ByteSource the importer and CAR reader consume on
/// another thread. Memory is bounded by `capacity` bytes in flight; a writer blocks when it is full.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <span>

#include "base/bytes.hpp"
#include "ipfs/byte_stream.hpp"

namespace dossier::ipfs {

class BytePipe final : public ByteSource {
public:
    explicit BytePipe(std::size_t capacity = 4u << 20) : capacity_(capacity) {}

    /// Appends bytes, blocking while the pipe is full. Returns false (dropping the bytes) if the
    /// reader has abandoned the pipe (abandon()), so the producer can stop early.
    bool write(ByteView data);
    /// End of stream: the reader sees 0 once the buffered bytes are consumed.
    void close();
    /// Ends the stream with an error: the reader's next read() throws `error`.
    void fail(std::exception_ptr error);
    /// Called by the reader when it stops reading (on error or success): unblocks and disables writers.
    void abandon();

    /// ByteSource: blocks until bytes, end of stream, or an error are available.
    [[nodiscard]] std::size_t read(std::span<std::uint8_t> buf) override;

private:
    std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Bytes> chunks_;
    std::size_t front_pos_ = 0;
    std::size_t buffered_ = 0;
    bool closed_ = false;
    bool abandoned_ = false;
    std::exception_ptr error_;
};

}  // namespace dossier::ipfs
