#include "patient/home_page.hpp"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDate>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <map>

#include "app/format.hpp"
#include "app/session.hpp"
#include "app/task.hpp"
#include "doctor/people.hpp"
#include "widgets/empty_state.hpp"
#include "widgets/message_banner.hpp"
#include "widgets/qr_code.hpp"

namespace dossier::desktop {

namespace {

constexpr std::size_t recent_entries = 10;

struct Loaded {
    bool registered = false;
    int pending = 0;
    QStringList grants;    ///< "Dr X · until <date>"
    QStringList activity;  ///< "<who> <what> · <when>", newest first
};

/// People named in an entry: "You" for the patient, a doctor by their profile's name, anyone
/// else by the address the entry already shows.
class Names {
public:
    Names(client::Client& client, const client::Address& me) : client_(client), me_(me) {}

    QString operator()(const client::Address& who) {
        if (who == me_) return QObject::tr("You");
        auto found = names_.find(who);
        if (found == names_.end()) {
            const client::DoctorInfo info = client_.doctor(who);
            const QString name = info.status == client::DoctorStatus::none ? qstr(client_.display_name(who)) : doctor_name(info);
            found = names_.emplace(who, name).first;
        }
        return found->second;
    }

private:
    client::Client& client_;
    client::Address me_;
    std::map<client::Address, QString> names_;
};

/// The entry's sentence with people named: the library writes addresses (it knows no names), the
/// page replaces the ones it can name.
QString sentence(const client::AuditEntry& entry, Names& names) {
    QString text = qstr(entry.text);
    const QString actor = full_address(entry.actor);
    if (text.startsWith(actor)) text = names(entry.actor) + text.mid(actor.size());
    if (entry.doctor) text.replace(full_address(*entry.doctor), names(*entry.doctor));
    // The library's sentence gives an approval's expiry in chain seconds: a person reads a date.
    if (entry.expiry) text.replace(QString::number(*entry.expiry), format_time(*entry.expiry));
    return QStringLiteral("%1 · %2").arg(text, format_time(entry.timestamp));
}

}  // namespace

PatientHomePage::PatientHomePage(Session& session, QWidget* parent)
    : Page(session, parent),
      banner_(new MessageBanner(this)),
      register_box_(new QGroupBox(tr("Register as a patient"), this)),
      name_edit_(new QLineEdit(this)),
      birth_edit_(new QLineEdit(this)),
      gender_combo_(new QComboBox(this)),
      register_button_(new QPushButton(tr("&Register"), this)),
      home_(new QWidget(this)),
      pending_label_(new QLabel(home_)),
      review_button_(new QPushButton(tr("Re&view requests"), home_)),
      activity_list_(new QListWidget(home_)),
      grants_list_(new QListWidget(home_)),
      code_view_(new QrCodeView(home_)),
      code_edit_(new QLineEdit(home_)),
      activity_empty_(new EmptyState(activity_list_, tr("No activity yet"))),
      grants_empty_(new EmptyState(grants_list_, tr("No one has access to your records"))) {
    setObjectName(QStringLiteral("patientHome"));

    register_box_->setObjectName(QStringLiteral("patientRegistrationBox"));
    name_edit_->setObjectName(QStringLiteral("patientNameEdit"));
    name_edit_->setPlaceholderText(tr("Given names, family name last"));
    birth_edit_->setObjectName(QStringLiteral("patientBirthDateEdit"));
    birth_edit_->setPlaceholderText(tr("YYYY-MM-DD"));
    gender_combo_->setObjectName(QStringLiteral("patientGenderCombo"));
    gender_combo_->addItem(tr("Not given"), QString());
    gender_combo_->addItem(tr("Female"), QStringLiteral("female"));
    gender_combo_->addItem(tr("Male"), QStringLiteral("male"));
    gender_combo_->addItem(tr("Other"), QStringLiteral("other"));
    gender_combo_->addItem(tr("Unknown"), QStringLiteral("unknown"));
    register_button_->setObjectName(QStringLiteral("registerPatientButton"));
    auto* note = new QLabel(tr("Your profile is encrypted: only you and the doctors you approve can read it."), register_box_);
    note->setWordWrap(true);
    auto* form = new QFormLayout(register_box_);
    form->addRow(note);
    form->addRow(tr("Full &name:"), name_edit_);
    form->addRow(tr("&Birth date:"), birth_edit_);
    form->addRow(tr("&Gender:"), gender_combo_);
    auto* submit_row = new QHBoxLayout;
    submit_row->addWidget(register_button_);
    submit_row->addStretch(1);
    form->addRow(QString(), submit_row);
    register_box_->hide();

    pending_label_->setObjectName(QStringLiteral("pendingCountLabel"));
    review_button_->setObjectName(QStringLiteral("reviewRequestsButton"));
    activity_list_->setObjectName(QStringLiteral("recentActivityList"));
    activity_list_->setAccessibleName(tr("Recent activity"));
    grants_list_->setObjectName(QStringLiteral("activeGrantsList"));
    grants_list_->setAccessibleName(tr("Who can see my records"));
    for (QListWidget* list : {activity_list_, grants_list_}) {
        list->setWordWrap(false);
        list->setTextElideMode(Qt::ElideMiddle);
        list->setUniformItemSizes(true);
    }
    activity_empty_->set_empty(true);
    grants_empty_->set_empty(true);
    show_pending_count();

    // The patient's code: a doctor asking for access scans it or types the address under it.
    code_view_->setObjectName(QStringLiteral("myQrCode"));
    code_edit_->setObjectName(QStringLiteral("myCodeText"));
    code_edit_->setReadOnly(true);
    code_edit_->setAccessibleName(tr("My account's code"));
    auto* copy_code = new QPushButton(tr("&Copy"), home_);
    copy_code->setObjectName(QStringLiteral("copyCodeButton"));
    copy_code->setAccessibleName(tr("Copy my account's code"));
    connect(copy_code, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(code_edit_->text()); });
    auto* code_box = new QGroupBox(tr("My code: show it to a doctor who asks for access"), home_);
    auto* code_text = new QHBoxLayout;
    code_text->addWidget(code_edit_, 1);
    code_text->addWidget(copy_code);
    auto* code_layout = new QHBoxLayout(code_box);
    code_layout->addWidget(code_view_, 0, Qt::AlignTop);
    auto* code_right = new QVBoxLayout;
    code_right->addLayout(code_text);
    code_right->addStretch(1);
    code_layout->addLayout(code_right, 1);

