#include "records/records_browser.hpp"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QKeySequence>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include "app/format.hpp"
#include "app/session.hpp"
#include "records/files_panel.hpp"
#include "records/record_editor.hpp"
#include "records/record_form.hpp"
#include "records/records_model.hpp"
#include "records/tab_order.hpp"
#include "records/versions_dialog.hpp"
#include "widgets/empty_state.hpp"
#include "widgets/message_banner.hpp"

namespace dossier::desktop {

namespace {

/// What the worker loads for the selected record: its content, names for the people it mentions,
/// and its files (a failure there does not hide the record).
struct Detail {
    client::Record record;
    QString author;
    ReferenceNames names;
    std::vector<FileRow> files;
    std::optional<Failure> files_failure;
};

bool is_refusal(ErrorCode code) {
    return code == ErrorCode::permission_denied || code == ErrorCode::access_expired || code == ErrorCode::suspended;
}

/// Moving through the timeline with the arrow keys opens a record only once the selection rests:
/// a doctor's every open is recorded in the patient's history.
constexpr int open_delay_ms = 250;

}  // namespace

struct RecordsBrowser::Impl {
    Impl(Session& s, bool w) : session(s), writable(w) {}
    Session& session;
    bool writable;
    client::Address patient;
    std::optional<std::uint32_t> selected_id;
    std::optional<client::Record> shown;  ///< the record in the detail pane
    QPointer<Task> list_task;
    bool refresh_again = false;
    int list_generation = 0, detail_generation = 0;

