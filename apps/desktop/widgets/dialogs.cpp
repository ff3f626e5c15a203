#include "widgets/dialogs.hpp"

#include <QFileDialog>
#include <QMessageBox>
#include <QPushButton>
#include <optional>

namespace dossier::desktop {

namespace {
std::optional<QString> next_file;
std::optional<bool> next_answer;
QString last_asked;
}  // namespace

QString choose_open_file(QWidget* parent, const QString& title, const QString& filter) {
    if (next_file) return *std::exchange(next_file, std::nullopt);
    return QFileDialog::getOpenFileName(parent, title, {}, filter);
}

QString choose_save_file(QWidget* parent, const QString& title, const QString& suggested, const QString& filter) {
    if (next_file) return *std::exchange(next_file, std::nullopt);
    return QFileDialog::getSaveFileName(parent, title, suggested, filter);
}

QString choose_directory(QWidget* parent, const QString& title) {
    if (next_file) return *std::exchange(next_file, std::nullopt);
    return QFileDialog::getExistingDirectory(parent, title);
}

bool confirm(QWidget* parent, const QString& title, const QString& text, const QString& accept) {
    last_asked = text;
    if (next_answer) return *std::exchange(next_answer, std::nullopt);
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::Cancel, parent);
    box.setObjectName(QStringLiteral("confirmDialog"));
    auto* yes = box.addButton(accept, QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);  // a send cannot be undone: Enter does not confirm
    box.exec();
    return box.clickedButton() == yes;
}

namespace testing {
void set_next_file(const QString& path) { next_file = path; }
void set_next_answer(bool answer) { next_answer = answer; }
QString last_question() { return last_asked; }
}  // namespace testing

}  // namespace dossier::desktop
