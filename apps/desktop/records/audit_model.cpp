#include "records/audit_model.hpp"

#include <QCoreApplication>
#include <algorithm>

#include "app/format.hpp"
#include "records/record_form.hpp"

namespace dossier::desktop {

QString audit_action_text(const std::string& kind) {
    // The kinds the client names (AuditEntry::kind); an unknown one is shown as it is named.
    static const std::pair<const char*, const char*> words[] = {
        {"registered", QT_TRANSLATE_NOOP("AuditModel", "Registered")},
        {"profile-updated", QT_TRANSLATE_NOOP("AuditModel", "Updated the profile")},
        {"requested", QT_TRANSLATE_NOOP("AuditModel", "Requested access")},
        {"approved", QT_TRANSLATE_NOOP("AuditModel", "Approved access")},
        {"denied", QT_TRANSLATE_NOOP("AuditModel", "Denied access")},
        {"revoked", QT_TRANSLATE_NOOP("AuditModel", "Revoked access")},
        {"key-rotated", QT_TRANSLATE_NOOP("AuditModel", "Changed the record key")},
        {"record-added", QT_TRANSLATE_NOOP("AuditModel", "Added a record")},
        {"record-updated", QT_TRANSLATE_NOOP("AuditModel", "Added a version")},
        {"file-attached", QT_TRANSLATE_NOOP("AuditModel", "Attached a file")},
        {"accessed", QT_TRANSLATE_NOOP("AuditModel", "Opened")},
        {"unknown", QT_TRANSLATE_NOOP("AuditModel", "Unknown entry")},
    };
    for (const auto& [name, text] : words)
        if (kind == name) return QCoreApplication::translate("AuditModel", text);
    return qstr(kind);
}

void AuditModel::set_rows(std::vector<AuditRow> rows) {
    // Newest first across trails; within one trail the sequence number orders entries of a block.
    std::stable_sort(rows.begin(), rows.end(), [](const AuditRow& a, const AuditRow& b) {
        if (a.entry.timestamp != b.entry.timestamp) return a.entry.timestamp > b.entry.timestamp;
        if (a.entry.block != b.entry.block) return a.entry.block > b.entry.block;
        return a.entry.seq > b.entry.seq;
    });
    beginResetModel();
    rows_ = std::move(rows);
    endResetModel();
}

const AuditRow* AuditModel::at(int row) const {
    return row >= 0 && row < static_cast<int>(rows_.size()) ? &rows_[static_cast<std::size_t>(row)] : nullptr;
}

int AuditModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(rows_.size()); }

int AuditModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : column_count; }

QVariant AuditModel::data(const QModelIndex& index, int role) const {
    const AuditRow* r = at(index.row());
    if (r == nullptr) return {};
    const auto& e = r->entry;
    if (role == kind_role) return qstr(e.kind);
    if (role == sort_role && index.column() == when_column)
        return QVariant::fromValue<qulonglong>(e.timestamp * 1000000ull + e.seq % 1000000ull);
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
            case when_column: return tr("Entry #%1, block %2").arg(e.seq).arg(e.block);
            case patient_column: return full_address(r->patient);
            case who_column: return full_address(e.actor);
            case tx_column: return qstr(e.tx);
            case what_column: return qstr(e.text);
            default: return {};
        }
    }
    if (role != Qt::DisplayRole && role != sort_role) return {};
    switch (index.column()) {
        case when_column: return format_time(e.timestamp);
        case patient_column: return r->patient_name;
        case who_column: return r->actor_name;
        case action_column: return audit_action_text(e.kind);
        case what_column: return qstr(e.text);
        case tx_column: return short_hash(e.tx);
        default: return {};
    }
}

QVariant AuditModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case when_column: return tr("When");
        case patient_column: return tr("Patient");
        case who_column: return tr("Who");
        case action_column: return tr("Action");
        case what_column: return tr("What");
        case tx_column: return tr("Transaction");
        default: return {};
    }
}

AuditFilter::AuditFilter(QObject* parent) : QSortFilterProxyModel(parent) {
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setFilterKeyColumn(-1);
    setSortRole(AuditModel::sort_role);
}

void AuditFilter::set_show(Show show) {
    show_ = show;
    invalidateFilter();
}

bool AuditFilter::filterAcceptsRow(int source_row, const QModelIndex& source_parent) const {
    if (show_ != Show::all) {
        const bool access = sourceModel()->index(source_row, 0, source_parent).data(AuditModel::kind_role).toString() ==
                            QLatin1String("accessed");
        if (access != (show_ == Show::access)) return false;
    }
    return QSortFilterProxyModel::filterAcceptsRow(source_row, source_parent);
}

}  // namespace dossier::desktop
