#pragma once
/// The files attached to a record (name, type, size, added by, when), from values a worker loaded
/// (the authors' display names included: data() never calls the client).
#include <QAbstractTableModel>
#include <QString>
#include <vector>

#include "dossier/client/types.hpp"

namespace dossier::desktop {

struct FileRow {
    client::FileListing file;
    QString author;  ///< Client::display_name of file.author
};

class FilesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { name_column, type_column, size_column, author_column, when_column, column_count };
    using QAbstractTableModel::QAbstractTableModel;

    void set_files(std::vector<FileRow> files);
    [[nodiscard]] const FileRow* at(int row) const;
    /// The name a person knows the file by ("file 2" when its description could not be opened).
    [[nodiscard]] static QString display_name(const client::FileListing& file);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<FileRow> files_;
};

}  // namespace dossier::desktop
