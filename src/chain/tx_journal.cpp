#include "chain/tx_journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "base/atomic_file.hpp"
#include "base/hex.hpp"

namespace dossier::chain {
using nlohmann::json;

namespace {
std::string line_of(const JournalEntry& e) {
    const json j = {{"hash", to_hex(e.hash)}, {"from", e.from.to_hex()}, {"nonce", e.nonce}, {"raw", to_hex(e.raw)}};
    return j.dump() + "\n";
}

JournalEntry parse_line(const std::string& line) {
    const json j = json::parse(line);
    JournalEntry e;
    e.hash = from_hex_fixed<32>(j.at("hash").get<std::string>());
    e.from = eth::Address::from_hex(j.at("from").get<std::string>());
    e.nonce = j.at("nonce").get<std::uint64_t>();
    e.raw = from_hex(j.at("raw").get<std::string>());
    return e;
}

int open_append(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        throw Error(ErrorCode::io, "cannot open transaction journal '" + file.string() + "': " + std::strerror(errno));
    return fd;
}
}  // namespace

TxJournal::TxJournal(std::filesystem::path file) : file_(std::move(file)) {
    std::filesystem::create_directories(file_.parent_path());
    // Drop a torn tail left by a crash during append, so the next append starts on a fresh line.
    if (std::filesystem::exists(file_)) {
        const auto good = entries();
        const Bytes content = read_file(file_);
        std::string expected;
        for (const auto& e : good) expected += line_of(e);
        if (as_chars(content) != expected) rewrite(good);
    }
    fd_ = open_append(file_);
    fsync_directory(file_.parent_path());
}

TxJournal::~TxJournal() {
    if (fd_ >= 0) ::close(fd_);
}

void TxJournal::append(const JournalEntry& entry) {
    const std::string line = line_of(entry);
    std::lock_guard lock(mutex_);
    // Another process (node up/down) may have compacted the journal, which replaces the file by
    // rename: appending to the old, unlinked inode would lose the entry. Follow the path.
    struct stat by_path {}, by_fd {};
    if (::stat(file_.c_str(), &by_path) != 0 || ::fstat(fd_, &by_fd) != 0 || by_path.st_ino != by_fd.st_ino ||
        by_path.st_dev != by_fd.st_dev) {
        ::close(fd_);
        fd_ = open_append(file_);
    }
    std::size_t done = 0;
    while (done < line.size()) {
        const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            throw Error(ErrorCode::io,
                        "cannot append to the transaction journal: " + std::string(std::strerror(errno)));
        done += static_cast<std::size_t>(n);
    }
    if (::fdatasync(fd_) != 0)
        throw Error(ErrorCode::io, "cannot sync the transaction journal: " + std::string(std::strerror(errno)));
}

std::vector<JournalEntry> TxJournal::entries() const {
    std::vector<JournalEntry> out;
    if (!std::filesystem::exists(file_)) return out;
    const Bytes content = read_file(file_);
    const std::string_view text = as_chars(content);
    std::size_t pos = 0, line_no = 0;
    while (pos < text.size()) {
        ++line_no;
        const std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) break;  // torn last line: the append never completed
        const std::string line(text.substr(pos, nl - pos));
        pos = nl + 1;
        try {
            out.push_back(parse_line(line));
        } catch (const std::exception&) {
            throw Error(ErrorCode::io, "transaction journal '" + file_.string() + "' is corrupt at line " +
                                       std::to_string(line_no));
        }
    }
    return out;
}

void TxJournal::rewrite(const std::vector<JournalEntry>& keep) {
    std::string text;
    for (const auto& e : keep) text += line_of(e);
    std::lock_guard lock(mutex_);
    write_file_atomic(file_, as_bytes(text), 0600);
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = open_append(file_);
    }
}

}  // namespace dossier::chain
