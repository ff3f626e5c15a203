#include "fields.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "dossier/client/error.hpp"

namespace dossier::cli {

namespace {

std::string keys_of(const std::vector<FieldSpec>& specs) {
    std::string out;
    for (const auto& s : specs) out += (out.empty() ? "" : ", ") + s.key;
    return out;
}

std::map<std::string, std::string> from_json(const std::string& text, const std::string& where,
                                             const std::vector<FieldSpec>& specs) {
    // Parse errors are reported without the parser's excerpt of the text: it is personal data.
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        throw Error(where + " must hold one JSON object of fields (" + keys_of(specs) + ")");
    std::map<std::string, std::string> out;
    for (const auto& [key, value] : j.items()) {
        bool known = false;
        for (const auto& s : specs) known |= s.key == key;
        if (!known) throw Error(where + " has the field '" + key + "'; the fields are " + keys_of(specs));
        if (!value.is_string()) throw Error("the field '" + key + "' in " + where + " must be a string");
        if (!value.get<std::string>().empty()) out[key] = value.get<std::string>();
    }
    return out;
}

std::map<std::string, std::string> from_prompts(const std::vector<FieldSpec>& specs) {
    std::FILE* tty = isatty(STDIN_FILENO) ? std::fopen("/dev/tty", "r+") : nullptr;
    if (!tty)
        throw Error("give the fields with --fields FILE (a JSON object), or --fields - to read it from stdin "
                    "(no terminal to ask on)");
    std::map<std::string, std::string> out;
    for (const auto& s : specs) {
        std::fputs((s.prompt + (s.required ? ": " : " (optional): ")).c_str(), tty);
        std::fflush(tty);
        std::string line;
        int c;
        while ((c = std::fgetc(tty)) != EOF && c != '\n') line.push_back(static_cast<char>(c));
        if (!line.empty()) out[s.key] = line;
    }
    std::fclose(tty);
    return out;
}

}  // namespace

std::map<std::string, std::string> read_fields(const std::string& source, const std::vector<FieldSpec>& specs) {
    std::map<std::string, std::string> out;
    if (source.empty()) {
        out = from_prompts(specs);
    } else if (source == "-") {
        const std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
        out = from_json(text, "stdin", specs);
    } else {
        std::ifstream in(source, std::ios::binary);
        if (!in) throw Error("cannot read the fields file '" + source + "'");
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        out = from_json(text, "'" + source + "'", specs);
    }
    for (const auto& s : specs)
        if (s.required && !out.count(s.key)) throw Error("the field '" + s.key + "' is required");
    return out;
}

std::string field(const std::map<std::string, std::string>& fields, const std::string& key) {
    const auto it = fields.find(key);
    return it == fields.end() ? std::string() : it->second;
}

std::string fields_help(const std::vector<FieldSpec>& specs) {
    std::string keys;
    for (const auto& s : specs) keys += (keys.empty() ? "" : ", ") + s.key + (s.required ? "" : "?");
    return "JSON file of the personal fields {" + keys + "} (? optional); - reads it from stdin; without it, "
           "each field is asked at the terminal. Never on the command line: others can read it there";
}

}  // namespace dossier::cli
