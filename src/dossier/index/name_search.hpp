#pragma once
/// Finding a patient by what a doctor types: case- and accent-insensitive prefix matching of
/// every query word against a patient's given and family names, birth date, address and label,
/// ranked. Pure functions over text held in memory; the names never reach the index file.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::index {

/// Lower-case, with the accents of Latin letters removed ("Zoë Ångström" -> "zoe angstrom";
/// "ß" -> "ss", "Æ" -> "ae"); characters outside Latin-1 and Latin Extended-A stay as they are.
[[nodiscard]] std::string fold(std::string_view utf8);

/// What one patient can be found by.
struct SearchKey {
    std::vector<std::string> names;  ///< given names and family name (as written)
    std::string birth_date;          ///< YYYY-MM-DD or ""
    std::string address;             ///< "0x..." hex
    std::string label;               ///< account label or ""
};

/// Folded, split keys, made once per patient (the search runs over these).
struct PreparedKey {
    std::vector<std::string> words;  ///< folded name and label words
    std::string birth_date, address;  ///< address: lower-case hex without 0x
};
[[nodiscard]] PreparedKey prepare(const SearchKey& key);

struct SearchHit {
    std::size_t index = 0;  ///< into the keys searched
    int score = 0;
};

/// The keys every query word matches, best first (whole-word matches before prefixes, names
/// before birth dates and addresses), at most `limit`. A blank query matches nothing.
[[nodiscard]] std::vector<SearchHit> search(const std::vector<PreparedKey>& keys, std::string_view query,
                                            std::size_t limit);

}  // namespace dossier::index
