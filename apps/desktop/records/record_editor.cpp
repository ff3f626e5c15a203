#include "records/record_editor.hpp"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "app/format.hpp"
#include "app/session.hpp"
#include "app/task.hpp"
#include "records/record_form.hpp"
#include "records/tab_order.hpp"
#include "widgets/dialogs.hpp"
#include "widgets/message_banner.hpp"
#include "widgets/task_progress.hpp"

namespace dossier::desktop {

namespace {

using client::RecordKind;

/// What a save came back with: the written version, or the newer version that refused it.
struct SaveOutcome {
    std::optional<client::WrittenRecord> written;
    std::optional<client::RecordVersion> newer;
    QString newer_author;
};

QLineEdit* line(QWidget* parent, const char* name, const QString& accessible) {
    auto* e = new QLineEdit(parent);
    e->setObjectName(QLatin1String(name));
    e->setAccessibleName(accessible);
    return e;
}

QString draft_text(const client::RecordFields& f) {
    QStringList lines;
    const auto put = [&lines](const QString& label, const std::string& v) {
        if (!v.empty()) lines << label + QStringLiteral(": ") + qstr(v);
    };
    put(QObject::tr("Title"), f.title);
    put(QObject::tr("Code"), f.code);
    put(QObject::tr("Status"), f.status);
    put(QObject::tr("Start"), f.start);
    put(QObject::tr("End"), f.end);
    put(QObject::tr("Dosage"), f.dosage);
    put(QObject::tr("Criticality"), f.criticality);
    put(QObject::tr("Reaction"), f.reaction);
    put(QObject::tr("Text"), f.text);
    return lines.join(QLatin1Char('\n'));
}

}  // namespace

RecordEditor::RecordEditor(Session& session, const client::Address& patient, std::optional<client::Record> base,
                           QWidget* parent)
    : QDialog(parent), session_(session), patient_(patient), base_(std::move(base)) {
    setObjectName(QStringLiteral("recordEditor"));
    setWindowTitle(base_ ? tr("Edit record") : tr("New record"));
    setAccessibleName(windowTitle());
    build();
    if (base_) load(*base_);
    show_kind_rows();
    dirty_ = false;
}

void RecordEditor::build() {
    auto* layout = new QVBoxLayout(this);
    banner_ = new MessageBanner(this);
    layout->addWidget(banner_);
    form_ = new QFormLayout;
    layout->addLayout(form_);

    kind_ = new QComboBox(this);
    kind_->setObjectName(QStringLiteral("recordKindCombo"));
    for (auto k : {RecordKind::condition, RecordKind::medication, RecordKind::allergy, RecordKind::appointment,
                   RecordKind::note})
        kind_->addItem(kind_text(k), static_cast<int>(k));
    form_->addRow(tr("&Kind:"), kind_);
    base_label_ = new QLabel(this);
    base_label_->setObjectName(QStringLiteral("baseVersionLabel"));
    form_->addRow(base_label_);

    title_ = line(this, "recordTitleEdit", tr("Title"));
    form_->addRow(tr("&Title:"), title_);
    code_ = line(this, "recordCodeEdit", tr("Code"));
    code_label_ = new QLabel(this);
    code_label_->setBuddy(code_);
    form_->addRow(code_label_, code_);
    status_ = line(this, "recordStatusEdit", tr("Status"));
    form_->addRow(tr("&Status:"), status_);
    start_ = line(this, "recordStartEdit", tr("Start"));
    start_->setPlaceholderText(tr("e.g. 2026-06-12 or 2026-06-12T09:30:00Z"));
    form_->addRow(tr("St&art:"), start_);
    end_ = line(this, "recordEndEdit", tr("End"));
    end_->setPlaceholderText(start_->placeholderText());
    form_->addRow(tr("&End:"), end_);
    dosage_ = line(this, "recordDosageEdit", tr("Dosage"));
    form_->addRow(tr("&Dosage:"), dosage_);
    criticality_ = new QComboBox(this);
    criticality_->setObjectName(QStringLiteral("recordCriticalityCombo"));
    criticality_->setAccessibleName(tr("Criticality"));
    // The values client::RecordFields::criticality accepts; empty: not stated.
    criticality_->addItem(tr("Not stated"), QString());
    criticality_->addItem(tr("Low"), QStringLiteral("low"));
    criticality_->addItem(tr("High"), QStringLiteral("high"));
    criticality_->addItem(tr("Unable to assess"), QStringLiteral("unable-to-assess"));
    form_->addRow(tr("&Criticality:"), criticality_);
    reaction_ = line(this, "recordReactionEdit", tr("Reaction"));
    form_->addRow(tr("&Reaction:"), reaction_);
    text_ = new QPlainTextEdit(this);
    text_->setObjectName(QStringLiteral("recordTextEdit"));
    text_->setTabChangesFocus(true);  // Tab leaves the field: the form stays keyboard-navigable
    text_label_ = new QLabel(this);
    text_label_->setBuddy(text_);
    form_->addRow(text_label_, text_);

    draft_view_ = new QPlainTextEdit(this);
    draft_view_->setObjectName(QStringLiteral("draftText"));
    draft_view_->setReadOnly(true);
    draft_view_->setTabChangesFocus(true);
    draft_view_->setAccessibleName(tr("Your unsaved draft"));
    draft_view_->setMaximumHeight(120);
    restore_ = new QPushButton(tr("Use my &draft again"), this);
    restore_->setObjectName(QStringLiteral("restoreDraftButton"));
    restore_->setAccessibleName(tr("Put my draft back into the form"));
    form_->addRow(tr("Your draft:"), draft_view_);
    form_->addRow(QString(), restore_);
    form_->setRowVisible(draft_view_, false);
    form_->setRowVisible(restore_, false);
    connect(restore_, &QPushButton::clicked, this, [this] {
        if (draft_) set_fields(*draft_);
        dirty_ = true;
    });

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    save_ = buttons->addButton(base_ ? tr("&Save as v%1").arg(base_->latest_version + 1) : tr("&Save"),
                               QDialogButtonBox::AcceptRole);
    save_->setObjectName(QStringLiteral("saveRecordButton"));
    save_->setAccessibleName(tr("Save record"));
    save_->setDefault(true);
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelRecordButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &RecordEditor::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &RecordEditor::reject);
    layout->addWidget(buttons);

