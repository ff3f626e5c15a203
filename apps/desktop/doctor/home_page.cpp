#include "doctor/home_page.hpp"

#include <QDateTime>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QShortcut>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

#include "app/format.hpp"
#include "app/session.hpp"
#include "app/task.hpp"
#include "doctor/my_patients.hpp"
#include "widgets/empty_state.hpp"
#include "widgets/message_banner.hpp"

namespace dossier::desktop {

namespace {

constexpr int address_role = Qt::UserRole + 1;
constexpr std::uint64_t expiring_window = 7 * 24 * 3600;

/// What the status means for the doctor, in a sentence after the status itself.
QString status_sentence(client::DoctorStatus status) {
    const QString name = doctor_status_text(status);
    switch (status) {
        case client::DoctorStatus::none:
            return QObject::tr("%1. Fill in your public profile below: the credentialing authority verifies it "
                               "before you can ask patients for access.")
                .arg(name);
        case client::DoctorStatus::registered:
            return QObject::tr("%1. You are waiting for the credentialing authority to verify you; until then you "
                               "cannot ask patients for access or add patients.")
                .arg(name);
        case client::DoctorStatus::verified:
            return QObject::tr("%1 by the credentialing authority.").arg(name);
        case client::DoctorStatus::suspended:
            return QObject::tr("%1 by the credentialing authority. You can still sign in and see your lists, but you "
                               "cannot open or add to patients' records, ask for access or add patients until the "
                               "authority verifies you again.")
                .arg(name);
    }
    return name;
}

QListWidgetItem* patient_item(const PatientAccess& row, const QString& detail) {
    auto* item = new QListWidgetItem(QStringLiteral("%1 · %2").arg(qstr(row.name), detail));
    item->setData(address_role, qstr(row.patient.hex()));
    item->setToolTip(full_address(row.patient));
    return item;
}

}  // namespace

DoctorHomePage::DoctorHomePage(Session& session, QWidget* parent)
    : Page(session, parent),
      banner_(new MessageBanner(this)),
      status_label_(new QLabel(this)),
      register_box_(new QGroupBox(tr("Register as a doctor"), this)),
      name_edit_(new QLineEdit(this)),
      specialty_edit_(new QLineEdit(this)),
      licence_edit_(new QLineEdit(this)),
      phone_edit_(new QLineEdit(this)),
      email_edit_(new QLineEdit(this)),
      register_button_(new QPushButton(tr("&Register"), this)),
      search_edit_(new QLineEdit(this)),
      search_timer_(new QTimer(this)) {
    setObjectName(QStringLiteral("doctorHome"));
    status_label_->setObjectName(QStringLiteral("doctorStatusLabel"));
    status_label_->setWordWrap(true);
    status_label_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    register_box_->setObjectName(QStringLiteral("doctorRegistrationBox"));
    name_edit_->setObjectName(QStringLiteral("doctorNameEdit"));
    specialty_edit_->setObjectName(QStringLiteral("doctorSpecialtyEdit"));
    licence_edit_->setObjectName(QStringLiteral("doctorLicenceEdit"));
    phone_edit_->setObjectName(QStringLiteral("doctorPhoneEdit"));
    email_edit_->setObjectName(QStringLiteral("doctorEmailEdit"));
    register_button_->setObjectName(QStringLiteral("registerDoctorButton"));
    name_edit_->setPlaceholderText(tr("Given names, family name last"));
    auto* note = new QLabel(tr("This profile is public: patients see it when you ask them for access."), register_box_);
    note->setWordWrap(true);
    auto* form = new QFormLayout(register_box_);
    form->addRow(note);
    form->addRow(tr("Full &name:"), name_edit_);
    form->addRow(tr("&Specialty:"), specialty_edit_);
    form->addRow(tr("&Licence number:"), licence_edit_);
    form->addRow(tr("&Phone:"), phone_edit_);
    form->addRow(tr("&Email:"), email_edit_);
    auto* submit_row = new QHBoxLayout;
    submit_row->addWidget(register_button_);
    submit_row->addStretch(1);
    form->addRow(QString(), submit_row);
    register_box_->hide();

    search_edit_->setObjectName(QStringLiteral("patientSearchEdit"));
    search_edit_->setPlaceholderText(tr("Name or address…"));
    search_edit_->setClearButtonEnabled(true);
    auto* search_label = new QLabel(tr("&Find a patient:"), this);
    search_label->setBuddy(search_edit_);
    search_edit_->setAccessibleName(tr("Find a patient"));
    // Filter once the doctor pauses typing, not on every keystroke.
    search_timer_->setSingleShot(true);
    search_timer_->setInterval(250);
    auto* find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, search_edit_, [this] {
        search_edit_->setFocus();
        search_edit_->selectAll();
    });

