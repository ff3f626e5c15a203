#pragma once
/// Crash-safe small-file writes: after a crash the file holds either its old or its new content,
/// never a mix. Used for manifests, pin sets, keystores, configuration.
#include <filesystem>
#include <string_view>

#include "base/bytes.hpp"
#include "base/error.hpp"

namespace dossier {

/// A local file could not be read or written (io), or exists where it may not (already_exists).
class FileError : public Error {
public:
    explicit FileError(const std::string& message) : Error(ErrorCode::io, message) {}
    FileError(ErrorCode code, const std::string& message) : Error(code, message) {}
};

enum class Overwrite { allow, forbid };

/// Writes `data` to a temporary file beside `path` (mode `mode`), fsyncs it, renames it over
/// `path`, and fsyncs the directory. With Overwrite::forbid an existing `path` is an error
/// (checked atomically with link(2), so two writers cannot both succeed).
void write_file_atomic(const std::filesystem::path& path, ByteView data, unsigned mode = 0644,
                       Overwrite overwrite = Overwrite::allow);

/// Reads a whole file; throws FileError naming the path if it cannot be read.
[[nodiscard]] Bytes read_file(const std::filesystem::path& path);

/// fsyncs a directory so that a rename or create inside it is durable.
void fsync_directory(const std::filesystem::path& dir);

}  // namespace dossier
