#include "authority/doctors_model.hpp"

#include "app/format.hpp"
#include "doctor/people.hpp"

namespace dossier::desktop {

namespace {

/// The status column in words: "Registered" rather than the Home page's longer sentence, since
/// the authority is the one doing the waiting here.
QString status_word(client::DoctorStatus status) {
    switch (status) {
        case client::DoctorStatus::registered: return QObject::tr("\u26a0 Registered");
        case client::DoctorStatus::verified: return QObject::tr("\u2713 Verified");
        case client::DoctorStatus::suspended: return QObject::tr("\u2717 Suspended");
        case client::DoctorStatus::none: return QObject::tr("Not registered");
    }
    return {};
}

}  // namespace

DoctorsModel::DoctorsModel(QObject* parent) : QAbstractTableModel(parent) {}

void DoctorsModel::set_doctors(std::vector<client::DoctorInfo> doctors) {
    beginResetModel();
    doctors_ = std::move(doctors);
    endResetModel();
}

const client::DoctorInfo* DoctorsModel::doctor(int row) const {
    if (row < 0 || row >= static_cast<int>(doctors_.size())) return nullptr;
    return &doctors_[static_cast<std::size_t>(row)];
}

void DoctorsModel::set_status(const client::Address& address, client::DoctorStatus status) {
    for (std::size_t i = 0; i < doctors_.size(); ++i) {
        if (doctors_[i].address != address) continue;
        doctors_[i].status = status;
        const int row = static_cast<int>(i);
        emit dataChanged(index(row, 0), index(row, column_count - 1));
    }
}

int DoctorsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(doctors_.size());
}

int DoctorsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : column_count; }

QVariant DoctorsModel::data(const QModelIndex& index, int role) const {
    const client::DoctorInfo* d = index.isValid() ? doctor(index.row()) : nullptr;
    if (!d) return {};
    switch (role) {
        case Qt::DisplayRole:
            switch (index.column()) {
                case name_column: return doctor_name(*d);
                case address_column: return short_address(d->address);
                case status_column: return status_word(d->status);
                case since_column: return format_date(d->since);
                default: return {};
            }
        case sort_role:
            switch (index.column()) {
                case name_column: return doctor_name(*d).toCaseFolded();
                case address_column: return qstr(d->address.hex());
                case status_column: return static_cast<int>(d->status);
                case since_column: return static_cast<qulonglong>(d->since);
                default: return {};
            }
        case filter_role:
            return QStringList{doctor_name(*d), qstr(d->summary), full_address(d->address), status_word(d->status)}.join(
                QLatin1Char('\n'));
        case Qt::ToolTipRole:
            switch (index.column()) {
                case name_column: return qstr(d->summary);
                case address_column: return full_address(d->address);
                case since_column: return format_time(d->since);
                default: return {};
            }
        case Qt::AccessibleTextRole:
            if (index.column() == address_column) return full_address(d->address);
            return {};
        default: return {};
    }
}

QVariant DoctorsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case name_column: return tr("Doctor");
        case address_column: return tr("Address");
        case status_column: return tr("Status");
        case since_column: return tr("Since");
        default: return {};
    }
}

}  // namespace dossier::desktop
