#include "widgets/task_progress.hpp"

#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QProgressBar>
#include <QProgressDialog>
#include <QVBoxLayout>

#include "app/format.hpp"
#include "app/task.hpp"

namespace dossier::desktop {

namespace {

QString amount(qint64 done, qint64 total, const QString& unit) {
    if (unit == QLatin1String("bytes")) {
        return total > 0 ? QStringLiteral("%1 of %2").arg(format_size(static_cast<std::uint64_t>(done)),
                                                         format_size(static_cast<std::uint64_t>(total)))
                         : format_size(static_cast<std::uint64_t>(done));
    }
    if (total > 0) return QStringLiteral("%1 of %2 %3").arg(done).arg(total).arg(unit);
    return done > 0 ? QStringLiteral("%1 %2").arg(done).arg(unit) : QString();
}

/// "85 records/s", "3.1 MB/s"; one decimal below 10 so that a slow start does not read as 0.
QString rate_text(double per_second, const QString& unit) {
    if (unit == QLatin1String("bytes"))
        return QObject::tr("%1/s").arg(format_size(static_cast<std::uint64_t>(per_second)));
    const QString n = QLocale().toString(per_second, 'f', per_second < 10 ? 1 : 0);
    return unit.isEmpty() ? QObject::tr("%1/s").arg(n) : QObject::tr("%1 %2/s").arg(n, unit);
}

}  // namespace

void show_progress(Task* task, QWidget* parent, const QString& title) {
    auto* dialog = new QProgressDialog(title, QObject::tr("Cancel"), 0, 0, parent);
    dialog->setObjectName(QStringLiteral("progressDialog"));
    dialog->setWindowTitle(title);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setMinimumDuration(300);
    dialog->setAutoClose(false);
    dialog->setAutoReset(false);
    dialog->setValue(0);
    QPointer<QProgressDialog> guard(dialog);
    QObject::connect(dialog, &QProgressDialog::canceled, task, [task, guard] {
        task->cancel();
        if (guard) guard->setLabelText(QObject::tr("Cancelling…"));
    });
    QObject::connect(task, &Task::progressed, dialog,
                     [dialog, title](const QString& phase, qint64 done, qint64 total, const QString& unit) {
                         if (dialog->wasCanceled()) return;
                         // Per-mille, so that byte counts beyond 2 GiB fit the dialog's int range.
                         if (total > 0) {
                             dialog->setRange(0, 1000);
                             dialog->setValue(static_cast<int>(std::min<qint64>(1000, done * 1000 / total)));
                         } else {
                             dialog->setRange(0, 0);
                         }
                         const QString a = amount(done, total, unit);
                         dialog->setLabelText(title + QStringLiteral("\n") + phase +
                                              (a.isEmpty() ? QString() : QStringLiteral(": ") + a));
                     });
    QObject::connect(task, &Task::finished, dialog, &QObject::deleteLater);
}

InlineProgress::InlineProgress(QWidget* parent)
    : QWidget(parent), bar_(new QProgressBar(this)), label_(new QLabel(this)) {
    setObjectName(QStringLiteral("inlineProgress"));
    bar_->setObjectName(QStringLiteral("progressBar"));
    bar_->setAccessibleName(tr("Progress"));
    bar_->setTextVisible(false);  // the label says it in words, with the unit
    label_->setObjectName(QStringLiteral("progressText"));
    label_->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(bar_);
    layout->addWidget(label_);
}

void InlineProgress::follow(Task* task) {
    clock_.start();
    rate_phase_.clear();
    bar_->setRange(0, 0);
    label_->setText(tr("Starting\u2026"));
    connect(task, &Task::progressed, this, &InlineProgress::update);
}

void InlineProgress::finish(const QString& text, bool complete) {
    bar_->setRange(0, 1);
    bar_->setValue(complete ? 1 : 0);
    label_->setText(text);
}

QString InlineProgress::text() const { return label_->text(); }

void InlineProgress::update(const QString& phase, qint64 done, qint64 total, const QString& unit) {
    if (total > 0) {
        // Per-mille, so that byte counts beyond 2 GiB fit the bar's int range.
        bar_->setRange(0, 1000);
        bar_->setValue(static_cast<int>(std::min<qint64>(1000, done * 1000 / total)));
    } else {
        bar_->setRange(0, 0);
    }
    const qint64 now = clock_.elapsed();
    if (phase != rate_phase_) {
        // Each phase counts its own units (checking, then importing): its rate starts with it.
        rate_phase_ = phase;
        rate_start_ = done;
        rate_start_ms_ = now;
    }
    QString line = phase;
    if (const QString a = amount(done, total, unit); !a.isEmpty()) line += QStringLiteral(": ") + a;
    // Half a second of measurement at least: the first report alone says nothing of the pace.
    if (now - rate_start_ms_ >= 500 && done > rate_start_)
        line += QStringLiteral(" \u00b7 ") +
                rate_text(static_cast<double>(done - rate_start_) * 1000.0 / static_cast<double>(now - rate_start_ms_), unit);
    label_->setText(line);
}

}  // namespace dossier::desktop
