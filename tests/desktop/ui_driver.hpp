#pragma once
/// Drives the real widgets of dossier-desktop as a person would, by objectName: find a widget,
/// type, click, answer a modal dialog when it opens, wait (never sleep) until the UI shows
/// something. Failures name the widget that was missing.
#include <QApplication>
#include <QList>
#include <QStringList>
#include <QString>
#include <QWidget>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <type_traits>

namespace dossier::test_ui {

/// Thrown when a widget is missing or a wait times out; the test fails with its text.
struct UiFailure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The visible widget named `name` of type T under `root` (or in any top-level window when null).
template <class T = QWidget>
T* find(const QString& name, QObject* root = nullptr) {
    static_assert(std::is_base_of_v<QWidget, T>);
    auto visible = [](T* w) { return w && w->isVisible(); };
    if (root) {
        for (T* w : root->findChildren<T*>(name)) {
            if (visible(w)) return w;
        }
    } else {
        for (QWidget* top : QApplication::topLevelWidgets()) {
            if (!top->isVisible()) continue;
            if (top->objectName() == name) {
                if (auto* t = qobject_cast<T*>(top)) return t;
            }
            for (T* w : top->findChildren<T*>(name)) {
                if (visible(w)) return w;
            }
        }
    }
    throw UiFailure("no visible widget named '" + name.toStdString() + "'");
}

/// Processes events until `condition` holds; throws with `what` after `timeout`.
void wait_until(const std::function<bool()>& condition, const QString& what,
                std::chrono::milliseconds timeout = std::chrono::seconds(60));

/// Waits until no desktop task has run for 300 ms (a page's loads may chain), at most `timeout`.
void settle(std::chrono::milliseconds timeout = std::chrono::seconds(120));

/// Whether a visible widget named `name` exists now.
bool exists(const QString& name, QObject* root = nullptr);

/// Replaces the text of the line edit `name` as typed keys.
void type_into(const QString& name, const QString& text, QObject* root = nullptr);
/// Clicks the button `name` (it must be enabled).
void click(const QString& name, QObject* root = nullptr);
/// Chooses the combo box entry whose text starts with `text`.
void choose(const QString& combo, const QString& text, QObject* root = nullptr);

/// Runs `act` on the top-level dialog named `name` as soon as it is shown (a modal dialog's exec()
/// blocks the caller, so the answer is scheduled before the click that opens it).
void when_shown(const QString& name, std::function<void(QWidget*)> act,
                std::chrono::milliseconds timeout = std::chrono::seconds(30));

/// The row of `view`'s model whose cells' text contains `text` (any column), or -1.
int row_containing(const QString& view_name, const QString& text, QObject* root = nullptr);
/// Selects row `row` of the item view `view_name` (clicks its first cell).
void select_row(const QString& view_name, int row, QObject* root = nullptr);
/// The number of rows of the item view's model.
int row_count(const QString& view_name, QObject* root = nullptr);

}  // namespace dossier::test_ui

namespace dossier::test_ui {

/// Makes `window` the active window (where keys and shortcuts go), as a click on it would.
void activate(QWidget* window);
/// The controls a keyboard user meets under `root`: visible, enabled widgets that take focus with
/// Tab, without the parts of compound widgets (a combo box's line edit, a tab bar) that Qt gives
/// the focus to on their owner's behalf.
QList<QWidget*> keyboard_controls(QWidget* root);
/// Controls under `root` that a screen reader would announce without a name (Qt's accessible
/// name: the accessibleName, the button's text, or the label that is the control's buddy), as
/// "objectName (class)".
QStringList unnamed_controls(QWidget* root);
/// Controls under `root` that pressing Tab, from its first control, never reaches.
QStringList unreachable_by_tab(QWidget* root);

}  // namespace dossier::test_ui