    connect(kind_, &QComboBox::currentIndexChanged, this, [this] { show_kind_rows(); });
    for (auto* e : {title_, code_, status_, start_, end_, dosage_, reaction_})
        connect(e, &QLineEdit::textEdited, this, [this] { dirty_ = true; });
    connect(text_, &QPlainTextEdit::textChanged, this, [this] { dirty_ = true; });
    connect(criticality_, &QComboBox::activated, this, [this] { dirty_ = true; });
    chain_tab_order(kind_, title_, code_, status_, start_, end_, dosage_, criticality_, reaction_, text_, draft_view_,
                 restore_, save_, buttons->button(QDialogButtonBox::Cancel));
}

void RecordEditor::show_kind_rows() {
    const auto k = kind();
    // Which fields each kind takes is client::RecordFields' documented mapping.
    const bool cond = k == RecordKind::condition, med = k == RecordKind::medication, all = k == RecordKind::allergy,
               app = k == RecordKind::appointment, note = k == RecordKind::note;
    code_label_->setText(cond ? tr("&Diagnosis:") : med ? tr("&Medication and strength:") : tr("Su&bstance:"));
    code_->setAccessibleName(code_label_->text().remove(QLatin1Char('&')).remove(QLatin1Char(':')));
    text_label_->setText(note ? tr("&Text:") : app ? tr("Descri&ption:") : tr("N&ote:"));
    text_->setAccessibleName(text_label_->text().remove(QLatin1Char('&')).remove(QLatin1Char(':')));
    form_->setRowVisible(title_, note);
    form_->setRowVisible(code_, cond || med || all);
    form_->setRowVisible(status_, !note);
    form_->setRowVisible(start_, cond || med || app);
    form_->setRowVisible(end_, med || app);
    form_->setRowVisible(dosage_, med);
    form_->setRowVisible(criticality_, all);
    form_->setRowVisible(reaction_, all);
    form_->setRowVisible(text_, cond || app || note);
}

RecordKind RecordEditor::kind() const { return static_cast<RecordKind>(kind_->currentData().toInt()); }

std::optional<std::uint32_t> RecordEditor::base_version() const {
    return base_ ? std::optional<std::uint32_t>(base_->info.version) : std::nullopt;
}

client::RecordFields RecordEditor::fields() const {
    // Only the rows shown for the kind are sent: a field typed under another kind is not data.
    const auto k = kind();
    const auto get = [this](QWidget* w, const QString& v) { return form_->isRowVisible(w) ? v.trimmed().toStdString() : std::string(); };
    client::RecordFields f;
    f.title = get(title_, title_->text());
    f.code = get(code_, code_->text());
    f.status = get(status_, status_->text());
    f.start = get(start_, start_->text());
    f.end = get(end_, end_->text());
    f.dosage = get(dosage_, dosage_->text());
    f.criticality = k == RecordKind::allergy ? criticality_->currentData().toString().toStdString() : std::string();
    f.reaction = get(reaction_, reaction_->text());
    f.text = form_->isRowVisible(text_) ? text_->toPlainText().toStdString() : std::string();
    return f;
}

