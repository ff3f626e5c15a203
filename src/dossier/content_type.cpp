#include "dossier/content_type.hpp"

#include <magic.h>

#include <memory>
#include <string_view>

namespace dossier::core {

std::string detect_content_type(const std::filesystem::path& path) {
    // A libmagic handle is not safe to share between threads; one per call costs loading the
    // compiled database (about a millisecond), small next to encrypting and storing a file.
    const std::unique_ptr<magic_set, decltype(&magic_close)> magic(magic_open(MAGIC_MIME_TYPE | MAGIC_SYMLINK | MAGIC_ERROR),
                                                                   &magic_close);
    if (!magic || magic_load(magic.get(), nullptr) != 0) return kUnknownContentType;
    const char* type = magic_file(magic.get(), path.c_str());
    if (type == nullptr) return kUnknownContentType;
    const std::string_view found(type);
    // libmagic's names for "nothing to go by" and for things that are not regular files.
    if (found.empty() || found.ends_with("/x-empty") || found.starts_with("inode/") || found.find('/') == found.npos)
        return kUnknownContentType;
    return std::string(found);
}

}  // namespace dossier::core
