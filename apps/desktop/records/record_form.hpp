#pragma once
/// A FHIR resource as people read it: labelled fields (never JSON), laid out from the resource the
/// library built. Only reading: what a resource means (which kind, which fields a kind has, the
/// defaults) is the library's; this file finds the elements it wrote and names them.
#include <QString>
#include <map>
#include <string>
#include <vector>

#include "dossier/client/client.hpp"

namespace dossier::desktop {

/// One labelled value of a record ("Status", "active").
struct FormField {
    QString label;
    QString value;
};

/// Display names of the "Practitioner/0x..." and "Patient/0x..." references a resource holds,
/// looked up by the worker that loaded it (names come from the client, never from a view).
using ReferenceNames = std::map<std::string, QString>;

/// The references in `resource` whose id is an address, named with Client::display_name.
/// Calls the client: only from a worker.
[[nodiscard]] ReferenceNames name_references(client::Client& client, const client::Json& resource);

/// The fields of `resource` in reading order, empty values left out.
[[nodiscard]] std::vector<FormField> form_fields(const client::Json& resource, const ReferenceNames& names = {});

/// The simple fields `resource` was written from, for editing it as a new version (the inverse of
/// the library's fields-to-resource mapping, as far as the form shows it).
[[nodiscard]] client::RecordFields fields_of(const client::Json& resource);

/// `fields` as an HTML table, every value escaped; labels in `changed` are highlighted (and marked
/// with a symbol, for readers who do not see the colour).
[[nodiscard]] QString fields_html(const std::vector<FormField>& fields, const std::vector<QString>& changed = {});

/// "v3 of 3 · by Dr X · 12 Jun 2026 14:05 · tx 0x12ab…9f0e".
[[nodiscard]] QString version_line(const client::RecordVersion& version, std::uint32_t latest, const QString& author);

/// "0x12ab…9f0e" for a transaction hash (or any long hex text).
[[nodiscard]] QString short_hash(const std::string& hash);

/// The readable page of a record: its summary as a heading, its fields, the version line.
[[nodiscard]] QString record_html(const client::Record& record, const QString& author, const ReferenceNames& names);

}  // namespace dossier::desktop
