#include "records/files_panel.hpp"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMimeData>
#include <QUrl>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableView>
#include <QVBoxLayout>

#include "app/format.hpp"
#include "app/session.hpp"
#include "app/task.hpp"
#include "records/file_fetch.hpp"
#include "records/file_viewer.hpp"
#include "records/tab_order.hpp"
#include "widgets/dialogs.hpp"
#include "widgets/empty_state.hpp"
#include "widgets/message_banner.hpp"
#include "widgets/task_progress.hpp"

namespace dossier::desktop {

namespace {

/// Files above this size are not read into memory for viewing; Save a copy streams them instead.
constexpr std::uint64_t max_view_bytes = 256ull * 1024 * 1024;

QPushButton* button(QWidget* parent, const QString& text, const char* name, const QString& accessible) {
    auto* b = new QPushButton(text, parent);
    b->setObjectName(QLatin1String(name));
    b->setAccessibleName(accessible);
    return b;
}

}  // namespace

FilesPanel::FilesPanel(Session& session, MessageBanner& banner, bool writable, QWidget* parent)
    : QWidget(parent), session_(session), banner_(banner), model_(new FilesModel(this)) {
    setObjectName(QStringLiteral("filesPanel"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    table_ = new QTableView(this);
    table_->setObjectName(QStringLiteral("filesTable"));
    table_->setAccessibleName(tr("Attached files"));
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setWordWrap(false);
    table_->setTextElideMode(Qt::ElideMiddle);  // names and addresses keep both ends
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->horizontalHeader()->setSectionResizeMode(FilesModel::name_column, QHeaderView::Stretch);
    table_->setTabKeyNavigation(false);
    empty_ = new EmptyState(table_, tr("No files"));
    layout->addWidget(table_, 1);

    auto* row = new QHBoxLayout;
    open_ = button(this, tr("&Open"), "openFileButton", tr("Open the selected file"));
    save_ = button(this, tr("Sa&ve a copy\u2026"), "saveFileButton", tr("Save a decrypted copy of the selected file"));
    save_->setToolTip(tr("Writes the decrypted file to disk, where anyone who can read the disk can read it."));
    row->addWidget(open_);
    row->addWidget(save_);
    if (writable) {
        attach_ = button(this, tr("A&ttach file\u2026"), "attachFileButton", tr("Attach a file to the record"));
        row->addWidget(attach_);
        connect(attach_, &QPushButton::clicked, this, &FilesPanel::attach_file);
        setAcceptDrops(true);
        attach_->setToolTip(tr("Or drop a file here"));
    }
    row->addStretch(1);
    layout->addLayout(row);
    chain_tab_order(table_, open_, save_, attach_);

    connect(open_, &QPushButton::clicked, this, &FilesPanel::open_file);
    connect(save_, &QPushButton::clicked, this, &FilesPanel::save_file);
    connect(table_, &QTableView::activated, this, &FilesPanel::open_file);  // Enter or double-click opens
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &FilesPanel::update_buttons);
    update_buttons();
}

void FilesPanel::set_record(const client::Address& patient, std::optional<std::uint32_t> record_id) {
    patient_ = patient;
    record_id_ = record_id;
    set_files({});
}

void FilesPanel::set_loading() {
    model_->set_files({});
    empty_->setText(tr("Loading\u2026"));
    empty_->set_empty(true);
    update_buttons();
}

void FilesPanel::set_files(std::vector<FileRow> files) {
    model_->set_files(std::move(files));
    empty_->setText(record_id_ ? tr("No files") : tr("Select a record to see its files"));
    empty_->set_empty(model_->rowCount() == 0);
    if (model_->rowCount() > 0) table_->selectRow(0);
    update_buttons();
}

const FileRow* FilesPanel::selected() const {
    const auto rows = table_->selectionModel()->selectedRows();
    return rows.isEmpty() ? nullptr : model_->at(rows.first().row());
}

void FilesPanel::update_buttons() {
    const FileRow* row = selected();
    const bool openable = row != nullptr && row->file.error.empty() && !busy_;
    open_->setEnabled(openable);
    save_->setEnabled(openable);
    if (attach_) attach_->setEnabled(record_id_.has_value() && !busy_);
}

void FilesPanel::open_file() {
    const FileRow* row = selected();
    auto account = session_.account();
    if (row == nullptr || !account || busy_) return;
    if (row->file.size && *row->file.size > max_view_bytes) {
        banner_.show_message(MessageBanner::Kind::info,
                             tr("%1 is %2: too large to show here. Save a copy to open it with another program.")
                                 .arg(FilesModel::display_name(row->file), format_size(*row->file.size)));
        return;
    }
    const auto file = row->file;
    const auto patient = patient_;
    busy_ = true;
    update_buttons();
    auto* task = run_task(
        this, [account, patient, file](const TaskIo& io) { return fetch_into_memory(*account, patient, file, io); },
        [this](FetchedBytes bytes) {
            busy_ = false;
            update_buttons();
            auto* viewer = new DocumentViewer(std::move(bytes), window());
            viewer->setAttribute(Qt::WA_DeleteOnClose);
            emit viewer_opened(viewer);
            viewer->show();
        },
        [this](const Failure& failure) {
            busy_ = false;
            update_buttons();
            banner_.show_failure(failure);
        });
    show_progress(task, window(), tr("Opening %1").arg(FilesModel::display_name(file)));
}

void FilesPanel::save_file() {
    const FileRow* row = selected();
    auto account = session_.account();
    if (row == nullptr || !account || busy_) return;
    const auto file = row->file;
    const QString name = FilesModel::display_name(file);
    // The chooser asks before replacing an existing file; overwrite=true then only carries out that answer.
    const QString path = choose_save_file(window(), tr("Save a decrypted copy of %1").arg(name), name);
    if (path.isEmpty()) return;
    const auto patient = patient_;
    busy_ = true;
    update_buttons();
    auto* task = run_task(
        this,
        [account, patient, file, destination = path.toStdString()](const TaskIo& io) {
            return account->fetch_file(patient, file.record_id, file.index, destination, true, io.progress, io.stop);
        },
        [this, name](const client::FetchedFile& fetched) {
            busy_ = false;
            update_buttons();
            banner_.show_message(MessageBanner::Kind::success,
                                 tr("Saved a decrypted copy of %1 (%2) to %3.")
                                     .arg(name, format_size(fetched.size), qstr(fetched.path.string())));
        },
        [this](const Failure& failure) {
            busy_ = false;
            update_buttons();
            banner_.show_failure(failure);
        });
    show_progress(task, window(), tr("Saving %1").arg(name));
}

void FilesPanel::attach_file() {
    auto account = session_.account();
    if (!record_id_ || !account || busy_) return;
    const QString path = choose_open_file(window(), tr("Attach a file"));
    if (!path.isEmpty()) attach_path(path);
}

namespace {
/// The one local file a drag carries, or empty (several files, a folder, a web link).
QString dropped_file(const QMimeData* mime) {
    if (!mime || !mime->hasUrls() || mime->urls().size() != 1) return {};
    const QUrl url = mime->urls().front();
    if (!url.isLocalFile()) return {};
    const QFileInfo info(url.toLocalFile());
    return info.isFile() ? info.absoluteFilePath() : QString();
}
}  // namespace

void FilesPanel::dragEnterEvent(QDragEnterEvent* event) {
    if (attach_ && attach_->isEnabled() && !dropped_file(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void FilesPanel::dropEvent(QDropEvent* event) {
    const QString path = dropped_file(event->mimeData());
    if (path.isEmpty() || !attach_ || !attach_->isEnabled()) return;
    event->acceptProposedAction();
    attach_path(path);
}

void FilesPanel::attach_path(const QString& path) {
    auto account = session_.account();
    if (!record_id_ || !account || busy_) return;
    client::AttachRequest request;
    request.record_id = record_id_;
    request.path = path.toStdString();
    const QString name = QFileInfo(path).fileName();
    const auto patient = patient_;
    busy_ = true;
    update_buttons();
    auto* task = run_task(
        this,
        [account, patient, request](const TaskIo& io) {
            return account->attach_file(patient, request, io.progress, io.stop);
        },
        [this](const client::AttachedFile& added) {
            busy_ = false;
            update_buttons();
            banner_.show_message(MessageBanner::Kind::success,
                                 tr("Attached %1 (%2).").arg(qstr(added.name), format_size(added.size)));
            session_.notify_changed();
            emit attached();
        },
        [this, name](const Failure& failure) {
            busy_ = false;
            update_buttons();
            if (failure.code != ErrorCode::cancelled) {
                banner_.show_failure(failure);
                return;
            }
            // A cancel before sending leaves nothing; after sending, the transaction may still be mined.
            static const QRegularExpression tx(QStringLiteral("0x[0-9a-fA-F]{64}"));
            const auto match = tx.match(failure.detail);
            if (match.hasMatch()) {
                banner_.show_message(MessageBanner::Kind::warning,
                                     tr("Cancelled, but %1 was already sent (transaction %2): it may still be "
                                        "confirmed and appear here.")
                                         .arg(name, match.captured(0)));
                session_.notify_changed();
            } else {
                banner_.show_message(MessageBanner::Kind::info, tr("Cancelled. Nothing was added."));
            }
        });
    show_progress(task, window(), tr("Attaching %1").arg(name));
}

}  // namespace dossier::desktop
