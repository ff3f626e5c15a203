#include "patient/requests_model.hpp"

#include "app/format.hpp"
#include "doctor/people.hpp"

namespace dossier::desktop {

namespace {

/// The last column: until when for a grant, when and how it ended for the past ones.
QString ending(const client::AccessRequest& r) {
    switch (r.state) {
        case client::RequestState::approved: return format_time(r.expiry);
        case client::RequestState::expired: return QObject::tr("Expired %1").arg(format_date(r.expiry));
        case client::RequestState::denied: return QObject::tr("Denied %1").arg(format_date(r.updated_at));
        case client::RequestState::revoked: return QObject::tr("Revoked %1").arg(format_date(r.updated_at));
        default: return {};
    }
}

}  // namespace

RequestsModel::RequestsModel(QObject* parent) : QAbstractTableModel(parent) {}

void RequestsModel::set_rows(std::vector<RequestRow> rows) {
    beginResetModel();
    rows_ = std::move(rows);
    endResetModel();
}

const RequestRow* RequestsModel::row(int index) const {
    if (index < 0 || index >= static_cast<int>(rows_.size())) return nullptr;
    return &rows_[static_cast<std::size_t>(index)];
}

int RequestsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(rows_.size()); }

int RequestsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : column_count; }

QVariant RequestsModel::data(const QModelIndex& index, int role) const {
    const RequestRow* r = row(index.row());
    if (!r || !index.isValid()) return {};
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
            case doctor_column: return r->doctor;
            case status_column: return doctor_badge(r->status);
            case address_column: return short_address(r->request.doctor);
            case asked_column: return format_date(r->request.requested_at);
            case expires_column: return ending(r->request);
            default: return {};
        }
    }
    if (role == sort_role) {
        switch (index.column()) {
            case doctor_column: return r->doctor.toCaseFolded();
            case status_column: return static_cast<int>(r->status);
            case address_column: return qstr(r->request.doctor.hex());
            case asked_column: return static_cast<qulonglong>(r->request.requested_at);
            case expires_column:
                return static_cast<qulonglong>(r->request.state == client::RequestState::approved ||
                                                       r->request.state == client::RequestState::expired
                                                   ? r->request.expiry
                                                   : r->request.updated_at);
            default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
            case address_column:
            case doctor_column: return full_address(r->request.doctor);
            case asked_column: return format_time(r->request.requested_at);
            default: return {};
        }
    }
    if (role == Qt::AccessibleTextRole && index.column() == address_column) return full_address(r->request.doctor);
    return {};
}

QVariant RequestsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case doctor_column: return tr("Doctor");
        case status_column: return tr("Doctor status");
        case address_column: return tr("Address");
        case asked_column: return tr("Asked");
        case expires_column: return tr("Access until");
        default: return {};
    }
}

}  // namespace dossier::desktop
