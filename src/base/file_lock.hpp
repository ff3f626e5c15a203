#pragma once
/// An exclusive advisory lock (flock) on a file, held for the object's lifetime. Construction
/// waits while another process (or another FileLock in this one) holds it. It serializes
/// read-decide-write sequences between processes sharing a data directory on one machine.
#include <filesystem>

namespace dossier {

class FileLock {
public:
    /// Creates the file (and its directory) if needed, then waits for the lock. Throws Error.
    explicit FileLock(const std::filesystem::path& path);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace dossier