    MessageBanner* banner = nullptr;
    QWidget* content = nullptr;
    QComboBox* category = nullptr;
    RecordsModel* model = nullptr;
    QTreeView* timeline = nullptr;
    EmptyState* timeline_empty = nullptr;
    QLabel* access_note = nullptr;
    QTextBrowser* detail = nullptr;
    QPushButton* versions = nullptr;
    QPushButton* new_record = nullptr;
    QPushButton* edit = nullptr;
    FilesPanel* files = nullptr;
    QTimer open_timer;
};

RecordsBrowser::RecordsBrowser(Session& session, bool writable, QWidget* parent)
    : QWidget(parent), d_(new Impl(session, writable)) {
    setObjectName(QStringLiteral("recordsBrowser"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    d_->banner = new MessageBanner(this);
    layout->addWidget(d_->banner);
    d_->content = new QWidget(this);
    layout->addWidget(d_->content, 1);
    auto* content_layout = new QVBoxLayout(d_->content);
    content_layout->setContentsMargins(0, 0, 0, 0);

    auto* bar = new QHBoxLayout;
    d_->category = new QComboBox(d_->content);
    d_->category->setObjectName(QStringLiteral("categoryCombo"));
    d_->category->setAccessibleName(tr("Show records of kind"));
    d_->category->addItem(tr("All"), -1);
    const std::pair<QString, client::RecordKind> categories[] = {
        {tr("Conditions"), client::RecordKind::condition},     {tr("Medications"), client::RecordKind::medication},
        {tr("Allergies"), client::RecordKind::allergy},        {tr("Appointments"), client::RecordKind::appointment},
        {tr("Notes"), client::RecordKind::note},               {tr("Files"), client::RecordKind::file}};
    for (const auto& [text, kind] : categories) d_->category->addItem(text, static_cast<int>(kind));
    auto* show_label = new QLabel(tr("S&how:"), d_->content);
    show_label->setBuddy(d_->category);
    bar->addWidget(show_label);
    bar->addWidget(d_->category);
    bar->addStretch(1);
    if (writable) {
        d_->new_record = new QPushButton(tr("&New record\u2026"), d_->content);
        d_->new_record->setObjectName(QStringLiteral("newRecordButton"));
        d_->new_record->setAccessibleName(tr("New record"));
        bar->addWidget(d_->new_record);
        // Ctrl+N anywhere on the page, as in every editor; the button's mnemonic stays Alt+N.
        auto* new_shortcut = new QShortcut(QKeySequence::New, this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
        connect(new_shortcut, &QShortcut::activated, d_->new_record, [button = d_->new_record] {
            if (button->isVisible() && button->isEnabled()) button->click();
        });
        d_->new_record->setToolTip(tr("New record (%1)").arg(QKeySequence(QKeySequence::New).toString(QKeySequence::NativeText)));
        connect(d_->new_record, &QPushButton::clicked, this, [this] {
            auto* editor = new RecordEditor(d_->session, d_->patient, std::nullopt, this);
            editor->setAttribute(Qt::WA_DeleteOnClose);
            connect(editor, &RecordEditor::saved, this, [this](const client::WrittenRecord& written) {
                d_->selected_id = written.record_id;
                refresh();
            });
            editor->open();
        });
    }
    content_layout->addLayout(bar);

    auto* split = new QSplitter(Qt::Horizontal, d_->content);
    d_->model = new RecordsModel(this);
    d_->timeline = new QTreeView(split);
    d_->timeline->setObjectName(QStringLiteral("recordsTimeline"));
    d_->timeline->setAccessibleName(tr("Records, newest first"));
    d_->timeline->setModel(d_->model);
    d_->timeline->setRootIsDecorated(false);
    d_->timeline->setUniformRowHeights(true);
    d_->timeline->setAllColumnsShowFocus(true);
    d_->timeline->setWordWrap(false);
    d_->timeline->setTextElideMode(Qt::ElideMiddle);
    d_->timeline->setSelectionMode(QAbstractItemView::SingleSelection);
    d_->timeline->setSelectionBehavior(QAbstractItemView::SelectRows);
    d_->timeline->header()->setStretchLastSection(false);
    d_->timeline->header()->setSectionResizeMode(RecordsModel::summary_column, QHeaderView::Stretch);
    d_->timeline->header()->setSectionResizeMode(RecordsModel::date_column, QHeaderView::ResizeToContents);
    d_->timeline->header()->setSectionResizeMode(RecordsModel::kind_column, QHeaderView::ResizeToContents);
    d_->timeline->header()->setSectionResizeMode(RecordsModel::version_column, QHeaderView::ResizeToContents);
    // ResizeToContents measures the rows on screen only. By default Qt measures up to 1,000 rows
    // per column, laying out the text of each, and does it again on every reload, selection and
    // relayout: with a 1,000-record patient that blocked the UI thread for 50 to 120 ms each time.
    // The date, kind and version columns hold texts of nearly equal width, so the visible rows
    // give the same widths.
    d_->timeline->header()->setResizeContentsPrecision(0);
    d_->timeline_empty = new EmptyState(d_->timeline, tr("No records yet"));

    auto* right = new QWidget(split);
    auto* right_layout = new QVBoxLayout(right);
    right_layout->setContentsMargins(0, 0, 0, 0);
    d_->access_note = new QLabel(tr("\u2139 Opening a record or a file is recorded in the patient's history."), right);
    d_->access_note->setObjectName(QStringLiteral("accessLoggedNote"));
    d_->access_note->setWordWrap(true);
    right_layout->addWidget(d_->access_note);
    d_->detail = new QTextBrowser(right);
    d_->detail->setObjectName(QStringLiteral("recordDetail"));
    d_->detail->setAccessibleName(tr("Selected record"));
    d_->detail->setOpenLinks(false);  // content comes from records: no link in it is followed
    right_layout->addWidget(d_->detail, 3);
    auto* actions = new QHBoxLayout;
    d_->versions = new QPushButton(tr("&Versions\u2026"), right);
    d_->versions->setObjectName(QStringLiteral("versionsButton"));
    d_->versions->setAccessibleName(tr("Versions of the record"));
    actions->addWidget(d_->versions);
    if (writable) {
        d_->edit = new QPushButton(tr("&Edit\u2026"), right);
        d_->edit->setObjectName(QStringLiteral("editRecordButton"));
        d_->edit->setAccessibleName(tr("Edit the record (saves a new version)"));
        actions->addWidget(d_->edit);
        connect(d_->edit, &QPushButton::clicked, this, [this] {
            if (!d_->shown) return;
            auto* editor = new RecordEditor(d_->session, d_->patient, d_->shown, this);
            editor->setAttribute(Qt::WA_DeleteOnClose);
            connect(editor, &RecordEditor::saved, this, [this] { refresh(); });
            editor->open();
        });
    }
    actions->addStretch(1);
    right_layout->addLayout(actions);
    auto* files_label = new QLabel(tr("Files"), right);
    files_label->setObjectName(QStringLiteral("filesLabel"));
    right_layout->addWidget(files_label);
    d_->files = new FilesPanel(session, *d_->banner, writable, right);
    right_layout->addWidget(d_->files, 2);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    content_layout->addWidget(split, 1);

    chain_tab_order(d_->category, d_->new_record, d_->timeline, d_->detail, d_->versions, d_->edit, d_->files->table(),
                    d_->files->open_button(), d_->files->save_button(), d_->files->attach_button());

    connect(d_->versions, &QPushButton::clicked, this, [this] {
        if (!d_->shown) return;
        auto* dialog = new VersionsDialog(d_->session, d_->patient, d_->shown->info.record_id, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    connect(d_->category, &QComboBox::currentIndexChanged, this, [this] {
        const int kind = d_->category->currentData().toInt();
        d_->model->set_category(kind < 0 ? std::nullopt : std::optional(static_cast<client::RecordKind>(kind)));
        reselect();
    });
    d_->open_timer.setSingleShot(true);
    d_->open_timer.setInterval(open_delay_ms);
    connect(&d_->open_timer, &QTimer::timeout, this, [this] { open_selected(); });
    connect(d_->timeline->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const auto rows = d_->timeline->selectionModel()->selectedRows();
        const auto* listing = rows.isEmpty() ? nullptr : d_->model->at(rows.first().row());
        if (listing == nullptr) return;
        if (d_->selected_id == listing->record_id && d_->shown && d_->shown->info.record_id == listing->record_id) return;
        d_->selected_id = listing->record_id;
        d_->open_timer.start();
    });
    // Enter (or a double click) opens at once.
    connect(d_->timeline, &QTreeView::activated, this, [this] {
        d_->open_timer.stop();
        open_selected();
        d_->detail->setFocus();
    });
    connect(d_->files, &FilesPanel::attached, this, [this] { refresh(); });
    show_detail_placeholder(tr("Select a record to read it."));
}

RecordsBrowser::~RecordsBrowser() { delete d_; }

std::optional<std::uint32_t> RecordsBrowser::selected_record() const {
    return d_->shown ? std::optional(d_->shown->info.record_id) : std::nullopt;
}

void RecordsBrowser::set_patient(const client::Address& patient) {
    if (patient != d_->patient) {
        // A listing of the previous patient still in flight is dropped, never shown for this one.
        if (d_->list_task) d_->list_task->cancel();
        d_->list_task = nullptr;
        d_->refresh_again = false;
        ++d_->list_generation;
        d_->patient = patient;
        d_->selected_id.reset();
        d_->model->set_records({});
        show_detail_placeholder(tr("Select a record to read it."));
    }
    refresh();
}

void RecordsBrowser::refresh() {
    d_->access_note->setVisible(d_->session.role() == client::Role::doctor);
    auto account = d_->session.account();
    if (!account) {
        d_->banner->show_message(MessageBanner::Kind::error, tr("The account is locked. Unlock it to see the records."));
        return;
    }
    // One listing at a time: a refresh asked for meanwhile runs once when it ends.
    if (d_->list_task) {
        d_->refresh_again = true;
        return;
    }
    const auto patient = d_->patient;
    const int generation = ++d_->list_generation;
    if (d_->model->total() == 0) {
        d_->timeline_empty->setText(tr("Loading\u2026"));
        d_->timeline_empty->set_empty(true);
    }
    d_->list_task = run_task(
        this, [account, patient](const TaskIo& io) { return account->list_records(patient, io.progress, io.stop); },
        [this, generation](std::vector<client::RecordListing> records) {
            if (generation != d_->list_generation) return;
            d_->banner->clear();
            d_->content->show();
            const int count = static_cast<int>(records.size());
            d_->model->set_records(std::move(records));
            reselect();
            emit loaded(count);
            again();
        },
        [this, generation](const Failure& failure) {
            if (generation != d_->list_generation) return;
            if (is_refusal(failure.code)) {
                // The page shows the access state instead: nothing of the records stays visible.
                d_->model->set_records({});
                d_->shown.reset();
                d_->selected_id.reset();
                d_->files->set_record(d_->patient, std::nullopt);
                d_->detail->clear();
                d_->banner->clear();
                d_->content->hide();
                emit access_refused(failure);
            } else {
                d_->timeline_empty->set_empty(d_->model->rowCount() == 0);
                d_->timeline_empty->setText(tr("The records could not be loaded."));
                d_->banner->show_failure(failure);
            }
            again();
        });
}

void RecordsBrowser::again() {
    if (std::exchange(d_->refresh_again, false)) QTimer::singleShot(0, this, [this] { refresh(); });
}

void RecordsBrowser::reselect() {
    d_->timeline_empty->setText(d_->model->total() == 0 ? tr("No records yet") : tr("No records of this kind"));
    d_->timeline_empty->set_empty(d_->model->rowCount() == 0);
    const int row = d_->selected_id ? d_->model->row_of(*d_->selected_id) : -1;
    if (row < 0) {
        // Nothing is opened on its own: for a doctor every open is recorded in the patient's history.
        d_->selected_id.reset();
        d_->shown.reset();
        show_detail_placeholder(d_->model->rowCount() == 0 ? QString() : tr("Select a record to read it."));
        return;
    }
    d_->shown.reset();  // the selected record is read again: it may have a new version
    const QModelIndex index = d_->model->index(row, 0);
    d_->timeline->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    d_->timeline->selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
    d_->timeline->scrollTo(index);
    d_->open_timer.stop();
    open_selected();
}

void RecordsBrowser::show_detail_placeholder(const QString& text) {
    d_->detail_generation++;
    d_->detail->setHtml(text.isEmpty() ? QString() : QStringLiteral("<p><i>%1</i></p>").arg(text.toHtmlEscaped()));
    d_->files->set_record(d_->patient, std::nullopt);
    d_->versions->setEnabled(false);
    if (d_->edit) d_->edit->setEnabled(false);
}

void RecordsBrowser::open_selected() {
    const int row = d_->selected_id ? d_->model->row_of(*d_->selected_id) : -1;
    const auto* listing = d_->model->at(row);
    auto account = d_->session.account();
    if (listing == nullptr || !account) return;
    if (!listing->readable) {
        d_->shown.reset();
        show_detail_placeholder(tr("This record cannot be opened: %1").arg(qstr(listing->summary)));
        d_->versions->setEnabled(true);  // who wrote which version is public, even when the content is not
        return;
    }
    auto client = d_->session.client();
    const auto patient = d_->patient;
    const auto id = listing->record_id;
    const int generation = ++d_->detail_generation;
    d_->detail->setHtml(QStringLiteral("<p><i>%1</i></p>").arg(tr("Opening\u2026")));
    d_->files->set_record(patient, id);
    d_->files->set_loading();
    run_task(
        this,
        [account, client, patient, id](const TaskIo&) {
            Detail out;
            out.record = account->show_record(patient, id);
            out.author = qstr(client->display_name(out.record.info.author));
            out.names = name_references(*client, out.record.resource);
            try {
                for (auto& f : account->list_files(patient, id)) {
                    const QString author = qstr(client->display_name(f.author));
                    out.files.push_back({std::move(f), author});
                }
            } catch (...) {
                out.files_failure = current_failure();
            }
            return out;
        },
        [this, generation](Detail detail) {
            if (generation != d_->detail_generation) return;
            d_->detail->setHtml(record_html(detail.record, detail.author, detail.names));
            d_->files->set_files(std::move(detail.files));
            if (detail.files_failure) d_->banner->show_failure(*detail.files_failure);
            d_->versions->setEnabled(true);
            // Files are attached, not typed: a file record has no form to edit.
            if (d_->edit) d_->edit->setEnabled(detail.record.kind != client::RecordKind::file);
            d_->shown = std::move(detail.record);
        },
        [this, generation](const Failure& failure) {
            if (generation != d_->detail_generation) return;
            show_detail_placeholder(tr("This record could not be opened."));
            d_->versions->setEnabled(true);
            d_->banner->show_failure(failure);
        });
}

}  // namespace dossier::desktop
