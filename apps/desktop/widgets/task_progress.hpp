#pragma once
/// The progress of a long call, two ways. show_progress(): a dialog that appears only after 300 ms
/// (quick calls flash nothing), shows the library's phase and amount, and whose Cancel requests
/// the task's stop; it closes itself when the task ends. InlineProgress: the same inside a dialog
/// that stays open for the outcome (Import…, Export…), with the rate, so that a person watching a
/// long import sees it is moving and can judge how long it will take.
#include <QElapsedTimer>
#include <QString>
#include <QWidget>

class QLabel;
class QProgressBar;

namespace dossier::desktop {

class Task;

/// Shows progress for `task` over `parent`; `title` says what is being done.
void show_progress(Task* task, QWidget* parent, const QString& title);

/// A bar and a line of text ("importing: 120 of 400 records · 85 records/s") following a Task.
/// Cancel stays with the dialog that holds it (its button also closes the dialog when idle).
class InlineProgress : public QWidget {
    Q_OBJECT
public:
    explicit InlineProgress(QWidget* parent = nullptr);

    /// Follows `task` from now on (busy until its first report); the rate starts counting now.
    void follow(Task* task);
    /// Shows `text` under a full bar (the call ended) or an empty one.
    void finish(const QString& text, bool complete);
    [[nodiscard]] QString text() const;

private:
    void update(const QString& phase, qint64 done, qint64 total, const QString& unit);

    QProgressBar* bar_;
    QLabel* label_;
    QElapsedTimer clock_;
    QString rate_phase_;  ///< the phase the rate is measured in (a new phase starts it again)
    qint64 rate_start_ = 0;
    qint64 rate_start_ms_ = 0;
};

}  // namespace dossier::desktop