void RecordEditor::set_fields(const client::RecordFields& f) {
    title_->setText(qstr(f.title));
    code_->setText(qstr(f.code));
    status_->setText(qstr(f.status));
    start_->setText(qstr(f.start));
    end_->setText(qstr(f.end));
    dosage_->setText(qstr(f.dosage));
    const int c = criticality_->findData(qstr(f.criticality));
    criticality_->setCurrentIndex(c < 0 ? 0 : c);
    reaction_->setText(qstr(f.reaction));
    text_->setPlainText(qstr(f.text));
}

void RecordEditor::load(const client::Record& record) {
    base_ = record;
    const int k = kind_->findData(static_cast<int>(record.kind));
    if (k >= 0) kind_->setCurrentIndex(k);
    kind_->setEnabled(false);  // a new version keeps its record's kind
    base_label_->setText(tr("Base version: v%1").arg(record.info.version));
    base_label_->setAccessibleName(base_label_->text());
    save_->setText(tr("&Save as v%1").arg(record.latest_version + 1));
    set_fields(fields_of(record.resource));
    dirty_ = false;
}

void RecordEditor::set_busy(bool busy) {
    save_->setEnabled(!busy);
    for (auto* w : std::initializer_list<QWidget*>{title_, code_, status_, start_, end_, dosage_, criticality_,
                                                   reaction_, text_, restore_})
        w->setEnabled(!busy);
    kind_->setEnabled(!busy && !base_);
}

void RecordEditor::save() {
    auto account = session_.account();
    if (!account) {
        banner_->show_message(MessageBanner::Kind::error, tr("The account is locked. Unlock it to save; the form is kept."));
        return;
    }
    client::RecordContent content;
    content.kind = kind();
    content.fields = fields();
    const auto patient = patient_;
    const auto record_id = base_ ? std::optional<std::uint32_t>(base_->info.record_id) : std::nullopt;
    const auto expected = base_version();
    auto client = session_.client();
    set_busy(true);
    banner_->clear();
    auto* task = run_task(
        this,
        [account, client, patient, record_id, expected, content](const TaskIo& io) {
            SaveOutcome out;
            if (!record_id) {
                out.written = account->add_record(patient, content, io.stop);
                return out;
            }
            try {
                out.written = account->update_record(patient, *record_id, content, expected, io.stop);
            } catch (const Error& e) {
                if (e.code() != ErrorCode::conflict) throw;
                // Who saved the newer version, so that the question names them.
                for (const auto& v : client->record_history(patient, *record_id))
                    if (!out.newer || v.version > out.newer->version) out.newer = v;
                if (out.newer) out.newer_author = qstr(client->display_name(out.newer->author));
                else throw;
            }
            return out;
        },
        [this](SaveOutcome out) {
            set_busy(false);
            if (out.newer) {
                on_conflict(*out.newer, out.newer_author);
                return;
            }
            dirty_ = false;
            session_.notify_changed();
            emit saved(*out.written);
            accept();
        },
        [this](const Failure& failure) {
            set_busy(false);
            banner_->show_failure(failure);
        });
    show_progress(task, this, tr("Saving the record"));
}

void RecordEditor::on_conflict(const client::RecordVersion& newer, const QString& author) {
    const QString question = tr("A newer version (v%1) was saved by %2 on %3 while you were editing. Your changes "
                                "were not saved. Reload it? Your draft stays available to copy from.")
                                 .arg(newer.version)
                                 .arg(author, format_time(newer.timestamp));
    if (confirm(this, tr("Someone else saved first"), question, tr("&Reload"))) {
        reload();
    } else {
        banner_->show_message(MessageBanner::Kind::warning,
                              tr("Not saved: v%1 by %2 is newer than the version you edited. Reload it before "
                                 "saving; nothing was overwritten.")
                                  .arg(newer.version)
                                  .arg(author));
    }
}

void RecordEditor::reload() {
    auto account = session_.account();
    if (!account || !base_) return;
    draft_ = fields();
    const auto patient = patient_;
    const auto id = base_->info.record_id;
    set_busy(true);
    run_task(
        this, [account, patient, id](const TaskIo&) { return account->show_record(patient, id); },
        [this](client::Record record) {
            set_busy(false);
            load(record);
            draft_view_->setPlainText(draft_text(*draft_));
            form_->setRowVisible(draft_view_, true);
            form_->setRowVisible(restore_, true);
            banner_->show_message(MessageBanner::Kind::info,
                                  tr("Reloaded v%1. Your draft is shown below; use it again to save it as v%2.")
                                      .arg(record.info.version)
                                      .arg(record.latest_version + 1));
        },
        [this](const Failure& failure) {
            set_busy(false);
            banner_->show_failure(failure);
        });
}

void RecordEditor::reject() {
    if (dirty_ && !confirm(this, tr("Discard changes?"), tr("The changes in this form have not been saved. Discard them?"),
                           tr("&Discard")))
        return;
    QDialog::reject();
}

}  // namespace dossier::desktop
