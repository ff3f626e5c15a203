#include "dossier/index/name_search.hpp"

#include <algorithm>
#include <cstdint>

namespace dossier::index {

namespace {

char32_t decode(std::string_view s, std::size_t& i) {
    const auto b = static_cast<unsigned char>(s[i]);
    const auto cont = [&](std::size_t k) -> char32_t {
        return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) & 0x3f : 0;
    };
    if (b < 0x80) { ++i; return b; }
    if ((b >> 5) == 0x6 && i + 1 < s.size()) { const char32_t c = (char32_t{b & 0x1fu} << 6) | cont(1); i += 2; return c; }
    if ((b >> 4) == 0xe && i + 2 < s.size()) { const char32_t c = (char32_t{b & 0x0fu} << 12) | (cont(1) << 6) | cont(2); i += 3; return c; }
    if ((b >> 3) == 0x1e && i + 3 < s.size()) {
        const char32_t c = (char32_t{b & 0x07u} << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
        i += 4;
        return c;
    }
    ++i;  // a stray byte: kept as is below
    return 0xfffd;
}

/// The folded text of one code point in U+00C0..U+017F, or nullptr if it has none.
const char* fold_latin(char32_t c) {
    // U+00C0..U+00FF
    static const char* const latin1[64] = {
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",     // C0-CF
        "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "ss",  // D0-DF
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",     // E0-EF
        "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "y",   // F0-FF
    };
    // U+0100..U+017F, in pairs (upper, lower) mostly: the base letter of each.
    // Generated from Unicode's decompositions (NFKD, first letter); ? marks the ligatures.
    static const char ext_a[] =
        "aaaaaaccccccccdd"  // 0100-010F
        "ddeeeeeeeeeegggg"  // 0110-011F
        "gggghhhhiiiiiiii"  // 0120-012F
        "ii??jjkkklllllll"  // 0130-013F
        "lllnnnnnnnnnoooo"  // 0140-014F
        "oo??rrrrrrssssss"  // 0150-015F
        "ssttttttuuuuuuuu"  // 0160-016F
        "uuuuwwyyyzzzzzzs";  // 0170-017F
    static thread_local char one[2] = {0, 0};
    if (c >= 0xc0 && c <= 0xff) return latin1[c - 0xc0];
    if (c >= 0x100 && c <= 0x17f) {
        if (c == 0x152 || c == 0x153) return "oe";
        if (c == 0x132 || c == 0x133) return "ij";
        one[0] = ext_a[c - 0x100];
        return one;
    }
    return nullptr;
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) out += static_cast<char>(c);
    else if (c < 0x800) {
        out += static_cast<char>(0xc0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xe0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (c & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (c & 0x3f));
    }
}

/// Words of a name: split at spaces and punctuation ("Jean-Paul O'Neill" -> jean paul o neill).
/// A word that starts with a digit (a date, 1974-12-25) keeps its hyphens.
std::vector<std::string> words_of(std::string_view folded) {
    std::vector<std::string> out;
    std::string word;
    for (const char ch : folded) {
        const bool digits = !word.empty() && word[0] >= '0' && word[0] <= '9';
        const bool sep = ch == ' ' || ch == ',' || ch == '\t' ||
                         (!digits && (ch == '-' || ch == '\'' || ch == '.'));
        if (sep) {
            if (!word.empty()) out.push_back(std::move(word));
            word.clear();
        } else {
            word += ch;
        }
    }
    if (!word.empty()) out.push_back(std::move(word));
    return out;
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

/// The score of one query word against a key (0: no match).
int match(const PreparedKey& key, std::string_view word) {
    int best = 0;
    for (const auto& w : key.words) {
        if (w == word) best = std::max(best, 100);
        else if (starts_with(w, word)) best = std::max(best, 60);
    }
    if (!key.birth_date.empty() && starts_with(key.birth_date, word)) best = std::max(best, word.size() == 10 ? 90 : 40);
    std::string_view hex = word;
    if (starts_with(hex, "0x")) hex.remove_prefix(2);
    if (hex.size() >= 4 && starts_with(key.address, hex)) best = std::max(best, hex.size() == 40 ? 100 : 30);
    return best;
}

}  // namespace

std::string fold(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size();) {
        const char32_t c = decode(utf8, i);
        if (c < 0x80) {
            out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        } else if (const char* f = fold_latin(c)) {
            out += f;
        } else {
            append_utf8(out, c);
        }
    }
    return out;
}

PreparedKey prepare(const SearchKey& key) {
    PreparedKey p;
    for (const auto& n : key.names)
        for (auto& w : words_of(fold(n))) p.words.push_back(std::move(w));
    for (auto& w : words_of(fold(key.label))) p.words.push_back(std::move(w));
    p.birth_date = key.birth_date;
    p.address = fold(key.address);
    if (starts_with(p.address, "0x")) p.address.erase(0, 2);
    return p;
}

std::vector<SearchHit> search(const std::vector<PreparedKey>& keys, std::string_view query, std::size_t limit) {
    const auto words = words_of(fold(query));
    std::vector<SearchHit> hits;
    if (words.empty() || limit == 0) return hits;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        int total = 0;
        for (const auto& w : words) {
            const int s = match(keys[i], w);
            if (s == 0) {
                total = 0;
                break;
            }
            total += s;
        }
        if (total > 0) hits.push_back(SearchHit{i, total});
    }
    const auto better = [](const SearchHit& a, const SearchHit& b) {
        return a.score != b.score ? a.score > b.score : a.index < b.index;
    };
    if (hits.size() > limit) {
        std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(limit), hits.end(), better);
        hits.resize(limit);
    } else {
        std::sort(hits.begin(), hits.end(), better);
    }
    return hits;
}

}  // namespace dossier::index
