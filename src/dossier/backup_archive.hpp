#pragma once
/// The container format of `dossier backup`: a stream of named entries, each with its SHA-256,
/// a manifest listing every entry, and a final digest over everything before it.
///
///   archive  = magic entry* manifest-entry trailer
///   magic    = "DOSSIER-BACKUP/1\n"                      (17 bytes)
///   entry    = 'E' u16 name-length name chunk* u32(0) sha256(content)
///   chunk    = u32 length (1 .. 1 MiB) bytes
///   trailer  = 'Z' sha256(every byte from the magic through the 'Z')
///
/// Integers are big-endian. Content is written in chunks so that a writer never needs a file's
/// size in advance (a journal may grow while it is copied) and a reader never holds more than one
/// chunk (RSS stays bounded whatever the archive's size). The last entry is always named
/// kManifestEntry: a JSON document {"format":1, "created":..., "entries":[{"name","size","sha256"}],
/// ...} that must list exactly the entries before it, in order. docs/operations.md describes the
/// format for people.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "base/error.hpp"
#include "base/unique_fd.hpp"
#include "ipfs/sha256.hpp"

namespace dossier::core {

inline constexpr std::string_view kBackupMagic = "DOSSIER-BACKUP/1\n";
inline constexpr std::string_view kManifestEntry = "backup-manifest.json";
inline constexpr std::size_t kMaxBackupChunk = 1 << 20;
inline constexpr std::size_t kMaxEntryName = 4096;

/// One entry as the manifest lists it.
struct BackupEntryInfo {
    std::string name;
    std::uint64_t size = 0;
    Bytes32 sha256{};
};

/// Writes an archive to a file descriptor, hashing as it goes.
class BackupWriter {
public:
    /// Writes the magic to `fd` (owned by the caller, kept open).
    explicit BackupWriter(int fd);

    /// Starts an entry; then content(), then end_entry().
    void begin_entry(std::string_view name);
    void content(ByteView bytes);
    const BackupEntryInfo& end_entry();

    /// Copies the regular file `path` into an entry named `name`, reading at most one chunk at a
    /// time; `on_bytes(n)` after each chunk. Returns false (and writes nothing) if the file no
    /// longer exists when it is opened (a block collected while the backup runs).
    bool add_file(std::string_view name, const std::filesystem::path& path,
                  const std::function<void(std::uint64_t)>& on_bytes = {});

    /// Writes the manifest entry (listing every entry so far plus `extra` fields) and the
    /// trailer; returns the archive's final digest.
    Bytes32 finish(const std::string& manifest_json_without_entries);

    [[nodiscard]] const std::vector<BackupEntryInfo>& entries() const noexcept { return entries_; }

private:
    void write(ByteView bytes);
    void write_chunk(ByteView bytes);

    int fd_;
    ipfs::Sha256 archive_hash_;
    ipfs::Sha256 entry_hash_;
    BackupEntryInfo current_;
    bool in_entry_ = false;
    Bytes buffer_;  ///< content not yet written as a chunk
    std::vector<BackupEntryInfo> entries_;
};

/// What reading an archive found (the manifest's own fields included).
struct BackupContents {
    std::vector<BackupEntryInfo> entries;  ///< without the manifest entry
    std::string manifest_json;             ///< the manifest entry as written
    Bytes32 digest{};                      ///< the trailer's digest (checked)
    std::uint64_t archive_bytes = 0;
};

/// Receives an entry's content: begin(name) returns whether it wants the bytes; chunk(bytes) for
/// each chunk; end(info) once the entry's digest was checked (not called if it did not match).
struct BackupSink {
    std::function<bool(const std::string& name)> begin;
    std::function<void(ByteView bytes)> chunk;
    std::function<void(const BackupEntryInfo& info)> end;
};

/// Reads the whole archive at `path`, checking every entry's digest, the manifest against the
/// entries and the final digest. Throws Error(tampered) naming the damaged entry (or the byte
/// offset where the framing breaks), Error(io) if the file cannot be read, Error(invalid_input)
/// if it is not a Dossier backup. `on_bytes(done, total)` reports archive bytes read.
BackupContents read_backup(const std::filesystem::path& path, const BackupSink& sink = {},
                           const std::function<void(std::uint64_t done, std::uint64_t total)>& on_bytes = {});

}  // namespace dossier::core
