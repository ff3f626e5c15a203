#include "records/files_model.hpp"

#include "app/format.hpp"

namespace dossier::desktop {

void FilesModel::set_files(std::vector<FileRow> files) {
    beginResetModel();
    files_ = std::move(files);
    endResetModel();
}

const FileRow* FilesModel::at(int row) const {
    return row >= 0 && row < static_cast<int>(files_.size()) ? &files_[static_cast<std::size_t>(row)] : nullptr;
}

QString FilesModel::display_name(const client::FileListing& file) {
    return file.name ? qstr(*file.name) : tr("File %1").arg(file.index + 1);
}

int FilesModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(files_.size()); }

int FilesModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : column_count; }

QVariant FilesModel::data(const QModelIndex& index, int role) const {
    const FileRow* row = at(index.row());
    if (row == nullptr) return {};
    const auto& f = row->file;
    if (role == Qt::ToolTipRole && index.column() == name_column && !f.error.empty()) return qstr(f.error);
    if (role == Qt::ToolTipRole && index.column() == author_column) return full_address(f.author);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    switch (index.column()) {
        case name_column:
            return f.error.empty() ? display_name(f) : tr("%1 (cannot be opened)").arg(display_name(f));
        case type_column: return f.content_type ? qstr(*f.content_type) : QString();
        case size_column: return f.size ? format_size(*f.size) : QString();
        case author_column: return row->author;
        case when_column: return format_time(f.timestamp);
        default: return {};
    }
}

QVariant FilesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case name_column: return tr("Name");
        case type_column: return tr("Type");
        case size_column: return tr("Size");
        case author_column: return tr("Added by");
        case when_column: return tr("When");
        default: return {};
    }
}

}  // namespace dossier::desktop
