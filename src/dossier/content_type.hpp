#pragma once
/// The MIME type of a file from what it holds (libmagic), not from its name: a scan saved as
/// "report" or a PDF named ".txt" is described by its bytes. Used by attach_file() when the caller
/// does not say; every face (CLI, desktop) gets the same answer.
#include <filesystem>
#include <string>

namespace dossier::core {

/// The type a file is stored under when nothing better is known.
inline constexpr const char* kUnknownContentType = "application/octet-stream";

/// The MIME type of the file at `path` ("application/pdf", "image/png", "text/plain", ...), as
/// libmagic's database sees its content; symbolic links are followed. kUnknownContentType when
/// libmagic cannot tell, the file is empty or unreadable, or the database is missing: never throws.
/// Thread-safe (each call has its own libmagic handle).
[[nodiscard]] std::string detect_content_type(const std::filesystem::path& path);

}  // namespace dossier::core
