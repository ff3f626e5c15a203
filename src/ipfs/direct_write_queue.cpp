#include "ipfs/direct_write_queue.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>

#include "ipfs/errors.hpp"

namespace dossier::ipfs {
namespace {

[[noreturn]] void write_error(const std::filesystem::path& path) {
    throw IpfsError(ErrorCode::io, "cannot write " + path.string() + ": " + std::strerror(errno));
}

void clear_direct(int fd, const std::filesystem::path& path) {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_DIRECT) != 0) write_error(path);
}

}  // namespace

void DirectWriteQueue::FreeDeleter::operator()(std::uint8_t* p) const noexcept { std::free(p); }

DirectWriteQueue::DirectWriteQueue(std::size_t threads, std::size_t buffers, std::size_t max_size)
    : max_size_(max_size) {
    for (std::size_t i = 0; i < buffers; ++i) {
        Buffer b(static_cast<std::uint8_t*>(std::aligned_alloc(kAlign, (max_size + kAlign - 1) / kAlign * kAlign)));
        if (!b) throw std::bad_alloc();
        free_.push_back(std::move(b));
    }
    for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

DirectWriteQueue::~DirectWriteQueue() {
    {
        std::lock_guard lock(m_);
        stopping_ = true;
    }
    cv_job_.notify_all();
    for (auto& t : threads_) t.join();
}

bool DirectWriteQueue::eligible(std::size_t size) const noexcept {
    std::lock_guard lock(m_);
    return !direct_refused_ && size > 0 && size % kAlign == 0 && size <= max_size_;
}

void DirectWriteQueue::refuse() noexcept {
    std::lock_guard lock(m_);
    direct_refused_ = true;
}

void DirectWriteQueue::raise_locked() {
    if (error_) std::rethrow_exception(error_);  // sticky: the import has failed
}

void DirectWriteQueue::submit(int fd, ByteView data, std::filesystem::path path) {
    std::unique_lock lock(m_);
    cv_free_.wait(lock, [&] { return !free_.empty() || error_; });
    if (error_) {
        ::close(fd);
        raise_locked();
    }
    Buffer b = std::move(free_.back());
    free_.pop_back();
    lock.unlock();
    std::memcpy(b.get(), data.data(), data.size());  // outside the lock: workers keep going
    lock.lock();
    jobs_.push_back(Job{fd, std::move(b), data.size(), std::move(path)});
    lock.unlock();
    cv_job_.notify_one();
}

void DirectWriteQueue::drain() {
    std::unique_lock lock(m_);
    cv_idle_.wait(lock, [&] { return jobs_.empty() && busy_ == 0; });
    raise_locked();
}

void DirectWriteQueue::work() {
    for (;;) {
        std::unique_lock lock(m_);
        cv_job_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopping, and nothing left to write
        Job job = std::move(jobs_.front());
        jobs_.pop_front();
        ++busy_;
        lock.unlock();
        std::exception_ptr failed;
        try {
            write_job(job);
        } catch (...) {
            failed = std::current_exception();
        }
        ::close(job.fd);
        lock.lock();
        if (failed && !error_) error_ = failed;
        free_.push_back(std::move(job.buffer));
        --busy_;
        const bool idle = jobs_.empty() && busy_ == 0;
        lock.unlock();
        cv_free_.notify_one();
        if (idle) cv_idle_.notify_all();
    }
}

void DirectWriteQueue::write_job(Job& job) {
    const std::uint8_t* data = job.buffer.get();
    bool direct = true;
    for (std::size_t done = 0; done < job.size;) {
        const ssize_t n = ::pwrite(job.fd, data + done, job.size - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EINVAL && direct && done == 0) {
            // The file system accepted O_DIRECT at open but refuses it for writes: write this
            // file through the page cache and stop offering direct I/O.
            clear_direct(job.fd, job.path);
            direct = false;
            refuse();
            continue;
        }
        if (n <= 0) write_error(job.path);
        done += static_cast<std::size_t>(n);
        // A short direct write that ends off a device block: finish through the page cache.
        if (direct && done < job.size && done % kAlign != 0) {
            clear_direct(job.fd, job.path);
            direct = false;
        }
    }
    // Start writeback of anything that went through the cache (the caller's syncfs makes it
    // durable either way).
    if (!direct) (void)::sync_file_range(job.fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}

}  // namespace dossier::ipfs
