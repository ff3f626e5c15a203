#pragma once
/// The progress dialog of a long call: it appears only after 300 ms (quick calls flash nothing),
/// shows the library's phase and amount, and its Cancel requests the task's stop. It closes
/// itself when the task ends.
#include <QString>

class QWidget;

namespace dossier::desktop {

class Task;

/// Shows progress for `task` over `parent`; `title` says what is being done.
void show_progress(Task* task, QWidget* parent, const QString& title);

}  // namespace dossier::desktop