    auto* requests_row = new QHBoxLayout;
    requests_row->addWidget(pending_label_, 1);
    requests_row->addWidget(review_button_);
    auto* activity_box = new QGroupBox(tr("Recent activity"), home_);
    (new QVBoxLayout(activity_box))->addWidget(activity_list_);
    auto* grants_box = new QGroupBox(tr("Who can see my records"), home_);
    (new QVBoxLayout(grants_box))->addWidget(grants_list_);
    auto* home_layout = new QVBoxLayout(home_);
    home_layout->setContentsMargins(0, 0, 0, 0);
    home_layout->addLayout(requests_row);
    home_layout->addWidget(activity_box, 2);
    home_layout->addWidget(grants_box, 1);
    home_layout->addWidget(code_box);
    home_->hide();

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(banner_);
    layout->addWidget(register_box_);
    layout->addWidget(home_, 1);
    layout->addStretch(0);

    setTabOrder(name_edit_, birth_edit_);
    setTabOrder(birth_edit_, gender_combo_);
    setTabOrder(gender_combo_, register_button_);
    setTabOrder(review_button_, activity_list_);
    setTabOrder(activity_list_, grants_list_);
    setTabOrder(grants_list_, code_edit_);
    setTabOrder(code_edit_, copy_code);

    connect(register_button_, &QPushButton::clicked, this, &PatientHomePage::register_patient);
    connect(review_button_, &QPushButton::clicked, this, [this] { emit navigate(QStringLiteral("requestsPage"), QString()); });
    connect(&session_, &Session::event, this, &PatientHomePage::on_event);
}

