#include "shell/account_dialog.hpp"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "app/format.hpp"
#include "app/session.hpp"
#include "app/task.hpp"
#include "widgets/dialogs.hpp"
#include "widgets/message_banner.hpp"

namespace dossier::desktop {

namespace {
// The combo's entries; the authority is an import of the embedded chain's well-known key.
enum RoleChoice { doctor_choice, patient_choice, authority_choice };
}  // namespace

AccountDialog::AccountDialog(Session& session, Mode mode, QWidget* parent)
    : QDialog(parent),
      session_(session),
      mode_(mode),
      banner_(new MessageBanner(this)),
      role_(new QComboBox(this)),
      label_(new QLineEdit(this)),
      keystore_(new QLineEdit(this)),
      browse_(new QPushButton(tr("&Browse\u2026"), this)),
      password_(new QLineEdit(this)),
      repeat_(new QLineEdit(this)),
      repeat_label_(new QLabel(tr("&Repeat password:"), this)),
      keystore_label_(new QLabel(tr("&Keystore file:"), this)),
      submit_(new QPushButton(mode == Mode::create ? tr("&Create") : tr("&Import"), this)) {
    setObjectName(QStringLiteral("accountDialog"));
    setWindowTitle(mode == Mode::create ? tr("Create an account") : tr("Import an account"));
    role_->setObjectName(QStringLiteral("roleCombo"));
    role_->addItem(tr("Doctor"));
    role_->addItem(tr("Patient"));
    if (session_.client()->embedded_chain()) role_->addItem(tr("Credentialing authority (this computer's chain)"));
    label_->setObjectName(QStringLiteral("labelEdit"));
    label_->setPlaceholderText(tr("A name for this account on this computer"));
    keystore_->setObjectName(QStringLiteral("keystorePathEdit"));
    browse_->setObjectName(QStringLiteral("browseKeystoreButton"));
    password_->setObjectName(QStringLiteral("newPasswordEdit"));
    password_->setEchoMode(QLineEdit::Password);
    repeat_->setObjectName(QStringLiteral("newPasswordRepeatEdit"));
    repeat_->setEchoMode(QLineEdit::Password);
    submit_->setObjectName(QStringLiteral("submitAccountButton"));
    submit_->setDefault(true);

    auto* form = new QFormLayout;
    auto add = [&](QLabel* label, QWidget* field, const QString& name) {
        label->setBuddy(field);
        field->setAccessibleName(name);
        form->addRow(label, field);
    };
    add(new QLabel(tr("R&ole:"), this), role_, tr("Role"));
    add(new QLabel(tr("&Label:"), this), label_, tr("Label"));
    auto* keystore_row = new QWidget(this);
    auto* keystore_layout = new QHBoxLayout(keystore_row);
    keystore_layout->setContentsMargins(0, 0, 0, 0);
    keystore_layout->addWidget(keystore_, 1);
    keystore_layout->addWidget(browse_);
    keystore_label_->setBuddy(keystore_);
    keystore_->setAccessibleName(tr("Keystore file"));
    form->addRow(keystore_label_, keystore_row);
    add(new QLabel(tr("&Password:"), this), password_, tr("Password"));
    repeat_label_->setBuddy(repeat_);
    repeat_->setAccessibleName(tr("Repeat password"));
    form->addRow(repeat_label_, repeat_);

    auto* note = new QLabel(mode == Mode::create
                                ? tr("Keep the password safe: nobody can recover it. Export the keystore afterwards "
                                     "as a backup; losing both the file and the password loses the account.")
                                : tr("The keystore is opened with its password to prove it, then kept as it is."),
                            this);
    note->setWordWrap(true);

    auto* buttons = new QDialogButtonBox(this);
    buttons->addButton(submit_, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    disconnect(buttons, &QDialogButtonBox::accepted, nullptr, nullptr);
    connect(submit_, &QPushButton::clicked, this, &AccountDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(role_, &QComboBox::currentIndexChanged, this, &AccountDialog::update_fields);
    connect(browse_, &QPushButton::clicked, this, [this] {
        const QString path = choose_open_file(this, tr("Choose a keystore"), tr("Keystores (*.json *)"));
        if (!path.isEmpty()) keystore_->setText(path);
    });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(banner_);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
    update_fields();
}

void AccountDialog::update_fields() {
    const bool authority = role_->currentIndex() == authority_choice;
    const bool file = mode_ == Mode::import && !authority;
    keystore_->setVisible(file);
    browse_->setVisible(file);
    keystore_label_->setVisible(file);
    // A new keystore is typed twice; an imported one is only opened with its existing password.
    const bool twice = mode_ == Mode::create || authority;
    repeat_->setVisible(twice);
    repeat_label_->setVisible(twice);
}

void AccountDialog::submit() {
    const int choice = role_->currentIndex();
    const bool authority = choice == authority_choice;
    if (label_->text().trimmed().isEmpty()) {
        banner_->show_message(MessageBanner::Kind::warning, tr("Give the account a label."));
        label_->setFocus();
        return;
    }
    if ((mode_ == Mode::create || authority) && password_->text() != repeat_->text()) {
        banner_->show_message(MessageBanner::Kind::warning, tr("The two passwords differ."));
        repeat_->setFocus();
        return;
    }
    if (password_->text().isEmpty()) {
        banner_->show_message(MessageBanner::Kind::warning, tr("Choose a password."));
        password_->setFocus();
        return;
    }
    const client::Role role = choice == doctor_choice    ? client::Role::doctor
                              : choice == patient_choice ? client::Role::patient
                                                         : client::Role::admin;
    client::ImportSource source;
    const bool create = mode_ == Mode::create && !authority;
    if (authority) {
        source.kind = client::ImportSource::Kind::embedded_authority;
    } else {
        source.kind = client::ImportSource::Kind::keystore_file;
        source.value = keystore_->text().toStdString();
    }
    submit_->setEnabled(false);
    auto client = session_.client();
    const std::string label = label_->text().trimmed().toStdString();
    const std::string password = password_->text().toStdString();
    run_task(
        this,
        [client, create, role, label, password, source](const TaskIo&) {
            return create ? client->create_account(role, label, password)
                          : client->import_account(source, password, role, label);
        },
        [this](const client::CreatedAccount& created) {
            address_ = full_address(created.info.address);
            if (!created.funding_error.empty()) {
                // The account exists: say why it has no gas yet, and let the person close.
                banner_->show_message(MessageBanner::Kind::warning,
                                      tr("The account was created but not funded: %1").arg(qstr(created.funding_error)));
                submit_->setText(tr("&Close"));
                submit_->setEnabled(true);
                disconnect(submit_, nullptr, this, nullptr);
                connect(submit_, &QPushButton::clicked, this, &QDialog::accept);
                return;
            }
            accept();
        },
        [this](const Failure& f) {
            submit_->setEnabled(true);
            banner_->show_failure(f);
        });
}

}  // namespace dossier::desktop
