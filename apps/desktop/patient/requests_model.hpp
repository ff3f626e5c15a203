#pragma once
/// One tab of the patient's Requests: doctors with their request or grant, named from their public
/// profile, with the authority's verdict on them. The page fills three of these (pending, active,
/// past) from one read.
#include <QAbstractTableModel>
#include <QString>
#include <vector>

#include "dossier/client/types.hpp"

namespace dossier::desktop {

struct RequestRow {
    client::AccessRequest request;
    QString doctor;  ///< the doctor's name as patients read it
    client::DoctorStatus status = client::DoctorStatus::none;
};

class RequestsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { doctor_column, status_column, address_column, asked_column, expires_column, column_count };
    static constexpr int sort_role = Qt::UserRole + 1;

    explicit RequestsModel(QObject* parent = nullptr);

    void set_rows(std::vector<RequestRow> rows);
    /// The row behind a source index (the page maps from its proxy first).
    [[nodiscard]] const RequestRow* row(int index) const;

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<RequestRow> rows_;
};

}  // namespace dossier::desktop
