#include "ui_driver.hpp"

#include "app/task.hpp"

#include <QAbstractButton>
#include <QAccessible>
#include <QAbstractItemView>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QSet>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QTimer>
#include <memory>

namespace dossier::test_ui {

void wait_until(const std::function<bool()>& condition, const QString& what, std::chrono::milliseconds timeout) {
    QElapsedTimer clock;
    clock.start();
    while (true) {
        try {
            if (condition()) return;
        } catch (const UiFailure&) {
            // The widget is not there yet: keep waiting.
        }
        if (clock.elapsed() > timeout.count()) throw UiFailure("timed out waiting for " + what.toStdString());
        QTest::qWait(20);
    }
}

void settle(std::chrono::milliseconds timeout) {
    QElapsedTimer quiet;
    quiet.start();
    wait_until(
        [&] {
            if (dossier::desktop::Task::running() > 0) quiet.restart();
            return quiet.elapsed() > 300;
        },
        QStringLiteral("the page's loads"), timeout);
}

bool exists(const QString& name, QObject* root) {
    try {
        (void)find<QWidget>(name, root);
        return true;
    } catch (const UiFailure&) {
        return false;
    }
}

void type_into(const QString& name, const QString& text, QObject* root) {
    auto* edit = find<QLineEdit>(name, root);
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
    if (edit->text() != text) throw UiFailure("could not type into '" + name.toStdString() + "'");
}

void click(const QString& name, QObject* root) {
    auto* button = find<QAbstractButton>(name, root);
    if (!button->isEnabled()) throw UiFailure("button '" + name.toStdString() + "' is disabled");
    QTest::mouseClick(button, Qt::LeftButton);
}

void choose(const QString& combo, const QString& text, QObject* root) {
    auto* box = find<QComboBox>(combo, root);
    for (int i = 0; i < box->count(); ++i) {
        if (box->itemText(i).startsWith(text, Qt::CaseInsensitive)) {
            box->setCurrentIndex(i);
            return;
        }
    }
    throw UiFailure("combo '" + combo.toStdString() + "' has no entry '" + text.toStdString() + "'");
}

void when_shown(const QString& name, std::function<void(QWidget*)> act, std::chrono::milliseconds timeout) {
    auto* timer = new QTimer;
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, [timer, clock, name, act = std::move(act), timeout] {
        for (QWidget* top : QApplication::topLevelWidgets()) {
            if (top->isVisible() && top->objectName() == name) {
                timer->stop();
                timer->deleteLater();
                act(top);
                return;
            }
        }
        if (clock->elapsed() > timeout.count()) {
            timer->stop();
            timer->deleteLater();
            qWarning("dialog '%s' never appeared", qPrintable(name));
        }
    });
    timer->start();
}

int row_containing(const QString& view_name, const QString& text, QObject* root) {
    auto* view = find<QAbstractItemView>(view_name, root);
    auto* model = view->model();
    for (int r = 0; r < model->rowCount(); ++r) {
        for (int c = 0; c < model->columnCount(); ++c) {
            if (model->index(r, c).data().toString().contains(text, Qt::CaseInsensitive)) return r;
        }
    }
    return -1;
}

void select_row(const QString& view_name, int row, QObject* root) {
    auto* view = find<QAbstractItemView>(view_name, root);
    const QModelIndex index = view->model()->index(row, 0);
    if (!index.isValid()) throw UiFailure("'" + view_name.toStdString() + "' has no row " + std::to_string(row));
    view->scrollTo(index);
    view->setCurrentIndex(index);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
}

int row_count(const QString& view_name, QObject* root) {
    return find<QAbstractItemView>(view_name, root)->model()->rowCount();
}

}  // namespace dossier::test_ui

namespace dossier::test_ui {

namespace {
QString describe(const QWidget* w) {
    return QStringLiteral("%1 (%2)").arg(w->objectName().isEmpty() ? QStringLiteral("<unnamed>") : w->objectName(),
                                         QString::fromLatin1(w->metaObject()->className()));
}
}  // namespace

void activate(QWidget* window) {
    window->activateWindow();
    QApplication::setActiveWindow(window);
    if (!QTest::qWaitForWindowActive(window)) throw UiFailure("the window does not become active");
}

QList<QWidget*> keyboard_controls(QWidget* root) {
    QList<QWidget*> out;
    for (QWidget* w : root->findChildren<QWidget*>()) {
        if (!w->isVisible() || !w->isEnabled() || !(w->focusPolicy() & Qt::TabFocus)) continue;
        if (w->focusProxy()) continue;
        // Parts Qt focuses for their owner: the owner is the control.
        if (qobject_cast<QTabBar*>(w) && qobject_cast<QTabWidget*>(w->parentWidget())) continue;
        if (w->parentWidget() && (qobject_cast<QComboBox*>(w->parentWidget()) || w->parentWidget()->focusProxy() == w))
            continue;
        if (w->window() != root->window()) continue;
        out << w;
    }
    return out;
}

QStringList unnamed_controls(QWidget* root) {
    QStringList out;
    for (QWidget* w : keyboard_controls(root)) {
        QAccessibleInterface* a = QAccessible::queryAccessibleInterface(w);
        if (!a || a->text(QAccessible::Name).trimmed().isEmpty()) out << describe(w);
    }
    return out;
}

QStringList unreachable_by_tab(QWidget* root) {
    const QList<QWidget*> controls = keyboard_controls(root);
    if (controls.isEmpty()) return {};
    QSet<QWidget*> reached;
    // Keys go where a person's would: the window must be the active one (a dialog that closed may
    // have left none active).
    QWidget* window = root->window();
    activate(window);
    QWidget* start = controls.front();
    start->setFocus(Qt::TabFocusReason);
    QTest::qWait(10);
    // The chain runs through the whole window (navigation, banners), not only through `root`.
    const auto budget = 3 * keyboard_controls(root->window()).size() + 10;
    for (qsizetype i = 0; i < budget; ++i) {
        QWidget* focused = window->focusWidget();
        if (!focused) break;
        // A part (a combo's line edit) counts for its owner.
        for (QWidget* w = focused; w; w = w->parentWidget()) reached.insert(w);
        QTest::keyClick(focused, Qt::Key_Tab);
    }
    QStringList out;
    for (QWidget* w : controls)
        if (!reached.contains(w)) out << describe(w);
    return out;
}

}  // namespace dossier::test_ui
