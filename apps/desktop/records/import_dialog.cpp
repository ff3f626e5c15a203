#include "records/import_dialog.hpp"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "app/error_text.hpp"
#include "app/format.hpp"
#include "app/session.hpp"
#include "app/task.hpp"
#include "dossier/client/fhir_io.hpp"
#include "widgets/message_banner.hpp"
#include "widgets/task_progress.hpp"

namespace dossier::desktop {

namespace {

/// The reason column in words; the library's own sentence follows in the next column.
QString reason_text(client::RefusalReason reason) {
    switch (reason) {
        case client::RefusalReason::invalid_resource: return QObject::tr("Not valid FHIR R4");
        case client::RefusalReason::unknown_patient: return QObject::tr("Names no known patient");
        case client::RefusalReason::patient_mismatch: return QObject::tr("Another patient");
        case client::RefusalReason::no_access: return QObject::tr("No access");
        case client::RefusalReason::not_a_record: return QObject::tr("Not a record");
    }
    return {};
}

/// "1 record", "4 records" (the app has no translations yet, so no %n plural forms).
QString count(std::size_t n, const QString& one, const QString& many) {
    return (n == 1 ? one : many).arg(QLocale().toString(static_cast<qulonglong>(n)));
}

QLabel* value_label(QWidget* parent, const char* name) {
    auto* label = new QLabel(parent);
    label->setObjectName(QLatin1String(name));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

}  // namespace

ImportDialog::ImportDialog(Session& session, const client::Address& patient, const QString& patient_name,
                           const QString& file, QWidget* parent)
    : QDialog(parent),
      session_(session),
      patient_(patient),
      file_(file),
      banner_(new MessageBanner(this)),
      progress_(new InlineProgress(this)),
      report_(new QWidget(this)),
      added_(value_label(report_, "importAddedValue")),
      skipped_(value_label(report_, "importSkippedValue")),
      refused_(value_label(report_, "importRefusedValue")),
      refusals_label_(new QLabel(tr("&Refused resources:"), this)),
      refusals_(new QTableWidget(0, 4, this)),
      cancel_(new QPushButton(tr("Cancel"), this)),
      close_(new QPushButton(tr("Close"), this)) {
    setObjectName(QStringLiteral("importDialog"));
    setWindowTitle(tr("Import into the records of %1").arg(patient_name));
    setAccessibleName(windowTitle());
    setModal(true);

    auto* file_label = new QLabel(tr("Importing <b>%1</b> as records of %2.<br><small>%3</small>")
                                      .arg(QFileInfo(file).fileName().toHtmlEscaped(), patient_name.toHtmlEscaped(),
                                           QFileInfo(file).absoluteFilePath().toHtmlEscaped()),
                                  this);
    file_label->setObjectName(QStringLiteral("importFileLabel"));
    file_label->setWordWrap(true);
    file_label->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* counts = new QFormLayout(report_);
    counts->setContentsMargins(0, 0, 0, 0);
    counts->addRow(tr("Added:"), added_);
    counts->addRow(tr("Already present, skipped:"), skipped_);
    counts->addRow(tr("Refused:"), refused_);
    report_->hide();

    refusals_->setObjectName(QStringLiteral("importRefusalsList"));
    refusals_->setAccessibleName(tr("Refused resources"));
    refusals_->setHorizontalHeaderLabels({tr("Where"), tr("Resource"), tr("Reason"), tr("Explanation")});
    refusals_->verticalHeader()->hide();
    refusals_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    refusals_->setSelectionBehavior(QAbstractItemView::SelectRows);
    refusals_->setAlternatingRowColors(true);
    refusals_->setShowGrid(false);
    // The explanation is the library's whole sentence: wrapped in its column, not cut off.
    refusals_->setWordWrap(true);
    refusals_->setTextElideMode(Qt::ElideNone);
    for (int c = 0; c < 3; ++c) refusals_->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    refusals_->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    refusals_->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    // Rows keep the height they were given; a wider or narrower explanation column measures them again.
    connect(refusals_->horizontalHeader(), &QHeaderView::sectionResized, refusals_,
            [this] { refusals_->resizeRowsToContents(); });
    refusals_label_->setBuddy(refusals_);
    refusals_label_->hide();
    refusals_->hide();

    cancel_->setObjectName(QStringLiteral("importCancelButton"));
    cancel_->setAutoDefault(false);  // Enter must not cancel an import by accident
    close_->setObjectName(QStringLiteral("importCloseButton"));
    auto* buttons = new QDialogButtonBox(this);
    buttons->addButton(cancel_, QDialogButtonBox::RejectRole);
    buttons->addButton(close_, QDialogButtonBox::AcceptRole);
    close_->hide();  // after addButton, which shows the buttons it takes
    // The roles only place the buttons (the box's accepted/rejected are left unconnected): Cancel
    // stops the import and the dialog stays for its outcome.
    connect(cancel_, &QPushButton::clicked, this, &ImportDialog::cancel);
    connect(close_, &QPushButton::clicked, this, &QDialog::accept);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(file_label);
    layout->addWidget(banner_);
    layout->addWidget(progress_);
    layout->addWidget(report_);
    layout->addWidget(refusals_label_);
    layout->addWidget(refusals_, 1);
    layout->addStretch(0);
    layout->addWidget(buttons);
    resize(720, 280);

    start();
}

void ImportDialog::start() {
    auto account = session_.account();
    if (!account) {
        banner_->show_message(MessageBanner::Kind::error, tr("The account is locked. Unlock it to import."));
        stopped();
        return;
    }
    auto client = session_.client();
    client::ImportOptions options;
    options.file = file_.toStdString();
    options.patient = patient_;
    // The library's defaults otherwise, as `dossier import` without options: batches of
    // records, and the journal in the data directory that makes a second run skip what the
    // first one added.
    task_ = run_task(
        this,
        [client, account, options](const TaskIo& io) {
            return client::import_fhir(*client, *account, options, io.progress, io.stop);
        },
        [this](client::ImportReport report) {
            task_ = nullptr;
            show_report(report);
            stopped();
        },
        [this](const Failure& failure) {
            task_ = nullptr;
            if (failure.code == ErrorCode::cancelled) {
                progress_->finish(tr("Cancelled."), false);
                banner_->show_message(MessageBanner::Kind::info,
                                      failure_text(failure) + QLatin1Char(' ') +
                                          tr("Records written before the cancel stay. Importing the same file "
                                             "again adds only what is missing."));
            } else {
                progress_->finish(tr("The import stopped."), false);
                banner_->show_failure(failure);
            }
            stopped();
        });
    progress_->follow(task_);
}

void ImportDialog::cancel() {
    if (!task_) return;
    task_->cancel();
    cancel_->setEnabled(false);
    cancel_->setText(tr("Cancelling\u2026"));
}

void ImportDialog::reject() {
    if (task_) {
        cancel();
        return;
    }
    QDialog::reject();
}

void ImportDialog::stopped() {
    cancel_->hide();
    close_->show();
    close_->setDefault(true);
    close_->setFocus();
    emit ended();
}

void ImportDialog::show_report(const client::ImportReport& r) {
    const QLocale locale;
    const double rate = r.seconds > 0 ? static_cast<double>(r.added) / r.seconds : 0;
    // Two decimals under 10 s: a small file imports in hundredths of a second, and "0.0 s" next
    // to a rate reads as a contradiction.
    progress_->finish(tr("Read %1 in %2 s (%3 records/s).")
                          .arg(count(r.resources, tr("%1 resource"), tr("%1 resources")),
                               locale.toString(r.seconds, 'f', r.seconds < 10 ? 2 : 1),
                               locale.toString(rate, 'f', rate < 10 ? 1 : 0)),
                      true);
    QString added = count(r.added, tr("%1 record"), tr("%1 records"));
    if (r.files > 0) added += tr(", with ") + count(r.files, tr("%1 attached file"), tr("%1 attached files"));
    added_->setText(added);
    skipped_->setText(count(r.skipped, tr("%1 resource"), tr("%1 resources")) +
                      (r.skipped > 0 ? tr(" (imported before; not added twice)") : QString()));
    refused_->setText(count(r.refused.size(), tr("%1 resource"), tr("%1 resources")) +
                      (r.refused.empty() ? QString() : tr(" (listed below, each with its reason)")));
    report_->show();

    QStringList notes;
    if (r.settled > 0)
        notes << count(r.settled, tr("%1 record sent before an interruption was found on the chain and not sent again."),
                       tr("%1 records sent before an interruption were found on the chain and not sent again."));
    if (r.patients_checked > 0)
        notes << count(r.patients_checked, tr("%1 Patient resource matched this patient (not a record)."),
                       tr("%1 Patient resources matched this patient (not records)."));
    const QString note_text = notes.isEmpty() ? QString() : QLatin1Char(' ') + notes.join(QLatin1Char(' '));
    if (!r.refused.empty()) {
        banner_->show_message(MessageBanner::Kind::warning,
                              tr("Import finished; the resources listed below were not added.") + note_text);
    } else if (r.added + r.skipped == 0) {
        banner_->show_message(MessageBanner::Kind::warning, tr("The file holds no clinical resources to import.") + note_text);
    } else {
        banner_->show_message(MessageBanner::Kind::success, tr("Import finished.") + note_text);
    }

    refusals_->setRowCount(static_cast<int>(r.refused.size()));
    for (int row = 0; row < refusals_->rowCount(); ++row) {
        const auto& x = r.refused[static_cast<std::size_t>(row)];
        const QString cells[] = {qstr(x.where), qstr(x.resource), reason_text(x.reason), qstr(x.message)};
        for (int c = 0; c < 4; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setTextAlignment(Qt::AlignLeft | Qt::AlignTop);  // a wrapped row reads from its first line
            refusals_->setItem(row, c, item);
        }
    }
    // Measured once the table has its final width (it was hidden until now).
    QTimer::singleShot(0, refusals_, [this] { refusals_->resizeRowsToContents(); });
    refusals_label_->setVisible(!r.refused.empty());
    refusals_->setVisible(!r.refused.empty());
    if (!r.refused.empty()) resize(width(), std::max(height(), 420));
}

}  // namespace dossier::desktop
