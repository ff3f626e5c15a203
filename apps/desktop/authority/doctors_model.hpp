#pragma once
/// The authority's table of doctors: name from the public profile, address, status, since when.
#include <QAbstractTableModel>
#include <vector>

#include "dossier/client/types.hpp"

namespace dossier::desktop {

class DoctorsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { name_column, address_column, status_column, since_column, column_count };
    static constexpr int sort_role = Qt::UserRole + 1;
    /// The whole row's text (name, address, status), for the filter.
    static constexpr int filter_role = Qt::UserRole + 2;

    explicit DoctorsModel(QObject* parent = nullptr);

    void set_doctors(std::vector<client::DoctorInfo> doctors);
    [[nodiscard]] const client::DoctorInfo* doctor(int row) const;
    /// Shows a status just written without waiting for the next refresh.
    void set_status(const client::Address& doctor, client::DoctorStatus status);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<client::DoctorInfo> doctors_;
};

}  // namespace dossier::desktop
