#include "dossier/backup_archive.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

#include "base/hex.hpp"

namespace dossier::core {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::size_t kWriteChunk = 256 * 1024;

[[noreturn]] void io_error(const std::string& what, const fs::path& path) {
    throw Error(ErrorCode::io, what + " '" + path.string() + "': " + std::strerror(errno));
}

void put_be(Bytes& out, std::uint64_t value, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

std::uint64_t get_be(ByteView in) {
    std::uint64_t v = 0;
    for (auto b : in) v = (v << 8) | b;
    return v;
}

/// Sequential reads of the archive with a running hash and offset.
class Reader {
public:
    Reader(const fs::path& path) : path_(path) {
        fd_ = UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        if (fd_.get() < 0) io_error("cannot open the backup", path);
        struct stat st {};
        if (::fstat(fd_.get(), &st) != 0) io_error("cannot read", path);
        size_ = static_cast<std::uint64_t>(st.st_size);
    }

    /// Reads exactly out.size() bytes; false at a clean end of file before any byte.
    void read(std::span<std::uint8_t> out, const std::string& where, bool hash = true) {
        std::size_t got = 0;
        while (got < out.size()) {
            const ssize_t n = ::read(fd_.get(), out.data() + got, out.size() - got);
            if (n < 0) {
                if (errno == EINTR) continue;
                io_error("cannot read", path_);
            }
            if (n == 0) damaged("the archive ends early, " + where);
            got += static_cast<std::size_t>(n);
        }
        if (hash) hash_.update(out);
        offset_ += out.size();
    }

    std::uint64_t read_int(int bytes, const std::string& where) {
        std::uint8_t b[8];
        read({b, static_cast<std::size_t>(bytes)}, where);
        return get_be({b, static_cast<std::size_t>(bytes)});
    }

    bool at_end() {
        std::uint8_t b;
        const ssize_t n = ::pread(fd_.get(), &b, 1, static_cast<off_t>(offset_));
        return n == 0;
    }

    [[noreturn]] void damaged(const std::string& what) const {
        throw Error(ErrorCode::tampered,
                    "the backup '" + path_.string() + "' is damaged: " + what + " (at byte " + std::to_string(offset_) + ")");
    }

    Bytes32 digest() { return hash_.finish(); }
    [[nodiscard]] std::uint64_t offset() const { return offset_; }
    [[nodiscard]] std::uint64_t size() const { return size_; }

private:
    fs::path path_;
    UniqueFd fd_;
    ipfs::Sha256 hash_;
    std::uint64_t offset_ = 0;
    std::uint64_t size_ = 0;
};

std::vector<BackupEntryInfo> manifest_entries(const std::string& text, Reader& reader) {
    std::vector<BackupEntryInfo> out;
    try {
        const json j = json::parse(text);
        if (j.at("format").get<int>() != 1) reader.damaged("the manifest has a format this version does not read");
        for (const auto& e : j.at("entries"))
            out.push_back({e.at("name").get<std::string>(), e.at("size").get<std::uint64_t>(),
                           from_hex_fixed<32>(e.at("sha256").get<std::string>())});
    } catch (const json::exception& e) {
        reader.damaged(std::string("the manifest is not readable: ") + e.what());
    } catch (const DecodeError& e) {
        reader.damaged(std::string("the manifest is not readable: ") + e.what());
    }
    return out;
}

}  // namespace

BackupWriter::BackupWriter(int fd) : fd_(fd) {
    buffer_.reserve(kWriteChunk);
    write(as_bytes(kBackupMagic));
}

void BackupWriter::write(ByteView bytes) {
    archive_hash_.update(bytes);
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(ErrorCode::io, std::string("cannot write the backup: ") + std::strerror(errno));
        }
        done += static_cast<std::size_t>(n);
    }
}

void BackupWriter::write_chunk(ByteView bytes) {
    if (bytes.empty()) return;
    Bytes head;
    put_be(head, bytes.size(), 4);
    write(head);
    write(bytes);
}

void BackupWriter::begin_entry(std::string_view name) {
    if (in_entry_) throw Error("backup entry '" + current_.name + "' was not ended");
    if (name.empty() || name.size() > kMaxEntryName) throw Error("invalid backup entry name");
    Bytes head{'E'};
    put_be(head, name.size(), 2);
    head.insert(head.end(), name.begin(), name.end());
    write(head);
    current_ = BackupEntryInfo{std::string(name), 0, {}};
    in_entry_ = true;
}

void BackupWriter::content(ByteView bytes) {
    entry_hash_.update(bytes);
    current_.size += bytes.size();
    while (!bytes.empty()) {
        const std::size_t take = std::min(bytes.size(), kWriteChunk - buffer_.size());
        buffer_.insert(buffer_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(take));
        bytes = bytes.subspan(take);
        if (buffer_.size() == kWriteChunk) {
            write_chunk(buffer_);
            buffer_.clear();
        }
    }
}

const BackupEntryInfo& BackupWriter::end_entry() {
    write_chunk(buffer_);
    buffer_.clear();
    current_.sha256 = entry_hash_.finish();
    Bytes tail;
    put_be(tail, 0, 4);
    tail.insert(tail.end(), current_.sha256.begin(), current_.sha256.end());
    write(tail);
    in_entry_ = false;
    entries_.push_back(current_);
    return entries_.back();
}

