#include "records/export_dialog.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTimer>
#include <QVBoxLayout>

#include "app/error_text.hpp"
#include "app/format.hpp"
#include "app/session.hpp"
#include "app/task.hpp"
#include "dossier/client/fhir_io.hpp"
#include "records/tab_order.hpp"
#include "widgets/dialogs.hpp"
#include "widgets/message_banner.hpp"
#include "widgets/task_progress.hpp"

namespace dossier::desktop {

namespace {

using client::ExportFormat;

/// The end of a suggested file name per format: people tell the files apart by it.
QString suffix_of(ExportFormat format) {
    switch (format) {
        case ExportFormat::pdf: return QStringLiteral("-summary.pdf");
        case ExportFormat::ips: return QStringLiteral("-ips.json");
        case ExportFormat::ndjson: return QStringLiteral("-fhir.ndjson");
        case ExportFormat::bundle: break;
    }
    return QStringLiteral("-fhir.json");
}

QString filter_of(ExportFormat format) {
    return format == ExportFormat::pdf ? QObject::tr("PDF (*.pdf)") : QObject::tr("FHIR JSON (*.json)");
}

/// "Alice-Liddell" from "Alice Liddell": a file name without spaces or path characters.
QString file_stem(const QString& name) {
    QString stem = name;
    stem.replace(QRegularExpression(QStringLiteral("[^\\w.]+")), QStringLiteral("-"));
    stem = stem.left(40);
    while (stem.endsWith(QLatin1Char('-'))) stem.chop(1);
    while (stem.startsWith(QLatin1Char('-'))) stem.remove(0, 1);
    return stem.isEmpty() ? QStringLiteral("patient") : stem;
}

QPushButton* browse_button(QWidget* parent, const char* name, const QString& accessible) {
    auto* button = new QPushButton(QObject::tr("Choose\u2026"), parent);
    button->setObjectName(QLatin1String(name));
    button->setAccessibleName(accessible);
    return button;
}

}  // namespace

ExportDialog::ExportDialog(Session& session, const client::Address& patient, const QString& patient_name,
                           QWidget* parent)
    : QDialog(parent),
      session_(session),
      patient_(patient),
      patient_name_(patient_name),
      warning_(new MessageBanner(this)),
      banner_(new MessageBanner(this)),
      form_(new QWidget(this)),
      format_(new QComboBox(form_)),
      file_(new QLineEdit(form_)),
      file_button_(browse_button(form_, "exportFileButton", tr("Choose the file to write"))),
      files_check_(new QCheckBox(tr("Write attached &files into a folder instead of inside the bundle:"), form_)),
      files_dir_(new QLineEdit(form_)),
      files_dir_button_(browse_button(form_, "exportFilesDirButton", tr("Choose the folder for attached files"))),
      progress_(new InlineProgress(this)),
      export_(new QPushButton(tr("E&xport"), this)),
      close_(new QPushButton(tr("Cancel"), this)) {
    setObjectName(QStringLiteral("exportDialog"));
    setWindowTitle(patient_name.isEmpty() ? tr("Export my records") : tr("Export the records of %1").arg(patient_name));
    setAccessibleName(windowTitle());
    setModal(true);

    // Said before anything is chosen, in the app's warning style: the one thing an export changes
    // is who can read the record.
    warning_->setObjectName(QStringLiteral("exportWarning"));
    QString warning = tr("The export is decrypted: anyone who can open the file can read these records. It is "
                         "written only where you choose below (readable by your user only); keep it as carefully "
                         "as the record itself.");
    if (session_.role() == client::Role::doctor)
        warning += QLatin1Char(' ') + tr("Exporting is recorded in the patient's audit trail: %1 will see that you "
                                         "exported the records, and when.")
                                          .arg(patient_name);
    warning_->show_message(MessageBanner::Kind::warning, warning);
    banner_->setObjectName(QStringLiteral("exportBanner"));

    format_->setObjectName(QStringLiteral("exportFormatCombo"));
    format_->addItem(tr("FHIR Bundle (JSON, for another EHR)"), static_cast<int>(ExportFormat::bundle));
    format_->addItem(tr("International Patient Summary (FHIR JSON)"), static_cast<int>(ExportFormat::ips));
    format_->addItem(tr("PDF summary (to read or print)"), static_cast<int>(ExportFormat::pdf));
    file_->setObjectName(QStringLiteral("exportFileEdit"));
    const QString stem = patient_name.isEmpty() ? QStringLiteral("my-records") : file_stem(patient_name);
    file_->setText(QDir::home().filePath(stem + suffix_of(ExportFormat::bundle)));
    files_check_->setObjectName(QStringLiteral("exportFilesCheck"));
    files_dir_->setObjectName(QStringLiteral("exportFilesDirEdit"));
    files_dir_->setAccessibleName(tr("Folder for attached files"));
    files_dir_->setPlaceholderText(tr("a folder beside the file, e.g. %1")
                                       .arg(QDir::home().filePath(stem + QStringLiteral("-files"))));

    auto* file_row = new QHBoxLayout;
    file_row->addWidget(file_, 1);
    file_row->addWidget(file_button_);
    auto* dir_row = new QHBoxLayout;
    dir_row->addWidget(files_dir_, 1);
    dir_row->addWidget(files_dir_button_);
    auto* form = new QFormLayout(form_);
    form->setContentsMargins(0, 0, 0, 0);
    auto* format_label = new QLabel(tr("&Format:"), form_);
    format_label->setBuddy(format_);
    form->addRow(format_label, format_);
    auto* file_label = new QLabel(tr("&Save to:"), form_);
    file_label->setBuddy(file_);
    form->addRow(file_label, file_row);
    form->addRow(files_check_);
    form->addRow(QString(), dir_row);

    progress_->hide();
    export_->setObjectName(QStringLiteral("startExportButton"));
    export_->setDefault(true);
    close_->setObjectName(QStringLiteral("exportCloseButton"));
    auto* buttons = new QDialogButtonBox(this);
    buttons->addButton(export_, QDialogButtonBox::ActionRole);
    buttons->addButton(close_, QDialogButtonBox::RejectRole);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(warning_);
    layout->addWidget(form_);
    layout->addWidget(progress_);
    layout->addWidget(banner_);
    layout->addStretch(1);
    layout->addWidget(buttons);
    chain_tab_order(format_, file_, file_button_, files_check_, files_dir_, files_dir_button_, export_, close_);
    resize(680, sizeHint().height());  // as tall as the form: the outcome adds its lines later

    connect(format_, &QComboBox::currentIndexChanged, this, &ExportDialog::format_changed);
    connect(file_, &QLineEdit::textChanged, this, &ExportDialog::update_buttons);
    connect(files_check_, &QCheckBox::toggled, this, &ExportDialog::update_buttons);
    connect(files_dir_, &QLineEdit::textChanged, this, &ExportDialog::update_buttons);
    connect(file_button_, &QPushButton::clicked, this, &ExportDialog::choose_file);
    connect(files_dir_button_, &QPushButton::clicked, this, &ExportDialog::choose_folder);
    connect(export_, &QPushButton::clicked, this, &ExportDialog::start);
    connect(close_, &QPushButton::clicked, this, &ExportDialog::reject);
    update_buttons();
}

void ExportDialog::format_changed() {
    const auto format = static_cast<ExportFormat>(format_->currentData().toInt());
    // The file name follows the format when it still ends as one of ours ("-fhir.json" ->
    // "-summary.pdf"); a name the person typed otherwise is left alone.
    QString path = file_->text();
    for (const auto f : {ExportFormat::bundle, ExportFormat::ips, ExportFormat::pdf}) {
        if (path.endsWith(suffix_of(f))) {
            path.chop(suffix_of(f).size());
            file_->setText(path + suffix_of(format));
            break;
        }
    }
    update_buttons();
}

void ExportDialog::update_buttons() {
    const bool bundle = static_cast<ExportFormat>(format_->currentData().toInt()) == ExportFormat::bundle;
    // Only a Bundle can point at files beside it; the summaries describe the files by name.
    files_check_->setEnabled(bundle);
    files_dir_->setEnabled(bundle && files_check_->isChecked());
    files_dir_button_->setEnabled(bundle && files_check_->isChecked());
    const bool folder_ok = !files_dir_->isEnabled() || !files_dir_->text().trimmed().isEmpty();
    export_->setEnabled(!task_ && !file_->text().trimmed().isEmpty() && folder_ok);
}

void ExportDialog::choose_file() {
    const auto format = static_cast<ExportFormat>(format_->currentData().toInt());
    const QString path = choose_save_file(this, tr("Export to"), file_->text(), filter_of(format));
    if (path.isEmpty()) return;
    file_->setText(path);
    replace_confirmed_ = QFileInfo(path).absoluteFilePath();
}

void ExportDialog::choose_folder() {
    const QString path = choose_directory(this, tr("Folder for the attached files"));
    if (!path.isEmpty()) files_dir_->setText(path);
}

void ExportDialog::set_busy(bool busy) {
    form_->setEnabled(!busy);
    close_->setText(busy ? tr("Cancel") : tr("Close"));
    close_->setEnabled(true);
    update_buttons();
    fit_height();
}

void ExportDialog::fit_height() {
    // The progress and the outcome's wrapped sentence appear after the dialog was sized; a window
    // does not grow for a word-wrapped label on its own (its minimum ignores height-for-width),
    // and the form's rows were squeezed instead. Once the new texts are laid out, grow to fit.
    QTimer::singleShot(0, this, [this] {
        layout()->activate();
        const int wanted =
            layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width()) : layout()->totalSizeHint().height();
        if (height() < wanted) resize(width(), wanted);
    });
}

