#include "shell/login_page.hpp"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include "app/format.hpp"
#include "app/session.hpp"
#include "app/task.hpp"
#include "shell/node_controller.hpp"
#include "widgets/empty_state.hpp"
#include "widgets/message_banner.hpp"

namespace dossier::desktop {

LoginPage::LoginPage(Session& session, NodeController& node, QWidget* parent)
    : QWidget(parent),
      session_(session),
      banner_(new MessageBanner(this)),
      accounts_(new QListWidget(this)),
      password_(new QLineEdit(this)),
      password_error_(new QLabel(this)),
      unlock_(new QPushButton(tr("&Unlock"), this)),
      create_(new QPushButton(tr("&Create account\u2026"), this)),
      import_(new QPushButton(tr("&Import keystore\u2026"), this)),
      node_line_(new QLabel(this)),
      start_node_(new QPushButton(tr("&Start node"), this)) {
    setObjectName(QStringLiteral("loginPage"));
    accounts_->setObjectName(QStringLiteral("accountList"));
    accounts_->setAccessibleName(tr("Accounts on this computer"));
    password_->setObjectName(QStringLiteral("passwordEdit"));
    password_->setEchoMode(QLineEdit::Password);
    password_error_->setObjectName(QStringLiteral("passwordError"));
    password_error_->setStyleSheet(QStringLiteral("color: #b00020;"));
    password_error_->hide();
    unlock_->setObjectName(QStringLiteral("unlockButton"));
    unlock_->setDefault(true);
    create_->setObjectName(QStringLiteral("createAccountButton"));
    import_->setObjectName(QStringLiteral("importAccountButton"));
    node_line_->setObjectName(QStringLiteral("loginNodeLabel"));
    node_line_->setWordWrap(true);
    start_node_->setObjectName(QStringLiteral("startNodeButton"));
    start_node_->hide();

    auto* title = new QLabel(tr("<h2>Dossier</h2><p>Your medical records, readable only with the patient's "
                                "permission.</p>"),
                             this);
    title->setObjectName(QStringLiteral("loginTitle"));
    auto* form = new QFormLayout;
    auto* password_label = new QLabel(tr("&Password:"), this);
    password_label->setBuddy(password_);
    password_->setAccessibleName(tr("Password"));
    form->addRow(password_label, password_);
    form->addRow(QString(), password_error_);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(create_);
    buttons->addWidget(import_);
    buttons->addStretch(1);
    buttons->addWidget(unlock_);

    auto* node_row = new QHBoxLayout;
    node_row->addWidget(node_line_, 1);
    node_row->addWidget(start_node_);

    auto* column = new QVBoxLayout;
    column->addWidget(title);
    column->addWidget(banner_);
    auto* accounts_label = new QLabel(tr("&Account:"), this);
    accounts_label->setBuddy(accounts_);
    column->addWidget(accounts_label);
    column->addWidget(accounts_);
    column->addLayout(form);
    column->addLayout(buttons);
    column->addLayout(node_row);
    column->addStretch(1);
    // About twelve accounts in view, in lines of the current font (scales with the screen).
    accounts_->setMaximumHeight(accounts_->fontMetrics().height() * 14);

    // A centred column of readable width at any window size and scale.
    auto* outer = new QHBoxLayout(this);
    outer->addStretch(1);
    outer->addLayout(column, 3);
    outer->addStretch(1);

    auto* empty = new EmptyState(accounts_, tr("No account on this computer yet.\nCreate one, or import a keystore "
                                               "from any Ethereum wallet."));
    connect(accounts_->model(), &QAbstractItemModel::rowsInserted, empty, [this, empty] { empty->set_empty(accounts_->count() == 0); });
    connect(accounts_->model(), &QAbstractItemModel::modelReset, empty, [this, empty] { empty->set_empty(accounts_->count() == 0); });

    setTabOrder(accounts_, password_);
    setTabOrder(password_, unlock_);
    setTabOrder(unlock_, create_);
    setTabOrder(create_, import_);

    connect(unlock_, &QPushButton::clicked, this, &LoginPage::unlock);
    connect(password_, &QLineEdit::returnPressed, this, &LoginPage::unlock);
    connect(accounts_, &QListWidget::itemActivated, this, [this] { password_->setFocus(); });
    connect(create_, &QPushButton::clicked, this, &LoginPage::create_requested);
    connect(import_, &QPushButton::clicked, this, &LoginPage::import_requested);
    connect(start_node_, &QPushButton::clicked, &node, &NodeController::start);
    connect(&node, &NodeController::state_changed, this, [this](NodeController::State state, const QString& text) {
        node_line_->setText(text);
        start_node_->setVisible(session_.client()->embedded_chain() &&
                                (state == NodeController::State::stopped || state == NodeController::State::failed));
    });
    node_line_->setText(node.text());
}

void LoginPage::reload(const QString& select_after) {
    auto client = session_.client();
    const QString selected = !select_after.isEmpty()     ? select_after
                             : accounts_->currentItem() ? accounts_->currentItem()->data(Qt::UserRole).toString()
                                                        : QString();
    run_task(
        this, [client](const TaskIo&) { return client->accounts(); },
        [this, selected](const std::vector<client::AccountInfo>& accounts) {
            accounts_->clear();
            for (const auto& a : accounts) {
                auto* item = new QListWidgetItem(
                    tr("%1 \u2014 %2 \u2014 %3").arg(qstr(a.label), role_text(a.role), short_address(a.address)), accounts_);
                item->setData(Qt::UserRole, full_address(a.address));
                item->setData(Qt::UserRole + 1, qstr(a.label));
                item->setToolTip(full_address(a.address));
            }
            if (!selected.isEmpty()) select(selected);
            if (!accounts_->currentItem() && accounts_->count() > 0) accounts_->setCurrentRow(0);
        },
        [this](const Failure& f) { banner_->show_failure(f); });
}

void LoginPage::select(const QString& who) {
    for (int i = 0; i < accounts_->count(); ++i) {
        auto* item = accounts_->item(i);
        if (item->data(Qt::UserRole).toString().compare(who, Qt::CaseInsensitive) == 0 ||
            item->data(Qt::UserRole + 1).toString() == who) {
            accounts_->setCurrentItem(item);
            return;
        }
    }
}

void LoginPage::show_note(const QString& text) { banner_->show_message(MessageBanner::Kind::info, text); }

void LoginPage::set_busy(bool busy) {
    accounts_->setEnabled(!busy);
    password_->setEnabled(!busy);
    unlock_->setEnabled(!busy);
    unlock_->setText(busy ? tr("Unlocking\u2026") : tr("&Unlock"));
    if (busy) {
        setCursor(Qt::WaitCursor);
    } else {
        unsetCursor();
    }
}

void LoginPage::unlock() {
    if (!unlock_->isEnabled()) return;
    auto* item = accounts_->currentItem();
    if (!item) {
        banner_->show_message(MessageBanner::Kind::warning, tr("Choose an account first."));
        return;
    }
    password_error_->hide();
    set_busy(true);
    auto client = session_.client();
    const std::string who = item->data(Qt::UserRole).toString().toStdString();
    const std::string password = password_->text().toStdString();
    run_task(
        this, [client, who, password](const TaskIo& io) { return client->unlock(who, password, io.progress); },
        [this](std::unique_ptr<client::Account> account) {
            set_busy(false);
            password_->clear();
            banner_->clear();
            session_.set_account(std::move(account));
            emit unlocked();
        },
        [this](const Failure& f) {
            set_busy(false);
            if (f.code == ErrorCode::wrong_password) {
                password_error_->setText(tr("Wrong password. Type it again."));
                password_error_->show();
                password_->selectAll();
                password_->setFocus();
            } else {
                banner_->show_failure(f);
            }
        });
}

}  // namespace dossier::desktop
