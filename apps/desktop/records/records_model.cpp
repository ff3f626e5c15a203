#include "records/records_model.hpp"

#include <QApplication>
#include <QStyle>
#include <algorithm>

#include "app/error_text.hpp"
#include "app/format.hpp"

namespace dossier::desktop {

void RecordsModel::set_records(std::vector<client::RecordListing> records) {
    // Newest first by the chain's time of the latest version; the id breaks ties so that records
    // of one block keep a stable order across reloads.
    std::stable_sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
        if (a.latest.timestamp != b.latest.timestamp) return a.latest.timestamp > b.latest.timestamp;
        return a.record_id > b.record_id;
    });
    beginResetModel();
    all_ = std::move(records);
    apply_filter();
    endResetModel();
}

void RecordsModel::set_category(std::optional<client::RecordKind> kind) {
    beginResetModel();
    category_ = kind;
    apply_filter();
    endResetModel();
}

void RecordsModel::apply_filter() {
    shown_.clear();
    for (int i = 0; i < static_cast<int>(all_.size()); ++i) {
        const auto& r = all_[static_cast<std::size_t>(i)];
        bool keep = !category_.has_value();
        if (!keep && r.kind) {
            keep = *r.kind == *category_ || (*category_ == client::RecordKind::file && r.attachments > 0);
        }
        if (keep) shown_.push_back(i);
    }
}

const client::RecordListing* RecordsModel::at(int row) const {
    if (row < 0 || row >= static_cast<int>(shown_.size())) return nullptr;
    return &all_[static_cast<std::size_t>(shown_[static_cast<std::size_t>(row)])];
}

int RecordsModel::row_of(std::uint32_t record_id) const {
    for (int row = 0; row < static_cast<int>(shown_.size()); ++row)
        if (at(row)->record_id == record_id) return row;
    return -1;
}

int RecordsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(shown_.size());
}

int RecordsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : column_count; }

QVariant RecordsModel::data(const QModelIndex& index, int role) const {
    const auto* r = at(index.row());
    if (r == nullptr) return {};
    if (role == record_id_role) return static_cast<uint>(r->record_id);
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole || role == Qt::AccessibleTextRole) {
        switch (index.column()) {
            case date_column: return role == Qt::ToolTipRole ? format_time(r->latest.timestamp) : format_date(r->latest.timestamp);
            // What stopped it, in the words of every other failure (an altered object says so).
            case kind_column: return r->kind ? kind_text(*r->kind) : r->problem ? failure_title(*r->problem) : tr("Unreadable");
            case summary_column:
                // The listing's summary says why a record could not be opened; say that it is a reason.
                return r->readable ? qstr(r->summary) : tr("Cannot be opened: %1").arg(qstr(r->summary));
            case version_column: return QStringLiteral("v%1").arg(r->latest.version);
            default: return {};
        }
    }
    if (role == Qt::DecorationRole && index.column() == kind_column && !r->readable)
        return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
    if (role == Qt::DecorationRole && index.column() == summary_column && r->attachments > 0)
        return QApplication::style()->standardIcon(QStyle::SP_FileIcon);
    return {};
}

QVariant RecordsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case date_column: return tr("Date");
        case kind_column: return tr("Kind");
        case summary_column: return tr("Summary");
        case version_column: return tr("Version");
        default: return {};
    }
}

}  // namespace dossier::desktop
