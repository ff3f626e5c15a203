#include "patient/requests_page.hpp"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <map>

#include "app/format.hpp"
#include "app/session.hpp"
#include "app/task.hpp"
#include "doctor/people.hpp"
#include "patient/approve_dialog.hpp"
#include "patient/requests_model.hpp"
#include "widgets/dialogs.hpp"
#include "widgets/empty_state.hpp"
#include "widgets/message_banner.hpp"

namespace dossier::desktop {

RequestsPage::RequestsPage(Session& session, QWidget* parent)
    : Page(session, parent),
      banner_(new MessageBanner(this)),
      tabs_(new QTabWidget(this)),
      approve_button_(new QPushButton(tr("&Approve…"), this)),
      deny_button_(new QPushButton(tr("&Deny…"), this)),
      revoke_button_(new QPushButton(tr("&Revoke…"), this)) {
    setObjectName(QStringLiteral("requestsPage"));
    tabs_->setObjectName(QStringLiteral("requestsTabs"));
    tabs_->setAccessibleName(tr("Requests"));
    pending_ = make_tab(QStringLiteral("pendingTable"), tr("No pending requests"), tr("Pending requests"));
    active_ = make_tab(QStringLiteral("activeTable"), tr("No one has access to your records"), tr("Doctors with access"));
    past_ = make_tab(QStringLiteral("pastTable"), tr("No past requests"), tr("Past requests"));
    tabs_->addTab(pending_.table, tr("&Pending"));
    tabs_->addTab(active_.table, tr("A&ctive"));
    tabs_->addTab(past_.table, tr("Pa&st"));

    approve_button_->setObjectName(QStringLiteral("approveButton"));
    deny_button_->setObjectName(QStringLiteral("denyButton"));
    revoke_button_->setObjectName(QStringLiteral("revokeButton"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(approve_button_);
    buttons->addWidget(deny_button_);
    buttons->addWidget(revoke_button_);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(banner_);
    layout->addWidget(tabs_, 1);
    layout->addLayout(buttons);

    setTabOrder(tabs_, pending_.table);
    setTabOrder(pending_.table, approve_button_);
    setTabOrder(approve_button_, deny_button_);
    setTabOrder(deny_button_, revoke_button_);

    connect(tabs_, &QTabWidget::currentChanged, this, &RequestsPage::update_buttons);
    connect(approve_button_, &QPushButton::clicked, this, &RequestsPage::approve);
    connect(deny_button_, &QPushButton::clicked, this, &RequestsPage::deny);
    connect(revoke_button_, &QPushButton::clicked, this, &RequestsPage::revoke);
    // Enter on a pending request approves it; on an active grant, revokes it (each asks first).
    connect(pending_.table, &QTableView::activated, this, &RequestsPage::approve);
    connect(active_.table, &QTableView::activated, this, &RequestsPage::revoke);
    update_buttons();
}

RequestsPage::Tab RequestsPage::make_tab(const QString& name, const QString& empty_text, const QString& accessible) {
    Tab tab;
    tab.table = new QTableView(this);
    tab.table->setObjectName(name);
    tab.table->setAccessibleName(accessible);
    tab.model = new RequestsModel(this);
    tab.proxy = new QSortFilterProxyModel(this);
    tab.proxy->setSourceModel(tab.model);
    tab.proxy->setSortRole(RequestsModel::sort_role);
    tab.table->setModel(tab.proxy);
    style_table(tab.table);
    tab.table->sortByColumn(RequestsModel::asked_column, Qt::DescendingOrder);
    // Dates and statuses are short and must read whole; the doctor's name takes what is left.
    tab.table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    tab.table->horizontalHeader()->setResizeContentsPrecision(0);  // the rows on screen, not all
    tab.table->horizontalHeader()->setSectionResizeMode(RequestsModel::doctor_column, QHeaderView::Stretch);
    tab.table->horizontalHeader()->setStretchLastSection(false);
    tab.empty = new EmptyState(tab.table, empty_text);
    tab.empty->set_empty(true);
    connect(tab.table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RequestsPage::update_buttons);
    return tab;
}

const RequestRow* RequestsPage::selected(const Tab& tab) const {
    const QModelIndex current = tab.table->currentIndex();
    if (!current.isValid()) return nullptr;
    return tab.model->row(tab.proxy->mapToSource(current).row());
}

void RequestsPage::update_buttons() {
    const int tab = tabs_->currentIndex();
    approve_button_->setVisible(tab == 0);
    deny_button_->setVisible(tab == 0);
    revoke_button_->setVisible(tab == 1);
    const RequestRow* pending = selected(pending_);
    approve_button_->setEnabled(!writing_ && pending);
    deny_button_->setEnabled(!writing_ && pending);
    revoke_button_->setEnabled(!writing_ && selected(active_));
    // A suspended doctor cannot be approved: the button says why before the click.
    if (pending && pending->status == client::DoctorStatus::suspended) {
        approve_button_->setEnabled(false);
        approve_button_->setToolTip(tr("%1 is suspended by the credentialing authority.").arg(pending->doctor));
    } else {
        approve_button_->setToolTip({});
    }
}

void RequestsPage::refresh() {
    auto account = session_.account();
    if (!account) return;
    if (loading_) {
        reload_ = true;
        return;
    }
    auto client = session_.client();
    const client::Address me = account->address();
    loading_ = run_task(
        this,
        [client, me](const TaskIo&) {
            std::vector<RequestRow> rows;
            std::map<client::Address, client::DoctorInfo> doctors;
            for (const client::AccessRequest& request : client->access_requests(me)) {
                auto found = doctors.find(request.doctor);
                if (found == doctors.end()) found = doctors.emplace(request.doctor, client->doctor(request.doctor)).first;
                rows.push_back({request, doctor_name(found->second), found->second.status});
            }
            return rows;
        },
        [this](std::vector<RequestRow> rows) {
            loading_ = nullptr;
            if (!banner_->isHidden() && banner_->kind() == MessageBanner::Kind::error) banner_->clear();
            std::vector<RequestRow> pending, active, past;
            for (RequestRow& row : rows) {
                switch (row.request.state) {
                    case client::RequestState::pending: pending.push_back(std::move(row)); break;
                    case client::RequestState::approved: active.push_back(std::move(row)); break;
                    case client::RequestState::none: break;
                    default: past.push_back(std::move(row)); break;
                }
            }
            for (auto [tab, list] : {std::pair{&pending_, &pending}, {&active_, &active}, {&past_, &past}}) {
                tab->model->set_rows(std::move(*list));
                tab->empty->set_empty(tab->model->rowCount() == 0);
            }
            // Opened with nothing to answer, the page shows who can read the records instead.
            if (std::exchange(first_load_, false) && pending_.model->rowCount() == 0 && active_.model->rowCount() > 0)
                tabs_->setCurrentIndex(1);
            tabs_->setTabText(0, pending_.model->rowCount() > 0 ? tr("&Pending (%1)").arg(pending_.model->rowCount())
                                                                : tr("&Pending"));
            update_buttons();
            if (std::exchange(reload_, false)) refresh();
        },
        [this](const Failure& failure) {
            loading_ = nullptr;
            banner_->show_failure(failure);
            banner_->set_action(tr("&Retry"), [this] { refresh(); });
            if (std::exchange(reload_, false)) refresh();
        });
}

template <class Work>
void RequestsPage::write(Work work, const QString& success, int then_tab) {
    auto account = session_.account();
    if (!account || writing_) return;
    writing_ = true;
    update_buttons();
    banner_->clear();
    run_task(
        this, [account, work = std::move(work)](const TaskIo& io) { work(*account, io.stop); },
        [this, success, then_tab] {
            writing_ = false;
            // An approved request moves to Active: the page follows it there.
            if (then_tab >= 0) tabs_->setCurrentIndex(then_tab);
            update_buttons();
            banner_->show_message(MessageBanner::Kind::success, success);
            session_.notify_changed();  // every page refreshes, this one included
        },
        [this](const Failure& failure) {
            writing_ = false;
            update_buttons();
            banner_->show_failure(failure);
            // The request may have changed under the click (expired, withdrawn): show what is true now.
            refresh();
        });
}

void RequestsPage::approve() {
    const RequestRow* row = selected(pending_);
    if (!row || writing_) return;
    auto* dialog = new ApproveDialog(row->doctor, row->status, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const client::Address doctor = row->request.doctor;
    const QString name = row->doctor;
    connect(dialog, &QDialog::accepted, this, [this, dialog, doctor, name] {
        const unsigned days = dialog->days();
        write([doctor, days](client::Account& account, std::stop_token stop) {
            (void)account.approve(doctor, days, std::move(stop));
        },
              tr("%1 can now read your records until the time you chose.").arg(name), 1);
    });
    dialog->open();
}

void RequestsPage::deny() {
    const RequestRow* row = selected(pending_);
    if (!row || writing_) return;
    const client::Address doctor = row->request.doctor;
    const QString name = row->doctor;
    if (!confirm(this, tr("Deny %1").arg(name),
                 tr("%1 will not be able to read your records. They may ask again later.").arg(name), tr("&Deny")))
        return;
    write([doctor](client::Account& account, std::stop_token stop) { account.deny(doctor, std::move(stop)); },
          tr("You denied the request of %1.").arg(name), -1);
}

void RequestsPage::revoke() {
    const RequestRow* row = selected(active_);
    if (!row || writing_) return;
    const client::Address doctor = row->request.doctor;
    const QString name = row->doctor;
    const QString text = tr("%1 will not be able to read anything added from now on. What %1 has already opened or "
                            "downloaded cannot be taken back.")
                             .arg(name);
    if (!confirm(this, tr("Revoke %1").arg(name), text, tr("&Revoke"))) return;
    write([doctor](client::Account& account, std::stop_token stop) { (void)account.revoke(doctor, std::move(stop)); },
          tr("%1 can no longer read what is added from now on. Your records are sealed under a new key.").arg(name), -1);
}

}  // namespace dossier::desktop
