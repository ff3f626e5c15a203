#include "ipfs/pipe.hpp"

#include <algorithm>
#include <cstring>

namespace dossier::ipfs {

bool BytePipe::write(ByteView data) {
    std::size_t done = 0;
    while (done < data.size()) {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return abandoned_ || buffered_ < capacity_; });
        if (abandoned_) return false;
        // Never more than what fits, so that one huge write cannot exceed the bound.
        const std::size_t n = std::min(data.size() - done, capacity_ - buffered_);
        chunks_.emplace_back(data.begin() + static_cast<std::ptrdiff_t>(done),
                             data.begin() + static_cast<std::ptrdiff_t>(done + n));
        buffered_ += n;
        done += n;
        cv_.notify_all();
    }
    return true;
}

void BytePipe::close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    cv_.notify_all();
}

void BytePipe::fail(std::exception_ptr error) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::move(error);
    closed_ = true;
    cv_.notify_all();
}

void BytePipe::abandon() {
    std::lock_guard lock(mutex_);
    abandoned_ = true;
    chunks_.clear();
    buffered_ = 0;
    front_pos_ = 0;
    cv_.notify_all();
}

std::size_t BytePipe::read(std::span<std::uint8_t> buf) {
    if (buf.empty()) return 0;
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return buffered_ > 0 || closed_; });
    if (buffered_ == 0) {
        if (error_) std::rethrow_exception(error_);
        return 0;
    }
    std::size_t done = 0;
    while (done < buf.size() && !chunks_.empty()) {
        Bytes& front = chunks_.front();
        const std::size_t n = std::min(buf.size() - done, front.size() - front_pos_);
        std::memcpy(buf.data() + done, front.data() + front_pos_, n);
        done += n;
        front_pos_ += n;
        if (front_pos_ == front.size()) {
            chunks_.pop_front();
            front_pos_ = 0;
        }
    }
    buffered_ -= done;
    cv_.notify_all();
    return done;
}

}  // namespace dossier::ipfs
