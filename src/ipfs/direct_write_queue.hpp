#pragma once
// Whole-file writes with direct I/O on a few worker threads, for the blockstore's batching writer.
//
// Why direct I/O: a buffered write copies every byte into page-cache pages that must first be
// allocated and later written back, and that cost swings with the state of memory (up to 3x on a
// VM whose free pages are handed back to the host); direct I/O moves the bytes from an aligned
// buffer straight to the device at a steady rate. Why threads: a direct write returns only when
// the device has the data, so one thread would leave the device idle between blocks; a few
// writes in flight keep it busy while the caller hashes the next chunks.
//
// Durability is not this class's business: a completed direct write may still sit in the
// device's cache. The caller drains the queue and then flushes (syncfs) before naming the files.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "base/bytes.hpp"

namespace dossier::ipfs {

class DirectWriteQueue {
public:
    /// Sizes that are a multiple of this are eligible for direct I/O; larger ones than max_size
    /// are not (the caller writes those through the page cache).
    static constexpr std::size_t kAlign = 4096;

    DirectWriteQueue(std::size_t threads, std::size_t buffers, std::size_t max_size);
    ~DirectWriteQueue();  ///< waits for the writes in flight; closes their files
    DirectWriteQueue(const DirectWriteQueue&) = delete;
    DirectWriteQueue& operator=(const DirectWriteQueue&) = delete;

    /// True if `size` bytes can go through submit() (and the file system has not refused
    /// direct I/O so far): the caller then opens the file with O_DIRECT.
    [[nodiscard]] bool eligible(std::size_t size) const noexcept;
    /// The file system refused direct I/O (e.g. at open): eligible() is false from now on.
    void refuse() noexcept;

    /// Takes ownership of `fd` (a new, empty file opened with O_DIRECT), copies `data` into a
    /// free aligned buffer (waiting for one) and returns; a worker writes it at offset 0 and
    /// closes the file. If the file system refuses direct I/O, the worker writes through the
    /// page cache instead and later eligible() calls return false. Rethrows an earlier write's
    /// error.
    void submit(int fd, ByteView data, std::filesystem::path path);

    /// Waits until every submitted write has completed and its file is closed; rethrows the
    /// first error of any of them.
    void drain();

private:
    struct FreeDeleter {
        void operator()(std::uint8_t* p) const noexcept;
    };
    using Buffer = std::unique_ptr<std::uint8_t, FreeDeleter>;
    struct Job {
        int fd;
        Buffer buffer;
        std::size_t size;
        std::filesystem::path path;
    };

    void work();
    void write_job(Job& job);
    void raise_locked();

    const std::size_t max_size_;
    mutable std::mutex m_;
    std::condition_variable cv_job_;
    std::condition_variable cv_free_;
    std::condition_variable cv_idle_;
    std::deque<Job> jobs_;
    std::vector<Buffer> free_;
    std::size_t busy_ = 0;  ///< jobs taken by a worker and not finished
    bool stopping_ = false;
    bool direct_refused_ = false;
    std::exception_ptr error_;
    std::vector<std::thread> threads_;
};

}  // namespace dossier::ipfs
