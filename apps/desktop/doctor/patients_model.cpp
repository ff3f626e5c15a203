#include "doctor/patients_model.hpp"

#include <algorithm>

#include "app/format.hpp"

namespace dossier::desktop {

namespace {
// Large enough that 10,000 rows take twenty turns of the event loop, small enough that each
// turn (the view's layout of the new rows) stays well under a frame.
constexpr std::size_t chunk_rows = 500;

/// The expiry the Expires column shows, or 0 when it shows none (no grant, or one without a date).
std::uint64_t shown_expiry(const PatientAccess& row) {
    const client::RequestState state = row.state();
    return state == client::RequestState::approved || state == client::RequestState::expired ? row.request->expiry : 0;
}

}  // namespace

QString access_text(client::RequestState state) {
    return state == client::RequestState::none ? QObject::tr("No access") : state_text(state);
}

PatientsModel::PatientsModel(QObject* parent) : QAbstractTableModel(parent) {
    chunk_timer_.setInterval(0);
    connect(&chunk_timer_, &QTimer::timeout, this, &PatientsModel::insert_chunk);
}

void PatientsModel::set_rows(std::vector<PatientAccess> rows) {
    chunk_timer_.stop();
    beginResetModel();
    rows_.clear();
    text_.clear();
    endResetModel();
    pending_ = std::move(rows);
    next_ = 0;
    rows_.reserve(pending_.size());
    text_.reserve(pending_.size());
    insert_chunk();
    if (loading()) chunk_timer_.start();
}

void PatientsModel::insert_chunk() {
    const std::size_t end = std::min(pending_.size(), next_ + chunk_rows);
    if (end > next_) {
        const int first = static_cast<int>(rows_.size());
        beginInsertRows({}, first, first + static_cast<int>(end - next_) - 1);
        std::move(pending_.begin() + static_cast<std::ptrdiff_t>(next_), pending_.begin() + static_cast<std::ptrdiff_t>(end),
                  std::back_inserter(rows_));
        for (std::size_t i = text_.size(); i < rows_.size(); ++i) {
            QString name = qstr(rows_[i].name);
            QString folded = name.toCaseFolded();
            text_.push_back({std::move(name), std::move(folded), qstr(rows_[i].patient.hex())});
        }
        next_ = end;
        endInsertRows();
    }
    if (!loading()) {
        chunk_timer_.stop();
        pending_.clear();
        next_ = 0;
        emit filled();
    }
}

std::optional<int> PatientsModel::row_of(const client::Address& patient) const {
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        if (rows_[i].patient == patient) return static_cast<int>(i);
    }
    return std::nullopt;
}

client::RequestState PatientsModel::state_of(const client::Address& patient) const {
    const auto row = row_of(patient);
    if (row) return rows_[static_cast<std::size_t>(*row)].state();
    for (std::size_t i = next_; i < pending_.size(); ++i) {
        if (pending_[i].patient == patient) return pending_[i].state();
    }
    return client::RequestState::none;
}

void PatientsModel::mark_pending(const client::Address& patient) {
    const auto row = row_of(patient);
    if (!row) return;
    auto& r = rows_[static_cast<std::size_t>(*row)];
    if (!r.request) r.request.emplace();
    r.request->state = client::RequestState::pending;
    r.request->expiry = 0;
    emit dataChanged(index(*row, 0), index(*row, column_count - 1));
}

bool PatientsModel::less(int left, int right, int column) const {
    const auto l = static_cast<std::size_t>(left), r = static_cast<std::size_t>(right);
    if (l >= rows_.size() || r >= rows_.size()) return left < right;
    switch (column) {
        case name_column: return text_[l].folded < text_[r].folded;
        case address_column: return text_[l].hex < text_[r].hex;
        case access_column: return static_cast<int>(rows_[l].state()) < static_cast<int>(rows_[r].state());  // grouped by state
        case expires_column: return shown_expiry(rows_[l]) < shown_expiry(rows_[r]);
        default: return left < right;
    }
}

int PatientsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int PatientsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : column_count; }

QVariant PatientsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= static_cast<int>(rows_.size())) return {};
    const PatientAccess& r = rows_[static_cast<std::size_t>(index.row())];
    const RowText& text = text_[static_cast<std::size_t>(index.row())];
    const client::RequestState state = r.state();
    const std::uint64_t expiry = shown_expiry(r);
    switch (role) {
        case address_role: return text.hex;
        case state_role: return static_cast<int>(state);
        case Qt::DisplayRole:
            switch (index.column()) {
                case name_column: return text.name;
                case address_column: return short_address(r.patient);
                case access_column: return access_text(state);
                case expires_column: return expiry ? format_date(expiry) : QString();
                default: return {};
            }
        case Qt::ToolTipRole:
            if (index.column() == address_column || index.column() == name_column) return full_address(r.patient);
            if (expiry) return format_time(expiry);
            return {};
        case Qt::AccessibleTextRole:
            if (index.column() == address_column) return full_address(r.patient);
            return {};
        default: return {};
    }
}

QVariant PatientsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case name_column: return tr("Patient");
        case address_column: return tr("Address");
        case access_column: return tr("Access");
        case expires_column: return tr("Expires");
        default: return {};
    }
}

}  // namespace dossier::desktop