void ExportDialog::reject() {
    if (task_) {
        task_->cancel();
        close_->setEnabled(false);
        close_->setText(tr("Cancelling\u2026"));
        return;
    }
    QDialog::reject();
}

void ExportDialog::start() {
    auto account = session_.account();
    if (!account) {
        banner_->show_message(MessageBanner::Kind::error, tr("The account is locked. Unlock it to export."));
        fit_height();
        return;
    }
    const QString out = QFileInfo(file_->text().trimmed()).absoluteFilePath();
    client::ExportOptions options;
    options.patient = patient_;
    options.format = static_cast<ExportFormat>(format_->currentData().toInt());
    options.out = out.toStdString();
    if (files_dir_->isEnabled())
        options.files_dir = QFileInfo(files_dir_->text().trimmed()).absoluteFilePath().toStdString();
    if (QFileInfo::exists(out)) {
        // The save dialog asked already when the file came from it; a typed name is asked here.
        if (out != replace_confirmed_ &&
            !confirm(this, tr("Replace the file?"), tr("%1 exists. Replace it with this export?").arg(out),
                     tr("&Replace")))
            return;
        options.overwrite = true;
    }
    auto client = session_.client();
    banner_->clear();
    progress_->show();
    task_ = run_task(
        this,
        [client, account, options](const TaskIo& io) {
            return client::export_fhir(*client, *account, options, io.progress, io.stop);
        },
        [this, options](client::ExportReport r) {
            task_ = nullptr;
            set_busy(false);
            replace_confirmed_.clear();
            const QString path = QString::fromStdString(r.out.string());
            progress_->finish(tr("Done."), true);
            const QString records = r.records == 1 ? tr("1 record") : tr("%1 records").arg(r.records);
            QString text = (patient_name_.isEmpty() ? tr("Wrote %1 to %2 (%3, decrypted).").arg(records, path, format_size(r.bytes))
                                                    : tr("Wrote %1 of %2 to %3 (%4, decrypted).")
                                                          .arg(records, patient_name_, path, format_size(r.bytes)));
            if (!options.files_dir.empty() && r.files > 0)
                text += QLatin1Char(' ') + tr("Attached files (%1) are in %2.")
                                               .arg(r.files)
                                               .arg(QString::fromStdString(options.files_dir.string()));
            if (r.unreadable > 0)
                text += QLatin1Char(' ') + tr("%1 records could not be opened by this account and are left out.")
                                               .arg(r.unreadable);
            banner_->show_message(MessageBanner::Kind::success, text);
            close_->setFocus();
            emit exported(path);
        },
        [this](const Failure& failure) {
            task_ = nullptr;
            set_busy(false);
            progress_->finish(failure.code == ErrorCode::cancelled ? tr("Cancelled: the export file was not written.")
                                                                   : tr("The export stopped: the export file was not written."),
                              false);
            banner_->show_failure(failure);
        });
    progress_->follow(task_);
    set_busy(true);
}

}  // namespace dossier::desktop
