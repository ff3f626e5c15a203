#include "widgets/task_progress.hpp"

#include <QPointer>
#include <QProgressDialog>

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

}  // namespace dossier::desktop
