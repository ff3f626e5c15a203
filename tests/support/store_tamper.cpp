#include "support/store_tamper.hpp"

#include <fstream>

namespace dossier::test {

std::set<std::filesystem::path> files_under(const std::filesystem::path& dir) {
    std::set<std::filesystem::path> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out.insert(e.path());
    return out;
}

std::size_t alter_new_blocks(const std::filesystem::path& dir, const std::set<std::filesystem::path>& before) {
    std::size_t altered = 0;
    for (const auto& path : files_under(dir)) {
        if (before.count(path) || path.extension() != ".data") continue;
        // Byte 40: inside the sealed object's ciphertext, past any header a reader checks first.
        std::fstream io(path, std::ios::in | std::ios::out | std::ios::binary);
        io.seekg(40);
        char c = 0;
        io.get(c);
        io.seekp(40);
        io.put(static_cast<char>(c ^ 0x5a));
        ++altered;
    }
    return altered;
}

}  // namespace dossier::test
