#pragma once
/// The import journal: what a FHIR import sent and what the chain confirmed, keyed by patient and
/// resource digest (fhir_source.hpp), so that an import killed at any point and run again adds
/// nothing twice and loses nothing.
///
/// One file of JSON lines, appended and fsynced before the step it announces goes on:
///   {"p":"0x..","d":"<digest>","s":"sending","before":N}   records of the patient before the batch
///   {"p":"0x..","d":"<digest>","s":"added","record":R}      the chain confirmed record R
///   {"p":"0x..","d":"<digest>","s":"file","name":"..."}     an inline file of it is attached
/// A digest whose last state is "sending" is in doubt: its transaction may have been mined before
/// the process died. import_fhir settles it by reading the patient's records after `before`
/// written by the importer and comparing digests, before it sends anything again. A line torn by
/// a crash (the last one, without its newline) is ignored: what it announced did not start.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace dossier::core {

class ImportJournal {
public:
    struct Entry {
        enum class State { sending, added } state = State::sending;
        std::uint32_t before = 0;     ///< sending: the patient's record count before the batch
        std::uint32_t record_id = 0;  ///< added
        std::set<std::string> files;  ///< names of the inline files attached
    };

    /// Opens (creating it and its directory) the journal at `file` and reads what it holds.
    explicit ImportJournal(std::filesystem::path file);
    ~ImportJournal();
    ImportJournal(const ImportJournal&) = delete;
    ImportJournal& operator=(const ImportJournal&) = delete;

    [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_; }
    /// The last state of `digest` for `patient` (lower-case hex address), or nullptr.
    [[nodiscard]] const Entry* find(const std::string& patient, const std::string& digest) const;
    /// Every digest of `patient` in doubt (last state sending).
    [[nodiscard]] std::map<std::string, Entry> in_doubt(const std::string& patient) const;

    /// Each call appends its lines with one write and one fsync before returning.
    void sending(const std::string& patient, const std::vector<std::string>& digests, std::uint32_t before);
    void added(const std::string& patient, const std::vector<std::pair<std::string, std::uint32_t>>& records);
    void file_attached(const std::string& patient, const std::string& digest, const std::string& name);

private:
    void append(const std::string& lines);
    void apply(const std::string& line);

    std::filesystem::path file_;
    int fd_ = -1;
    std::map<std::pair<std::string, std::string>, Entry> entries_;
};

}  // namespace dossier::core
