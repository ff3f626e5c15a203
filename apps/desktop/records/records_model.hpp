#pragma once
/// A patient's records as a timeline: newest first, one row per record (its latest version), with
/// a category filter. It holds values the worker loaded; data() never calls the client.
#include <QAbstractTableModel>
#include <optional>
#include <vector>

#include "dossier/client/types.hpp"

namespace dossier::desktop {

class RecordsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { date_column, kind_column, summary_column, version_column, column_count };
    /// The record id of a row, for keeping the selection across reloads.
    static constexpr int record_id_role = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;

    /// Replaces every record (sorted newest first here).
    void set_records(std::vector<client::RecordListing> records);
    /// Shows only `kind` (none: all). RecordKind::file also keeps records with attachments.
    void set_category(std::optional<client::RecordKind> kind);

    [[nodiscard]] int total() const noexcept { return static_cast<int>(all_.size()); }
    [[nodiscard]] const client::RecordListing* at(int row) const;
    /// The row showing `record_id`, or -1.
    [[nodiscard]] int row_of(std::uint32_t record_id) const;

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void apply_filter();

    std::vector<client::RecordListing> all_;
    std::vector<int> shown_;  ///< indexes into all_
    std::optional<client::RecordKind> category_;
};

}  // namespace dossier::desktop
