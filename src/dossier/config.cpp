#include "dossier/config.hpp"

#include <cstdlib>

namespace dossier::core {

std::filesystem::path Config::manifest_path() const {
    if (manifest_file) return *manifest_file;
    // The embedded chain's manifest lives with the node it describes; a remote one beside it.
    return embedded_chain() ? node_dir() / "manifest.json" : data_dir / "remote-manifest.json";
}

std::filesystem::path default_data_dir() {
    if (const char* d = std::getenv("DOSSIER_DATA_DIR"); d && *d) return d;
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return std::filesystem::path(x) / "dossier";
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home && *home ? home : ".") / ".local" / "share" / "dossier";
}

}  // namespace dossier::core
