#pragma once
/// Someone with the disk alters what the embedded store holds: the tests that prove an altered
/// object is refused (as tampered) change its bytes on disk with these.
#include <cstddef>
#include <filesystem>
#include <set>

namespace dossier::test {

/// Every regular file below `dir`.
[[nodiscard]] std::set<std::filesystem::path> files_under(const std::filesystem::path& dir);

/// Flips one byte of every block file (".data") below `dir` that is not in `before`: the blocks
/// written since. Returns how many it altered.
std::size_t alter_new_blocks(const std::filesystem::path& dir, const std::set<std::filesystem::path>& before);

}  // namespace dossier::test
