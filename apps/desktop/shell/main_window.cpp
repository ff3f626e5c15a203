#include "shell/main_window.hpp"

#include <QAction>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QStackedWidget>
#include <QStatusBar>

#include "app/format.hpp"
#include "app/idle_lock.hpp"
#include "app/session.hpp"
#include "shell/account_dialog.hpp"
#include "shell/login_page.hpp"
#include "shell/node_controller.hpp"
#include "shell/page.hpp"
#include "shell/role_pages.hpp"
#include "shell/settings_dialog.hpp"

namespace dossier::desktop {

MainWindow::MainWindow(Session& session, AppSettings settings, QWidget* parent)
    : QMainWindow(parent),
      session_(session),
      settings_(std::move(settings)),
      node_(new NodeController(session, this)),
      idle_(new IdleLock(session, settings_.idle_lock_minutes, this)),
      root_(new QStackedWidget(this)),
      login_(new LoginPage(session, *node_, this)),
      node_label_(new QLabel(this)),
      account_label_(new QLabel(this)),
      lock_button_(new QPushButton(tr("&Lock"), this)) {
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Dossier"));
    root_->setObjectName(QStringLiteral("rootStack"));
    root_->addWidget(login_);
    setCentralWidget(root_);

    node_label_->setObjectName(QStringLiteral("nodeStatusLabel"));
    account_label_->setObjectName(QStringLiteral("accountLabel"));
    lock_button_->setObjectName(QStringLiteral("lockButton"));
    lock_button_->setAccessibleName(tr("Lock"));
    lock_button_->hide();
    statusBar()->addWidget(node_label_, 1);
    statusBar()->addPermanentWidget(account_label_);
    statusBar()->addPermanentWidget(lock_button_);
    build_menus();

    connect(node_, &NodeController::state_changed, this,
            [this](NodeController::State, const QString& text) { node_label_->setText(text); });
    connect(login_, &LoginPage::unlocked, this, &MainWindow::show_workspace);
    connect(login_, &LoginPage::create_requested, this, [this] { open_account_dialog(true); });
    connect(login_, &LoginPage::import_requested, this, [this] { open_account_dialog(false); });
    connect(lock_button_, &QPushButton::clicked, &session_, &Session::lock);
    connect(&session_, &Session::locked, this, &MainWindow::show_login);
    connect(&session_, &Session::unlocked, this, [this] { idle_->set_minutes(settings_.idle_lock_minutes); });

    const QByteArray geometry = QSettings().value(QStringLiteral("window/geometry")).toByteArray();
    if (geometry.isEmpty() || !restoreGeometry(geometry)) resize(1100, 720);
    login_->reload(settings_.last_account);
}

MainWindow::~MainWindow() = default;

void MainWindow::build_menus() {
    auto* file = menuBar()->addMenu(tr("&File"));
    auto* lock = file->addAction(tr("&Lock"), QKeySequence(Qt::CTRL | Qt::Key_L), &session_, &Session::lock);
    lock->setObjectName(QStringLiteral("lockAction"));
    auto* settings = file->addAction(tr("&Settings\u2026"), this, &MainWindow::open_settings);
    settings->setObjectName(QStringLiteral("settingsAction"));
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    auto* node = menuBar()->addMenu(tr("&Node"));
    auto* start = node->addAction(tr("&Start the local node"), node_, &NodeController::start);
    start->setObjectName(QStringLiteral("startNodeAction"));
    auto* stop = node->addAction(tr("S&top the local node"), node_, &NodeController::stop);
    stop->setObjectName(QStringLiteral("stopNodeAction"));
    node->addAction(tr("&Check status"), node_, &NodeController::check);
}

Page* MainWindow::page(const QString& name) const {
    return workspace_ ? workspace_->findChild<Page*>(name) : nullptr;
}

void MainWindow::open_page(const QString& name, const QString& argument) {
    Page* target = page(name);
    if (!target) return;
    const int index = pages_->indexOf(target);
    nav_->setCurrentRow(index);
    pages_->setCurrentIndex(index);
    if (!argument.isEmpty()) target->open(argument);
}

void MainWindow::show_workspace() {
    delete workspace_;
    workspace_ = new QWidget(root_);
    workspace_->setObjectName(QStringLiteral("workspace"));
    nav_ = new QListWidget(workspace_);
    nav_->setObjectName(QStringLiteral("navList"));
    nav_->setAccessibleName(tr("Pages"));
    nav_->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    nav_->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Expanding);
    pages_ = new QStackedWidget(workspace_);
    pages_->setObjectName(QStringLiteral("pageStack"));
    auto* layout = new QHBoxLayout(workspace_);
    layout->addWidget(nav_);
    layout->addWidget(pages_, 1);

    int n = 0;
    for (Page* p : make_pages(session_, session_.role(), pages_)) {
        pages_->addWidget(p);
        nav_->addItem(p->title());
        connect(p, &Page::navigate, this, &MainWindow::open_page);
        if (++n <= 9) {
            auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_0 + n)), workspace_);
            connect(shortcut, &QShortcut::activated, this, [this, n] { nav_->setCurrentRow(n - 1); });
        }
    }
    connect(nav_, &QListWidget::currentRowChanged, pages_, &QStackedWidget::setCurrentIndex);
    nav_->setCurrentRow(0);
    root_->addWidget(workspace_);
    root_->setCurrentWidget(workspace_);

    const auto account = session_.account();
    account_label_->setText(tr("%1 \u00b7 %2 \u00b7 %3")
                                .arg(qstr(account->info().label), role_text(account->info().role),
                                     short_address(account->address())));
    account_label_->setToolTip(full_address(account->address()));
    lock_button_->show();
    settings_.last_account = full_address(account->address());
    settings_.save();
}

void MainWindow::show_login() {
    root_->setCurrentWidget(login_);
    if (workspace_) {
        workspace_->deleteLater();
        workspace_ = nullptr;
        nav_ = nullptr;
        pages_ = nullptr;
    }
    account_label_->clear();
    lock_button_->hide();
    login_->show_note(tr("Locked. Unlock to continue."));
    login_->reload();
}

void MainWindow::open_account_dialog(bool create) {
    AccountDialog dialog(session_, create ? AccountDialog::Mode::create : AccountDialog::Mode::import, this);
    if (dialog.exec() == QDialog::Accepted) login_->reload(dialog.address());
}

void MainWindow::open_settings() {
    SettingsDialog dialog(settings_, this);
    if (dialog.exec() != QDialog::Accepted) return;
    const AppSettings next = dialog.settings();
    const bool reconnect = next.config().data_dir != settings_.config().data_dir || next.remote != settings_.remote ||
                           next.rpc_url != settings_.rpc_url || next.ipfs_api != settings_.ipfs_api ||
                           next.manifest != settings_.manifest || next.chain_id != settings_.chain_id;
    settings_ = next;
    settings_.save();
    idle_->set_minutes(session_.is_unlocked() ? settings_.idle_lock_minutes : 0);
    if (reconnect) {
        session_.set_client(client::make_client(settings_.config()));
        show_login();
        node_->start();
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings().setValue(QStringLiteral("window/geometry"), saveGeometry());
    session_.lock();
    event->accept();
}

}  // namespace dossier::desktop
