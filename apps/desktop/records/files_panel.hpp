#pragma once
/// The files of the selected record: a table (`filesTable`), Open (`openFileButton`: fetched into
/// memory and shown in the viewer), Save a copy (`saveFileButton`: written where the person chose,
/// with progress and Cancel) and, for writers, Attach (`attachFileButton`). The browser loads the
/// list with the record and hands it over; errors go to the browser's banner.
#include <QWidget>
#include <optional>
#include <vector>

#include "records/files_model.hpp"

class QPushButton;
class QTableView;

namespace dossier::desktop {

class EmptyState;
class MessageBanner;
class Session;

class FilesPanel : public QWidget {
    Q_OBJECT
public:
    FilesPanel(Session& session, MessageBanner& banner, bool writable, QWidget* parent = nullptr);

    /// The record whose files are shown (none: nothing selected, every button disabled).
    void set_record(const client::Address& patient, std::optional<std::uint32_t> record_id);
    void set_files(std::vector<FileRow> files);
    /// "Loading…" while the browser fetches the list.
    void set_loading();

    [[nodiscard]] QTableView* table() const { return table_; }
    [[nodiscard]] QPushButton* open_button() const { return open_; }
    [[nodiscard]] QPushButton* save_button() const { return save_; }
    [[nodiscard]] QPushButton* attach_button() const { return attach_; }

signals:
    /// A file was attached (the browser reloads).
    void attached();
    /// A viewer opened (tests reach it here).
    void viewer_opened(QWidget* viewer);

private:
    [[nodiscard]] const FileRow* selected() const;
    void update_buttons();
    void open_file();
    void save_file();
    void attach_file();
    /// Attaches the file at `path` to the selected record (the Attach button's choice or a drop).
    void attach_path(const QString& path);

protected:
    // A file dropped on the panel (its table included) is attached, as the Attach button does.
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:

    Session& session_;
    MessageBanner& banner_;
    client::Address patient_;
    std::optional<std::uint32_t> record_id_;
    FilesModel* model_;
    QTableView* table_;
    EmptyState* empty_;
    QPushButton* open_;
    QPushButton* save_;
    QPushButton* attach_ = nullptr;
    bool busy_ = false;
};

}  // namespace dossier::desktop
