#include "dossier/import_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/atomic_file.hpp"
#include "base/error.hpp"

namespace dossier::core {

namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
    throw Error(ErrorCode::io, "cannot " + what + " the import journal " + file.string() + ": " + std::strerror(errno));
}

}  // namespace

ImportJournal::ImportJournal(std::filesystem::path file) : file_(std::move(file)) {
    std::error_code ec;
    std::filesystem::create_directories(file_.parent_path(), ec);
    std::string text;
    {
        std::ifstream in(file_, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        text = ss.str();
    }
    // A crash mid-append leaves the last line without its newline: it announced nothing that
    // started, so it is cut off before anything is appended after it.
    const std::size_t keep = text.empty() || text.back() == '\n' ? text.size() : text.rfind('\n') + 1;
    if (keep != text.size()) {
        text.resize(keep);  // rfind found none: npos + 1 wraps to 0
        std::filesystem::resize_file(file_, text.size(), ec);
        if (ec) throw Error(ErrorCode::io, "cannot repair the import journal " + file_.string() + ": " + ec.message());
    }
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        apply(text.substr(start, end - start));
        start = end + 1;
    }
    fd_ = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd_ < 0) fail(file_, "open");
    fsync_directory(file_.parent_path());
}

ImportJournal::~ImportJournal() {
    if (fd_ >= 0) ::close(fd_);
}

void ImportJournal::apply(const std::string& line) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return;
    const std::string patient = j.value("p", std::string()), digest = j.value("d", std::string());
    const std::string state = j.value("s", std::string());
    Entry& e = entries_[{patient, digest}];
    if (state == "sending") {
        e.state = Entry::State::sending;
        e.before = j.value("before", 0u);
    } else if (state == "added") {
        e.state = Entry::State::added;
        e.record_id = j.value("record", 0u);
    } else if (state == "file") {
        e.files.insert(j.value("name", std::string()));
    }
}

void ImportJournal::append(const std::string& lines) {
    std::size_t done = 0;
    while (done < lines.size()) {
        const ssize_t n = ::write(fd_, lines.data() + done, lines.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail(file_, "append to");
        done += static_cast<std::size_t>(n);
    }
    if (::fdatasync(fd_) != 0) fail(file_, "sync");
    std::size_t start = 0;
    while (start < lines.size()) {
        const std::size_t end = lines.find('\n', start);
        apply(lines.substr(start, end - start));
        start = end + 1;
    }
}

const ImportJournal::Entry* ImportJournal::find(const std::string& patient, const std::string& digest) const {
    const auto it = entries_.find({patient, digest});
    return it == entries_.end() ? nullptr : &it->second;
}

std::map<std::string, ImportJournal::Entry> ImportJournal::in_doubt(const std::string& patient) const {
    std::map<std::string, Entry> out;
    for (const auto& [key, e] : entries_)
        if (key.first == patient && e.state == Entry::State::sending) out.emplace(key.second, e);
    return out;
}

void ImportJournal::sending(const std::string& patient, const std::vector<std::string>& digests, std::uint32_t before) {
    std::string lines;
    for (const auto& d : digests)
        lines += nlohmann::json{{"p", patient}, {"d", d}, {"s", "sending"}, {"before", before}}.dump() + "\n";
    if (!lines.empty()) append(lines);
}

void ImportJournal::added(const std::string& patient, const std::vector<std::pair<std::string, std::uint32_t>>& records) {
    std::string lines;
    for (const auto& [d, id] : records)
        lines += nlohmann::json{{"p", patient}, {"d", d}, {"s", "added"}, {"record", id}}.dump() + "\n";
    if (!lines.empty()) append(lines);
}

void ImportJournal::file_attached(const std::string& patient, const std::string& digest, const std::string& name) {
    append(nlohmann::json{{"p", patient}, {"d", digest}, {"s", "file"}, {"name", name}}.dump() + "\n");
}

}  // namespace dossier::core
