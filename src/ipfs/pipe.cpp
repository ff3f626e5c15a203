#include "ipfs/pipe.hpp"

#include <algorithm>
#include <cstring>

namespace dossier::ipfs {

bool BytePipe::write(ByteView data) {
    std::size_t done = 0;
    std::unique_lock lock(mutex_);
    if (!ring_ && !abandoned_) ring_.reset(new std::uint8_t[capacity_]);  // NOLINT: not zeroed on purpose
    while (done < data.size()) {
        const std::size_t want = std::min({data.size() - done, capacity_, kWakeBytes});
        if (!abandoned_ && capacity_ - buffered_ < want) {
            writer_wants_ = want;
            writable_.wait(lock, [&] { return abandoned_ || capacity_ - buffered_ >= want; });
            writer_wants_ = 0;
        }
        if (abandoned_) return false;
        // The free part of the ring is the writer's alone: copy into it without the lock.
        const std::size_t n = std::min(data.size() - done, capacity_ - buffered_);
        const std::size_t tail = (head_ + buffered_) % capacity_;
        lock.unlock();
        const std::size_t first = std::min(n, capacity_ - tail);
        std::memcpy(ring_.get() + tail, data.data() + done, first);
        std::memcpy(ring_.get(), data.data() + done + first, n - first);
        lock.lock();
        if (abandoned_) return false;
        buffered_ += n;
        done += n;
        if (reader_wants_ != 0 && buffered_ >= reader_wants_) readable_.notify_one();
    }
    return true;
}

void BytePipe::close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    readable_.notify_all();
}

void BytePipe::fail(std::exception_ptr error) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::move(error);
    closed_ = true;
    readable_.notify_all();
}

void BytePipe::abandon() {
    std::lock_guard lock(mutex_);
    abandoned_ = true;
    buffered_ = 0;
    head_ = 0;
    writable_.notify_all();
}

std::size_t BytePipe::read(std::span<std::uint8_t> buf) {
    if (buf.empty()) return 0;
    std::unique_lock lock(mutex_);
    const std::size_t want = std::min({buf.size(), capacity_, kWakeBytes});
    if (buffered_ < want && !closed_ && !abandoned_) {
        reader_wants_ = want;
        readable_.wait(lock, [&] { return buffered_ >= want || closed_ || abandoned_; });
        reader_wants_ = 0;
    }
    if (buffered_ == 0) {
        if (error_) std::rethrow_exception(error_);
        return 0;
    }
    // The buffered part of the ring is the reader's alone: copy out of it without the lock.
    const std::size_t n = std::min(buf.size(), buffered_);
    const std::size_t head = head_;
    lock.unlock();
    const std::size_t first = std::min(n, capacity_ - head);
    std::memcpy(buf.data(), ring_.get() + head, first);
    std::memcpy(buf.data() + first, ring_.get(), n - first);
    lock.lock();
    if (abandoned_) return 0;
    head_ = (head_ + n) % capacity_;
    buffered_ -= n;
    if (writer_wants_ != 0 && capacity_ - buffered_ >= writer_wants_) writable_.notify_one();
    return n;
}

}  // namespace dossier::ipfs
