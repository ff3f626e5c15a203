#pragma once
/// Create an account (a new key in a keystore under a password) or import one (a keystore from
/// any wallet, or this computer's chain authority). On the embedded chain the library funds the
/// new account; a funding failure is said, the account is kept.
#include <QDialog>

class QComboBox;
class QLineEdit;
class QPushButton;
class QLabel;

namespace dossier::desktop {

class MessageBanner;
class Session;

class AccountDialog : public QDialog {
    Q_OBJECT
public:
    enum class Mode { create, import };
    AccountDialog(Session& session, Mode mode, QWidget* parent = nullptr);

    /// The created or imported account's address (after accept()).
    [[nodiscard]] QString address() const { return address_; }

private:
    void submit();
    void update_fields();

    Session& session_;
    Mode mode_;
    MessageBanner* banner_;
    QComboBox* role_;
    QLineEdit* label_;
    QLineEdit* keystore_;
    QPushButton* browse_;
    QLineEdit* password_;
    QLineEdit* repeat_;
    QLabel* repeat_label_;
    QLabel* keystore_label_;
    QPushButton* submit_;
    QString address_;
};

}  // namespace dossier::desktop
