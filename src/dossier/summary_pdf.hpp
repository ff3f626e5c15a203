#pragma once
/// A patient's record as a printable PDF summary, laid out with libharu (Debian: libhpdf-dev)
/// and a TrueType font embedded as UTF-8 (DejaVu Sans: accented names render; scripts the font
/// lacks, such as CJK, show as missing glyphs). The content is decided by the caller
/// (export_fhir); this file only lays it out: a title block, one table per section, and on every
/// page a footer with the page number and a line of provenance.
#include <filesystem>
#include <string>
#include <vector>

namespace dossier::core {

struct SummaryRow {
    std::string what;    ///< the record in one line
    std::string date;    ///< YYYY-MM-DD
    std::string author;  ///< who wrote it
};

struct SummarySection {
    std::string title;
    std::vector<SummaryRow> rows;
};

struct SummaryDocument {
    std::string title;                           ///< "Medical record summary"
    std::vector<std::pair<std::string, std::string>> identity;  ///< label, value (name, born, ...)
    std::vector<SummarySection> sections;        ///< empty sections print "None recorded."
    std::string footer;                          ///< e.g. the audit trail's head and its verification
};

/// The PDF's bytes. Throws Error(internal) if libharu fails, Error(io) if no font is found.
[[nodiscard]] std::string summary_pdf(const SummaryDocument& doc);

}  // namespace dossier::core
