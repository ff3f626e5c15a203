#pragma once
/// The app's file choosers and yes/no questions, in one place so that tests answer them without a
/// native dialog (KeePassXC's FileDialog::setNextFileName and MessageBox::setNextAnswer): a test
/// queues the answer, the next call returns it at once.
#include <QString>

class QWidget;

namespace dossier::desktop {

/// A file to open; empty when the person cancelled.
[[nodiscard]] QString choose_open_file(QWidget* parent, const QString& title, const QString& filter = {});
/// A file to write; empty when the person cancelled.
[[nodiscard]] QString choose_save_file(QWidget* parent, const QString& title, const QString& suggested = {},
                                       const QString& filter = {});
/// A folder; empty when the person cancelled.
[[nodiscard]] QString choose_directory(QWidget* parent, const QString& title);
/// Asks a question with `accept` as the default-less confirming button; true when confirmed.
[[nodiscard]] bool confirm(QWidget* parent, const QString& title, const QString& text, const QString& accept);

namespace testing {
/// The next choose_open_file/choose_save_file/choose_directory returns `path` without showing a dialog.
void set_next_file(const QString& path);
/// The next confirm() returns `answer` without showing a dialog; the question asked is kept.
void set_next_answer(bool answer);
/// The text of the last question confirm() was asked.
[[nodiscard]] QString last_question();
}  // namespace testing

}  // namespace dossier::desktop
