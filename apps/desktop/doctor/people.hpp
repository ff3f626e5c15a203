#pragma once
/// Small presentation helpers shared by the doctor's, the patient's and the authority's pages:
/// how a person is named on screen and how their tables look. They read plain values of the
/// client API only; nothing here decides anything.
#include <QAbstractItemView>
#include <QHeaderView>
#include <QString>
#include <QStringList>
#include <QTableView>
#include <string>

#include "app/format.hpp"
#include "dossier/client/types.hpp"

namespace dossier::desktop {

/// The human name of a FHIR Patient or Practitioner ("Jane Doe"): the first name's text, else its
/// given names and family name; empty when the resource has none.
[[nodiscard]] inline QString fhir_human_name(const client::Json& resource) {
    if (!resource.is_object()) return {};
    const auto names = resource.find("name");
    if (names == resource.end() || !names->is_array() || names->empty()) return {};
    const client::Json& name = names->front();
    if (!name.is_object()) return {};
    if (auto text = name.find("text"); text != name.end() && text->is_string()) return qstr(text->get<std::string>());
    QStringList parts;
    if (auto given = name.find("given"); given != name.end() && given->is_array()) {
        for (const auto& g : *given) {
            if (g.is_string()) parts << qstr(g.get<std::string>());
        }
    }
    if (auto family = name.find("family"); family != name.end() && family->is_string())
        parts << qstr(family->get<std::string>());
    return parts.join(QLatin1Char(' '));
}

/// A doctor as patients and the authority read it: the profile's name, else the one-line summary,
/// else the short address (a doctor whose profile the store does not have).
[[nodiscard]] inline QString doctor_name(const client::DoctorInfo& info) {
    if (info.profile) {
        const QString name = fhir_human_name(*info.profile);
        if (!name.isEmpty()) return name;
    }
    QString summary = qstr(info.summary);
    // The summary names the resource type first ("Practitioner: Jane Doe (GP)"): the page already
    // says these are doctors.
    const QString prefix = QStringLiteral("Practitioner: ");
    if (summary.startsWith(prefix)) summary = summary.mid(prefix.size());
    return summary.isEmpty() ? short_address(info.address) : summary;
}

/// "✓ Verified" / "⚠ Not verified" / "Suspended": a symbol and a word, never colour alone.
[[nodiscard]] inline QString doctor_badge(client::DoctorStatus status) {
    switch (status) {
        case client::DoctorStatus::verified: return QObject::tr("\u2713 Verified");
        case client::DoctorStatus::registered: return QObject::tr("\u26a0 Not verified");
        case client::DoctorStatus::suspended: return QObject::tr("\u2717 Suspended");
        case client::DoctorStatus::none: return QObject::tr("\u26a0 Not registered");
    }
    return {};
}

/// Every table of these pages: whole rows selected one at a time, one line per row (a long hex
/// address wraps onto two lines otherwise), elided in the middle so both ends of an address show.
inline void style_table(QTableView* table) {
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setWordWrap(false);
    table->setTextElideMode(Qt::ElideMiddle);
    table->setSortingEnabled(true);
    table->setAlternatingRowColors(true);
    table->setTabKeyNavigation(false);  // Tab leaves the table for the buttons; arrows move between rows
    table->verticalHeader()->hide();
    // One text line per row, from the font (fixed mode: measuring 10,000 rows would freeze the view).
    table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() * 3 / 2);
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
}

}  // namespace dossier::desktop