void PatientHomePage::show_pending_count() {
    pending_label_->setText(tr("Requests waiting for you: %1").arg(pending_count_));
}

void PatientHomePage::on_event(const client::Event& event) {
    // The count rises at once; the page's refresh (on the same event) brings the lists after.
    if (event.kind == client::EventKind::access_requested && event.patient == session_.address()) {
        ++pending_count_;
        show_pending_count();
    }
}

void PatientHomePage::refresh() {
    auto account = session_.account();
    if (!account) return;
    if (loading_) {
        reload_ = true;
        return;
    }
    auto client = session_.client();
    const client::Address me = account->address();
    const QString code = qstr(me.code());
    if (code_edit_->text() != code) {
        code_edit_->setText(code);
        code_view_->set_text(code);
    }
    loading_ = run_task(
        this,
        [client, me](const TaskIo& io) {
            Loaded loaded;
            loaded.registered = client->patient(me).registered;
            if (!loaded.registered) return loaded;
            Names names(*client, me);
            // One call of the local index: requests, grants and the newest entries.
            (void)io;
            const client::PatientHome home = client->patient_home(me, recent_entries);
            loaded.pending = static_cast<int>(home.pending.size());
            for (const client::AccessRequest& grant : home.active)
                loaded.grants << QObject::tr("%1 · until %2").arg(names(grant.doctor), format_time(grant.expiry));
            for (const client::AuditEntry& entry : home.recent) loaded.activity << sentence(entry, names);
            return loaded;
        },
        [this](Loaded loaded) {
            loading_ = nullptr;
            if (!banner_->isHidden() && banner_->kind() == MessageBanner::Kind::error) banner_->clear();
            register_box_->setVisible(!loaded.registered);
            home_->setVisible(loaded.registered);
            pending_count_ = loaded.pending;
            show_pending_count();
            activity_list_->clear();
            activity_list_->addItems(loaded.activity);
            grants_list_->clear();
            grants_list_->addItems(loaded.grants);
            activity_empty_->set_empty(activity_list_->count() == 0);
            grants_empty_->set_empty(grants_list_->count() == 0);
            if (std::exchange(reload_, false)) refresh();
        },
        [this](const Failure& failure) {
            loading_ = nullptr;
            banner_->show_failure(failure);
            banner_->set_action(tr("&Retry"), [this] { refresh(); });
            if (std::exchange(reload_, false)) refresh();
        });
}

void PatientHomePage::register_patient() {
    auto account = session_.account();
    if (!account) return;
    client::PatientProfile profile;
    profile.name = name_edit_->text().trimmed().toStdString();
    profile.birth_date = birth_edit_->text().trimmed().toStdString();
    profile.gender = gender_combo_->currentData().toString().toStdString();
    if (profile.name.empty()) {
        banner_->show_message(MessageBanner::Kind::warning, tr("Your full name is needed."));
        name_edit_->setFocus();
        return;
    }
    if (!QDate::fromString(birth_edit_->text().trimmed(), Qt::ISODate).isValid()) {
        banner_->show_message(MessageBanner::Kind::warning, tr("Write the birth date as year-month-day, e.g. 1980-04-23."));
        birth_edit_->setFocus();
        return;
    }
    register_button_->setEnabled(false);
    banner_->clear();
    run_task(
        this, [account, profile](const TaskIo& io) { return account->register_patient(profile, io.stop); },
        [this](const client::PatientRegistration&) {
            register_button_->setEnabled(true);
            banner_->show_message(MessageBanner::Kind::success,
                                  tr("Registered. Doctors can now ask you for access; you decide."));
            session_.notify_changed();  // the page refreshes with every other
        },
        [this](const Failure& failure) {
            register_button_->setEnabled(true);
            banner_->show_failure(failure);
        });
}

}  // namespace dossier::desktop
