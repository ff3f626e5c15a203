#pragma once
/// Choose an account of this computer and unlock it with its password; create or import one.
/// The key derivation takes about a second, so unlocking runs off the UI thread with the form
/// locked (no double submit); a wrong password puts the message under the field and the focus
/// back in it.
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace dossier::desktop {

class MessageBanner;
class NodeController;
class Session;

class LoginPage : public QWidget {
    Q_OBJECT
public:
    LoginPage(Session& session, NodeController& node, QWidget* parent = nullptr);

    /// Reloads the accounts of the data directory (after a create, an import, new settings), then
    /// selects `select_after` (a label or an address) or keeps the selection.
    void reload(const QString& select_after = {});
    /// Selects the account with this label or address, if present.
    void select(const QString& who);
    /// A note above the form (the demo's password, a reason for being locked).
    void show_note(const QString& text);

signals:
    void unlocked();
    void create_requested();
    void import_requested();
    void settings_requested();

private:
    void unlock();
    void set_busy(bool busy);

    Session& session_;
    MessageBanner* banner_;
    QListWidget* accounts_;
    QLineEdit* password_;
    QLabel* password_error_;
    QPushButton* unlock_;
    QPushButton* create_;
    QPushButton* import_;
    QLabel* node_line_;
    QPushButton* start_node_;
};

}  // namespace dossier::desktop
