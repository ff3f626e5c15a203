#pragma once
/// Audit entries of one or more trails as a table (when, patient, who, action, what, transaction),
/// and the quick filters over it (access only, changes only, text). Names were looked up by the
/// worker that loaded the entries: data() never calls the client.
#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QString>
#include <vector>

#include "dossier/client/types.hpp"

namespace dossier::desktop {

struct AuditRow {
    client::AuditEntry entry;
    client::Address patient;
    QString patient_name;
    QString actor_name;
};

/// An entry's kind in words ("Opened", "Approved access", ...).
[[nodiscard]] QString audit_action_text(const std::string& kind);

class AuditModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { when_column, patient_column, who_column, action_column, what_column, tx_column, column_count };
    static constexpr int kind_role = Qt::UserRole + 1;  ///< the entry's kind, as the client names it
    static constexpr int sort_role = Qt::UserRole + 2;

    using QAbstractTableModel::QAbstractTableModel;

    /// Replaces the rows (sorted newest first here).
    void set_rows(std::vector<AuditRow> rows);
    [[nodiscard]] const AuditRow* at(int row) const;

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<AuditRow> rows_;
};

/// Keeps the rows of a kind group and matching a text (any column, any case).
class AuditFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class Show { all, access, changes };
    explicit AuditFilter(QObject* parent = nullptr);
    void set_show(Show show);

protected:
    [[nodiscard]] bool filterAcceptsRow(int source_row, const QModelIndex& source_parent) const override;

private:
    Show show_ = Show::all;
};

}  // namespace dossier::desktop
