#pragma once
/// A bounded, thread-safe byte pipe that turns push-style input (an HTTP body arriving in callbacks,
/// a libcurl read callback) into the pull-style ByteSource the importer and CAR reader consume on
/// another thread. Memory is bounded by `capacity` bytes in flight; a writer blocks when it is full.
///
/// One writer thread and one reader thread. The bytes live in one ring buffer allocated on first
/// use, and each side copies outside the lock into the part of the ring the other side does not
/// touch. A waiting side is woken only once a useful amount is there (what the reader asked for,
/// up to kWakeBytes; room for what the writer has, up to kWakeBytes): an HTTP body arrives in
/// pieces of a few KiB, and waking the other thread for each piece cost more than the copying.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <span>

#include "base/bytes.hpp"
#include "ipfs/byte_stream.hpp"

namespace dossier::ipfs {

class BytePipe final : public ByteSource {
public:
    /// A waiting reader or writer is woken once this much can move (or the stream ends).
    static constexpr std::size_t kWakeBytes = 256 * 1024;

    explicit BytePipe(std::size_t capacity = 4u << 20) : capacity_(capacity == 0 ? 1 : capacity) {}

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
    std::unique_ptr<std::uint8_t[]> ring_;  ///< allocated by the first write, not zeroed
    std::size_t head_ = 0;                  ///< ring offset of the oldest buffered byte
    std::mutex mutex_;
    std::condition_variable readable_, writable_;
    std::size_t buffered_ = 0;
    std::size_t reader_wants_ = 0;  ///< a reader waits for this many bytes (0: none waits)
    std::size_t writer_wants_ = 0;  ///< a writer waits for this much room (0: none waits)
    bool closed_ = false;
    bool abandoned_ = false;
    std::exception_ptr error_;
};

}  // namespace dossier::ipfs
