#pragma once
/// The window: the login page until an account is unlocked, then the role's pages (a navigation
/// list on the left, Ctrl+1…9, a stack of pages) and a status bar with the node's state, the
/// account and a Lock button. Locking (the button, Ctrl+L, the idle timer) wipes the key and
/// returns to the login page. The owner starts the node (node().start()) once the window exists.
#include <QMainWindow>

#include "app/settings.hpp"

class QLabel;
class QListWidget;
class QStackedWidget;
class QPushButton;

namespace dossier::desktop {

class IdleLock;
class LoginPage;
class NodeController;
class Page;
class Session;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(Session& session, AppSettings settings, QWidget* parent = nullptr);
    ~MainWindow() override;

    [[nodiscard]] LoginPage* login_page() const { return login_; }
    [[nodiscard]] NodeController& node() const { return *node_; }
    /// The page with this objectName in the workspace, or null.
    [[nodiscard]] Page* page(const QString& name) const;
    /// Shows the page `name` opened on `argument` (what the navigation and the pages use).
    void open_page(const QString& name, const QString& argument = {});

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void build_menus();
    void show_workspace();
    void show_login();
    void open_account_dialog(bool create);
    void open_settings();

    Session& session_;
    AppSettings settings_;
    NodeController* node_;
    IdleLock* idle_;
    QStackedWidget* root_;
    LoginPage* login_;
    QWidget* workspace_ = nullptr;
    QListWidget* nav_ = nullptr;
    QStackedWidget* pages_ = nullptr;
    QLabel* node_label_;
    QLabel* account_label_;
    QPushButton* lock_button_;
};

}  // namespace dossier::desktop
