#pragma once
/// Personal fields (names, birth dates, contact details, the text of records, the names of
/// attached files) come from a JSON file, from stdin, or from prompts on the terminal, never from
/// the command line: every user of the machine can read a process's arguments in /proc.
#include <map>
#include <string>
#include <vector>

namespace dossier::cli {

/// One field a command takes: its JSON key, and the question asked at the terminal.
struct FieldSpec {
    std::string key;
    std::string prompt;
    bool required = false;
};

/// The fields, by key (only those given, non-empty). `source` is the --fields value: a file
/// holding a JSON object of strings, "-" for that object on stdin, or empty to ask each field in
/// turn at the terminal (an empty answer skips an optional field). Throws dossier::Error with one
/// sentence for an unreadable file, bad JSON, a key that is not one of `specs` (named, never its
/// value), a missing required field, or no source at all (no --fields and no terminal).
[[nodiscard]] std::map<std::string, std::string> read_fields(const std::string& source,
                                                             const std::vector<FieldSpec>& specs);

/// "" when `fields` has no `key`.
[[nodiscard]] std::string field(const std::map<std::string, std::string>& fields, const std::string& key);

/// The --fields option's help: where the fields come from, with the keys of `specs`.
[[nodiscard]] std::string fields_help(const std::vector<FieldSpec>& specs);

}  // namespace dossier::cli
