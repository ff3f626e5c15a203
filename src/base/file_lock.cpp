#include "base/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/error.hpp"

namespace dossier {

FileLock::FileLock(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) throw Error(ErrorCode::io, "cannot open '" + path.string() + "': " + std::strerror(errno));
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno != EINTR) {
            const int e = errno;
            ::close(fd_);
            throw Error(ErrorCode::io, "cannot lock '" + path.string() + "': " + std::strerror(e));
        }
    }
}

FileLock::~FileLock() { ::close(fd_); }  // closing the descriptor releases the lock

}  // namespace dossier
