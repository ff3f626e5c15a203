#include "base/atomic_file.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>

namespace dossier {
namespace fs = std::filesystem;

namespace {
[[noreturn]] void fail(const std::string& what, const fs::path& p) {
    throw FileError(what + " '" + p.string() + "': " + std::strerror(errno));
}

void write_all(int fd, ByteView data, const fs::path& p) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot write", p);
        }
        done += static_cast<std::size_t>(n);
    }
}
}  // namespace

void fsync_directory(const fs::path& dir) {
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail("cannot open directory", dir);
    if (::fsync(fd) != 0) {
        ::close(fd);
        fail("cannot fsync directory", dir);
    }
    ::close(fd);
}

void write_file_atomic(const fs::path& path, ByteView data, unsigned mode, Overwrite overwrite) {
    const fs::path dir = path.parent_path();
    std::random_device rd;
    const fs::path tmp = path.string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rd());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, static_cast<mode_t>(mode));
    if (fd < 0) fail("cannot create", tmp);
    try {
        write_all(fd, data, tmp);
        if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) fail("cannot chmod", tmp);  // umask-proof
        if (::fsync(fd) != 0) fail("cannot fsync", tmp);
    } catch (...) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    ::close(fd);
    if (overwrite == Overwrite::forbid) {
        // RENAME_NOREPLACE (or link() where the file system lacks it) fails with EEXIST if the
        // target exists: there is no window in which two writers both "win".
        int err = ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0 ? 0 : errno;
        if (err == EINVAL || err == ENOSYS) err = ::link(tmp.c_str(), path.c_str()) == 0 ? 0 : errno;
        ::unlink(tmp.c_str());  // after a successful rename this name is already gone
        if (err == EEXIST)
            throw FileError(ErrorCode::already_exists, "refusing to overwrite existing file '" + path.string() + "'");
        if (err != 0) {
            errno = err;
            fail("cannot create", path);
        }
    } else if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int saved = errno;
        ::unlink(tmp.c_str());
        errno = saved;
        fail("cannot replace", path);
    }
    fsync_directory(dir);
}

Bytes read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw FileError("cannot open '" + path.string() + "': " + std::strerror(errno));
    Bytes out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw FileError("cannot read '" + path.string() + "'");
    return out;
}

}  // namespace dossier
