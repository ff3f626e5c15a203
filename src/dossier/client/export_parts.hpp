#pragma once
/// Internal to export_fhir: the pieces its formats are made of (dates, entry URLs, Provenance,
/// the IPS Composition, the PDF summary), each in the file named for it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dossier/client/client.hpp"

namespace dossier::client::detail {

/// "2026-03-01" and "2026-03-01T12:00:00Z" (UTC) of unix seconds.
[[nodiscard]] std::string iso_date(std::uint64_t seconds);
[[nodiscard]] std::string iso_instant(std::uint64_t seconds);

/// A stable "urn:uuid:..." for one thing of one patient ("patient", "record/5", "file/5/1"):
/// the same export twice names its entries alike.
[[nodiscard]] std::string entry_url(const Address& patient, const std::string& what);

/// The identifier systems an export names accounts and transactions with (docs/architecture.md).
inline constexpr const char* kAccountSystem = "urn:dossier:account";
inline constexpr const char* kTransactionSystem = "urn:dossier:transaction";

/// An R4 Provenance of one write on chain: `target_url` (the entry written), `recorded` = the
/// block's time, agent.who = the author's address as an identifier, and the transaction as an
/// entity (role source). `id` is the resource id ("record-5-v2").
struct ChainWrite {
    std::string id, target_url, target_display;
    Address author;
    std::string author_name;
    std::uint64_t timestamp = 0;
    std::string tx;
    bool creates = true;  ///< CREATE (first version, a file) or UPDATE
};
[[nodiscard]] Json provenance(const ChainWrite& write);

/// A record entry as an export places it.
struct ExportEntry {
    std::string url;
    Json resource;
};

/// The IPS Composition over `entries` (the Patient's url is `patient_url`), written by `author`:
/// one section per IPS section (problems, medications, allergies, immunizations, results,
/// procedures) listing the entries of its resource types, or saying none is known.
[[nodiscard]] Json ips_composition(const std::string& patient_url, const Address& author,
                                   const std::string& author_name, const std::vector<ExportEntry>& entries,
                                   std::uint64_t now);
/// The resource types the IPS sections hold.
[[nodiscard]] bool in_ips_section(const Json& resource);

/// The readable PDF summary of `records` (latest versions).
[[nodiscard]] std::string summary_pdf_of(Client& client, const Address& patient, const std::optional<Json>& profile,
                                         const std::vector<Record>& records);

}  // namespace dossier::client::detail
