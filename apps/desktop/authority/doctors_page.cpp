#include "authority/doctors_page.hpp"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "app/format.hpp"
#include "app/session.hpp"
#include "app/task.hpp"
#include "authority/doctors_model.hpp"
#include "doctor/people.hpp"
#include "widgets/dialogs.hpp"
#include "widgets/empty_state.hpp"
#include "widgets/message_banner.hpp"

namespace dossier::desktop {

DoctorsAdminPage::DoctorsAdminPage(Session& session, QWidget* parent)
    : Page(session, parent),
      banner_(new MessageBanner(this)),
      filter_edit_(new QLineEdit(this)),
      table_(new QTableView(this)),
      model_(new DoctorsModel(this)),
      proxy_(new QSortFilterProxyModel(this)),
      empty_(nullptr),
      verify_button_(new QPushButton(tr("&Verify"), this)),
      suspend_button_(new QPushButton(tr("&Suspend…"), this)) {
    setObjectName(QStringLiteral("doctorsAdminPage"));
    filter_edit_->setObjectName(QStringLiteral("doctorsFilterEdit"));
    filter_edit_->setPlaceholderText(tr("Name, address or status…"));
    filter_edit_->setClearButtonEnabled(true);
    filter_edit_->setAccessibleName(tr("Find a doctor"));
    auto* filter_label = new QLabel(tr("&Find:"), this);
    filter_label->setBuddy(filter_edit_);

    proxy_->setSourceModel(model_);
    proxy_->setSortRole(DoctorsModel::sort_role);
    proxy_->setFilterRole(DoctorsModel::filter_role);
    proxy_->setFilterKeyColumn(DoctorsModel::name_column);
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
    table_->setObjectName(QStringLiteral("doctorsTable"));
    table_->setAccessibleName(tr("Doctors"));
    table_->setModel(proxy_);
    style_table(table_);
    table_->sortByColumn(DoctorsModel::since_column, Qt::DescendingOrder);
    table_->horizontalHeader()->setSectionResizeMode(DoctorsModel::name_column, QHeaderView::Stretch);
    table_->horizontalHeader()->setStretchLastSection(false);
    empty_ = new EmptyState(table_, tr("No doctor has registered yet"));
    empty_->set_empty(true);

    verify_button_->setObjectName(QStringLiteral("verifyDoctorButton"));
    suspend_button_->setObjectName(QStringLiteral("suspendDoctorButton"));

    auto* filter_row = new QHBoxLayout;
    filter_row->addWidget(filter_label);
    filter_row->addWidget(filter_edit_, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(verify_button_);
    buttons->addWidget(suspend_button_);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(banner_);
    layout->addLayout(filter_row);
    layout->addWidget(table_, 1);
    layout->addLayout(buttons);

    setTabOrder(filter_edit_, table_);
    setTabOrder(table_, verify_button_);
    setTabOrder(verify_button_, suspend_button_);

    connect(filter_edit_, &QLineEdit::textChanged, this, [this](const QString& text) {
        proxy_->setFilterFixedString(text.trimmed());
        update_empty();
    });
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &DoctorsAdminPage::update_buttons);
    connect(verify_button_, &QPushButton::clicked, this, &DoctorsAdminPage::verify);
    connect(suspend_button_, &QPushButton::clicked, this, &DoctorsAdminPage::suspend);
    update_buttons();
}

void DoctorsAdminPage::update_empty() {
    if (model_->rowCount() == 0) {
        empty_->setText(tr("No doctor has registered yet"));
        empty_->set_empty(true);
    } else if (proxy_->rowCount() == 0) {
        empty_->setText(tr("No doctor matches “%1”").arg(filter_edit_->text().trimmed()));
        empty_->set_empty(true);
    } else {
        empty_->set_empty(false);
    }
}

void DoctorsAdminPage::update_buttons() {
    const QModelIndex current = table_->currentIndex();
    const client::DoctorInfo* d = current.isValid() ? model_->doctor(proxy_->mapToSource(current).row()) : nullptr;
    // Each button for the change it makes: verifying a verified doctor or suspending a suspended
    // one would send a transaction for nothing.
    verify_button_->setEnabled(!writing_ && d && d->status != client::DoctorStatus::verified &&
                               d->status != client::DoctorStatus::none);
    suspend_button_->setEnabled(!writing_ && d && d->status != client::DoctorStatus::suspended &&
                                d->status != client::DoctorStatus::none);
}

void DoctorsAdminPage::refresh() {
    auto account = session_.account();
    if (!account) return;
    if (loading_) {
        reload_ = true;
        return;
    }
    auto client = session_.client();
    loading_ = run_task(
        this, [client](const TaskIo&) { return client->doctors(); },
        [this](std::vector<client::DoctorInfo> doctors) {
            loading_ = nullptr;
            if (!banner_->isHidden() && banner_->kind() == MessageBanner::Kind::error) banner_->clear();
            // Keep the selected doctor selected across the reload.
            const QModelIndex current = table_->currentIndex();
            const client::DoctorInfo* before = current.isValid() ? model_->doctor(proxy_->mapToSource(current).row()) : nullptr;
            const std::optional<client::Address> selected = before ? std::optional(before->address) : std::nullopt;
            model_->set_doctors(std::move(doctors));
            if (selected) {
                for (int row = 0; row < model_->rowCount(); ++row) {
                    if (model_->doctor(row)->address != *selected) continue;
                    table_->setCurrentIndex(proxy_->mapFromSource(model_->index(row, 0)));
                    break;
                }
            }
            update_empty();
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

void DoctorsAdminPage::verify() {
    auto account = session_.account();
    const QModelIndex current = table_->currentIndex();
    const client::DoctorInfo* d = current.isValid() ? model_->doctor(proxy_->mapToSource(current).row()) : nullptr;
    if (!account || !d || writing_) return;
    const client::Address doctor = d->address;
    const QString name = doctor_name(*d);
    // Verifying asks nothing: it gives the doctor the right to ask patients, who each still decide,
    // and Suspend takes it back.
    writing_ = true;
    update_buttons();
    banner_->clear();
    run_task(
        this, [account, doctor](const TaskIo& io) { account->verify_doctor(doctor, io.stop); },
        [this, doctor, name] {
            writing_ = false;
            model_->set_status(doctor, client::DoctorStatus::verified);
            update_buttons();
            banner_->show_message(MessageBanner::Kind::success, tr("%1 is verified.").arg(name));
            session_.notify_changed();
        },
        [this](const Failure& failure) {
            writing_ = false;
            update_buttons();
            banner_->show_failure(failure);
        });
}

void DoctorsAdminPage::suspend() {
    auto account = session_.account();
    const QModelIndex current = table_->currentIndex();
    const client::DoctorInfo* d = current.isValid() ? model_->doctor(proxy_->mapToSource(current).row()) : nullptr;
    if (!account || !d || writing_) return;
    const client::Address doctor = d->address;
    const QString name = doctor_name(*d);
    if (!confirm(this, tr("Suspend %1").arg(name),
                 tr("%1 (%2) will no longer be able to read or write any patient's records, nor ask for access, until "
                    "you verify them again. What %1 has already opened or downloaded cannot be taken back.")
                     .arg(name, full_address(doctor)),
                 tr("&Suspend")))
        return;
    writing_ = true;
    update_buttons();
    banner_->clear();
    run_task(
        this, [account, doctor](const TaskIo& io) { account->suspend_doctor(doctor, io.stop); },
        [this, doctor, name] {
            writing_ = false;
            model_->set_status(doctor, client::DoctorStatus::suspended);
            update_buttons();
            banner_->show_message(MessageBanner::Kind::success, tr("%1 is suspended.").arg(name));
            session_.notify_changed();
        },
        [this](const Failure& failure) {
            writing_ = false;
            update_buttons();
            banner_->show_failure(failure);
        });
}

}  // namespace dossier::desktop