bool BackupWriter::add_file(std::string_view name, const fs::path& path, const std::function<void(std::uint64_t)>& on_bytes) {
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT) return false;
        io_error("cannot read", path);
    }
    begin_entry(name);
    Bytes chunk(kWriteChunk);
    for (;;) {
        const ssize_t n = ::read(fd.get(), chunk.data(), chunk.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            io_error("cannot read", path);
        }
        if (n == 0) break;
        content({chunk.data(), static_cast<std::size_t>(n)});
        if (on_bytes) on_bytes(static_cast<std::uint64_t>(n));
    }
    end_entry();
    return true;
}

Bytes32 BackupWriter::finish(const std::string& manifest_json) {
    json j = json::parse(manifest_json);
    json list = json::array();
    for (const auto& e : entries_) list.push_back({{"name", e.name}, {"size", e.size}, {"sha256", to_hex_raw(e.sha256)}});
    j["format"] = 1;
    j["entries"] = std::move(list);
    begin_entry(kManifestEntry);
    content(as_bytes(j.dump(1)));
    end_entry();
    entries_.pop_back();
    write(Bytes{'Z'});
    // The final digest covers every byte written so far, the 'Z' included.
    const Bytes32 digest = archive_hash_.finish();
    const ssize_t n = ::write(fd_, digest.data(), digest.size());
    if (n != static_cast<ssize_t>(digest.size()))
        throw Error(ErrorCode::io, std::string("cannot write the backup: ") + std::strerror(errno));
    return digest;
}

BackupContents read_backup(const fs::path& path, const BackupSink& sink,
                           const std::function<void(std::uint64_t, std::uint64_t)>& on_bytes) {
    Reader r(path);
    BackupContents out;
    {
        Bytes magic(kBackupMagic.size());
        std::size_t have = 0;
        if (r.size() < magic.size())
            throw Error(ErrorCode::invalid_input, "'" + path.string() + "' is not a Dossier backup");
        r.read(magic, "in its header");
        have = magic.size();
        if (std::string_view(reinterpret_cast<const char*>(magic.data()), have) != kBackupMagic)
            throw Error(ErrorCode::invalid_input, "'" + path.string() + "' is not a Dossier backup (or its header is damaged)");
    }
    Bytes chunk;
    std::string last_name;
    bool manifest_seen = false;
    for (;;) {
        std::uint8_t tag = 0;
        const std::string after = last_name.empty() ? "after the header" : "after entry '" + last_name + "'";
        r.read({&tag, 1}, after);
        if (tag == 'Z') break;
        if (tag != 'E') r.damaged("an entry was expected " + after);
        if (manifest_seen) r.damaged("entries follow the manifest");
        const auto name_size = r.read_int(2, after);
        if (name_size == 0 || name_size > kMaxEntryName) r.damaged("an entry name is malformed " + after);
        std::string name(name_size, '\0');
        r.read({reinterpret_cast<std::uint8_t*>(name.data()), name.size()}, after);
        const std::string where = "in entry '" + name + "'";
        const bool is_manifest = name == kManifestEntry;
        const bool wanted = !is_manifest && sink.begin && sink.begin(name);
        ipfs::Sha256 hash;
        BackupEntryInfo info{name, 0, {}};
        std::string manifest_text;
        for (;;) {
            const auto size = r.read_int(4, where);
            if (size == 0) break;
            if (size > kMaxBackupChunk) r.damaged("a chunk length is impossible " + where);
            chunk.resize(size);
            r.read(chunk, where);
            hash.update(chunk);
            info.size += size;
            if (is_manifest) {
                if (manifest_text.size() + size > 64u * kMaxBackupChunk) r.damaged("the manifest is too large");
                manifest_text.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
            } else if (wanted && sink.chunk) {
                sink.chunk(chunk);
            }
            if (on_bytes) on_bytes(r.offset(), r.size());
        }
        info.sha256 = hash.finish();
        Bytes32 stored{};
        r.read(stored, where);
        if (stored != info.sha256)
            throw Error(ErrorCode::tampered, "the backup '" + path.string() + "' is damaged: entry '" + name +
                                                 "' does not match its digest (its content was altered)");
        if (is_manifest) {
            manifest_seen = true;
            out.manifest_json = std::move(manifest_text);
        } else {
            out.entries.push_back(info);
            if (wanted && sink.end) sink.end(info);
        }
        last_name = name;
    }
    if (!manifest_seen) r.damaged("the manifest entry is missing");
    const Bytes32 computed = r.digest();
    Bytes32 stored{};
    r.read(stored, "in the final digest", false);
    if (!r.at_end()) r.damaged("bytes follow the final digest");
    if (stored != computed)
        throw Error(ErrorCode::tampered,
                    "the backup '" + path.string() + "' is damaged: its final digest does not match its content");
    const auto listed = manifest_entries(out.manifest_json, r);
    if (listed.size() != out.entries.size())
        r.damaged("the manifest lists " + std::to_string(listed.size()) + " entries, the archive holds " +
                  std::to_string(out.entries.size()));
    for (std::size_t i = 0; i < listed.size(); ++i) {
        const auto& a = listed[i];
        const auto& b = out.entries[i];
        if (a.name != b.name || a.size != b.size || a.sha256 != b.sha256)
            throw Error(ErrorCode::tampered, "the backup '" + path.string() + "' is damaged: entry '" + b.name +
                                                 "' is not the one its manifest lists");
    }
    out.digest = stored;
    out.archive_bytes = r.offset();
    return out;
}

}  // namespace dossier::core