    pending_list_ = make_list(QStringLiteral("pendingSentList"), tr("Awaiting the patient's answer"), pending_empty_);
    expiring_list_ = make_list(QStringLiteral("expiringList"), tr("Access ending within 7 days"), expiring_empty_);
    recent_list_ = make_list(QStringLiteral("recentPatientsList"), tr("Your patients"), recent_empty_);
    pending_empty_->setText(tr("No request waiting for an answer"));
    expiring_empty_->setText(tr("No access ends this week"));
    recent_empty_->setText(tr("No patient has given you access yet"));

    auto box = [this](const QString& title, QWidget* content) {
        auto* group = new QGroupBox(title, this);
        auto* l = new QVBoxLayout(group);
        l->addWidget(content);
        return group;
    };
    auto* search_row = new QHBoxLayout;
    search_row->addWidget(search_label);
    search_row->addWidget(search_edit_, 1);
    auto* cards = new QHBoxLayout;
    cards->addWidget(box(tr("Awaiting the patient's answer"), pending_list_));
    cards->addWidget(box(tr("Access ending within 7 days"), expiring_list_));
    // The lists mean nothing before registering: the form takes the page alone until then.
    lists_ = new QWidget(this);
    auto* lists_layout = new QVBoxLayout(lists_);
    lists_layout->setContentsMargins(0, 0, 0, 0);
    lists_layout->addLayout(search_row);
    lists_layout->addWidget(box(tr("Your patients"), recent_list_), 2);
    lists_layout->addLayout(cards, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(banner_);
    layout->addWidget(status_label_);
    layout->addWidget(register_box_);
    layout->addWidget(lists_, 1);
    layout->addStretch(0);

    setTabOrder(name_edit_, specialty_edit_);
    setTabOrder(specialty_edit_, licence_edit_);
    setTabOrder(licence_edit_, phone_edit_);
    setTabOrder(phone_edit_, email_edit_);
    setTabOrder(email_edit_, register_button_);
    setTabOrder(register_button_, search_edit_);
    setTabOrder(search_edit_, recent_list_);
    setTabOrder(recent_list_, pending_list_);
    setTabOrder(pending_list_, expiring_list_);

    connect(register_button_, &QPushButton::clicked, this, &DoctorHomePage::register_doctor);
    connect(search_edit_, &QLineEdit::textChanged, search_timer_, qOverload<>(&QTimer::start));
    connect(search_timer_, &QTimer::timeout, this, &DoctorHomePage::apply_search);
}

QListWidget* DoctorHomePage::make_list(const QString& name, const QString& accessible, EmptyState*& empty) {
    auto* list = new QListWidget(this);
    list->setObjectName(name);
    list->setAccessibleName(accessible);
    list->setTextElideMode(Qt::ElideMiddle);
    list->setWordWrap(false);
    list->setUniformItemSizes(true);
    empty = new EmptyState(list, QString());
    empty->set_empty(true);
    // Enter and double-click open the patient.
    connect(list, &QListWidget::itemActivated, this, &DoctorHomePage::open_item);
    return list;
}

void DoctorHomePage::open_item(QListWidgetItem* item) {
    if (item) emit navigate(QStringLiteral("patientPage"), item->data(address_role).toString());
}

void DoctorHomePage::apply_search() {
    const QString text = search_edit_->text().trimmed();
    int shown = 0;
    for (int i = 0; i < recent_list_->count(); ++i) {
        QListWidgetItem* item = recent_list_->item(i);
        const bool match = text.isEmpty() || item->text().contains(text, Qt::CaseInsensitive) ||
                           item->data(address_role).toString().contains(text, Qt::CaseInsensitive) ||
                           item->toolTip().contains(text, Qt::CaseInsensitive);
        item->setHidden(!match);
        if (match) ++shown;
    }
    if (recent_list_->count() == 0) {
        recent_empty_->setText(tr("No patient has given you access yet"));
    } else if (shown == 0) {
        recent_empty_->setText(tr("No patient matches “%1”").arg(text));
    }
    recent_empty_->set_empty(shown == 0);
}

void DoctorHomePage::refresh() {
    auto account = session_.account();
    if (!account) return;
    if (loading_) {
        reload_ = true;
        return;
    }
    auto client = session_.client();
    const client::Address me = account->address();
    struct Loaded {
        client::DoctorStatus status = client::DoctorStatus::none;
        std::vector<PatientAccess> rows;
    };
    loading_ = run_task(
        this,
        [client, me](const TaskIo& io) {
            Loaded loaded;
            loaded.status = client->doctor(me).status;
            if (loaded.status != client::DoctorStatus::none) loaded.rows = scan_patients(*client, me, io, true);
            return loaded;
        },
        [this](Loaded loaded) {
            loading_ = nullptr;
            if (!banner_->isHidden() && banner_->kind() == MessageBanner::Kind::error) banner_->clear();
            status_label_->setText(status_sentence(loaded.status));
            register_box_->setVisible(loaded.status == client::DoctorStatus::none);
            lists_->setVisible(loaded.status != client::DoctorStatus::none);
            pending_list_->clear();
            expiring_list_->clear();
            recent_list_->clear();
            // The chain's clock is not exposed: this computer's clock decides "within 7 days".
            const auto now = static_cast<std::uint64_t>(QDateTime::currentSecsSinceEpoch());
            std::vector<const PatientAccess*> approved;
            for (const PatientAccess& row : loaded.rows) {
                switch (row.state()) {
                    case client::RequestState::pending:
                        pending_list_->addItem(patient_item(row, tr("asked %1").arg(format_date(row.request->requested_at))));
                        break;
                    case client::RequestState::approved:
                        approved.push_back(&row);
                        if (row.request->expiry <= now + expiring_window)
                            expiring_list_->addItem(patient_item(row, tr("until %1").arg(format_time(row.request->expiry))));
                        break;
                    default: break;
                }
            }
            // Most recently granted first: the patients the doctor is most likely seeing now.
            std::stable_sort(approved.begin(), approved.end(), [](const PatientAccess* a, const PatientAccess* b) {
                return a->request->updated_at > b->request->updated_at;
            });
            for (const PatientAccess* row : approved)
                recent_list_->addItem(patient_item(*row, tr("access until %1").arg(format_date(row->request->expiry))));
            pending_empty_->set_empty(pending_list_->count() == 0);
            expiring_empty_->set_empty(expiring_list_->count() == 0);
            apply_search();
            if (std::exchange(reload_, false)) refresh();
        },
        [this](const Failure& failure) {
            loading_ = nullptr;
            banner_->show_failure(failure);
            banner_->set_action(tr("&Retry"), [this] { refresh(); });
            if (std::exchange(reload_, false)) refresh();
        });
}

void DoctorHomePage::register_doctor() {
    auto account = session_.account();
    if (!account) return;
    client::DoctorProfile profile;
    profile.name = name_edit_->text().trimmed().toStdString();
    profile.specialty = specialty_edit_->text().trimmed().toStdString();
    profile.licence = licence_edit_->text().trimmed().toStdString();
    profile.phone = phone_edit_->text().trimmed().toStdString();
    profile.email = email_edit_->text().trimmed().toStdString();
    if (profile.name.empty()) {
        banner_->show_message(MessageBanner::Kind::warning, tr("Your full name is needed: patients see it."));
        name_edit_->setFocus();
        return;
    }
    register_button_->setEnabled(false);
    banner_->clear();
    run_task(
        this, [account, profile](const TaskIo& io) { return account->register_doctor(profile, io.stop); },
        [this](const client::DoctorRegistration&) {
            register_button_->setEnabled(true);
            banner_->show_message(MessageBanner::Kind::success,
                                  tr("Registered. The credentialing authority must now verify you."));
            session_.notify_changed();  // the page refreshes with every other
        },
        [this](const Failure& failure) {
            register_button_->setEnabled(true);
            banner_->show_failure(failure);
        });
}

}  // namespace dossier::desktop
