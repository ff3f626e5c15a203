#include "doctor/add_patient_wizard.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDate>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>
#include <algorithm>
#include <functional>

#include "app/format.hpp"
#include "app/session.hpp"
#include "app/task.hpp"
#include "doctor/wizard_step.hpp"
#include "widgets/dialogs.hpp"
#include "widgets/message_banner.hpp"
#include "widgets/qr_code.hpp"

namespace dossier::desktop {

namespace {

struct Submitted {
    client::AddedPatient added;
    bool record_written = false;
    std::optional<Failure> record_failure;  ///< the patient is registered; only the record failed
};

}  // namespace

AddPatientWizard::AddPatientWizard(Session& session, QWidget* parent)
    : QWizard(parent),
      session_(session),
      name_edit_(new QLineEdit(this)),
      birth_edit_(new QLineEdit(this)),
      gender_combo_(new QComboBox(this)),
      phone_edit_(new QLineEdit(this)),
      email_edit_(new QLineEdit(this)),
      label_edit_(new QLineEdit(this)),
      password_edit_(new QLineEdit(this)),
      repeat_edit_(new QLineEdit(this)),
      mismatch_label_(new QLabel(this)),
      consent_check_(new QCheckBox(this)),
      kind_combo_(new QComboBox(this)),
      code_label_(new QLabel(this)),
      code_edit_(new QLineEdit(this)),
      text_label_(new QLabel(this)),
      text_edit_(new QPlainTextEdit(this)),
      submit_banner_(new MessageBanner(this)),
      phase_label_(new QLabel(this)),
      progress_(new QProgressBar(this)),
      done_banner_(new MessageBanner(this)),
      result_label_(new QLabel(this)),
      address_qr_(new QrCodeView(this)),
      export_button_(new QPushButton(tr("&Save the patient's keystore…"), this)) {
    setObjectName(QStringLiteral("addPatientWizard"));
    setWindowTitle(tr("Add patient"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    setOption(QWizard::NoCancelButtonOnLastPage);  // the patient exists by then: Finish is the way out

    // 1. Identity
    auto* identity = new Step(tr("Who is the patient?"), tr("What the patient's profile says. It is encrypted; only "
                                                             "the patient and the doctors they approve can read it."),
                              this);
    name_edit_->setObjectName(QStringLiteral("newPatientNameEdit"));
    birth_edit_->setObjectName(QStringLiteral("newPatientBirthDateEdit"));
    birth_edit_->setPlaceholderText(tr("YYYY-MM-DD"));
    birth_edit_->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\d{0,4}(-\\d{0,2}(-\\d{0,2})?)?")), birth_edit_));
    gender_combo_->setObjectName(QStringLiteral("newPatientGenderCombo"));
    gender_combo_->addItem(tr("Not given"), QString());
    gender_combo_->addItem(tr("Female"), QStringLiteral("female"));
    gender_combo_->addItem(tr("Male"), QStringLiteral("male"));
    gender_combo_->addItem(tr("Other"), QStringLiteral("other"));
    gender_combo_->addItem(tr("Unknown"), QStringLiteral("unknown"));
    phone_edit_->setObjectName(QStringLiteral("newPatientPhoneEdit"));
    email_edit_->setObjectName(QStringLiteral("newPatientEmailEdit"));
    auto* identity_form = new QFormLayout(identity);
    identity_form->addRow(tr("Full &name:"), name_edit_);
    identity_form->addRow(tr("&Birth date:"), birth_edit_);
    identity_form->addRow(tr("&Gender:"), gender_combo_);
    identity_form->addRow(tr("&Phone (optional):"), phone_edit_);
    identity_form->addRow(tr("&Email (optional):"), email_edit_);
    identity->complete = [this] {
        return !name_edit_->text().trimmed().isEmpty() && valid_birth_date(birth_edit_->text());
    };
    connect(name_edit_, &QLineEdit::textChanged, identity, &Step::recheck);
    connect(birth_edit_, &QLineEdit::textChanged, identity, &Step::recheck);

    // 2. The patient's password: typed by the patient, never seen by the doctor.
    auto* password = new Step(tr("Hand the keyboard to the patient"),
                              tr("The patient chooses the password of their own account. Nobody else, the doctor "
                                 "included, should know it: with it, the account reads and shares the records."),
                              this);
    label_edit_->setObjectName(QStringLiteral("newPatientLabelEdit"));
    label_edit_->setPlaceholderText(tr("A label to find the account, e.g. p-0142"));
    password_edit_->setObjectName(QStringLiteral("newPatientPasswordEdit"));
    password_edit_->setEchoMode(QLineEdit::Password);
    repeat_edit_->setObjectName(QStringLiteral("newPatientPasswordRepeatEdit"));
    repeat_edit_->setEchoMode(QLineEdit::Password);
    mismatch_label_->setObjectName(QStringLiteral("passwordMismatchLabel"));
    mismatch_label_->setWordWrap(true);
    auto* label_note = new QLabel(tr("The account name is kept on this computer only, unencrypted, to find the "
                                     "account at sign-in: choose one that does not name the patient."),
                                  this);
    label_note->setWordWrap(true);
    auto* password_form = new QFormLayout(password);
    password_form->addRow(tr("Account &name:"), label_edit_);
    password_form->addRow(QString(), label_note);
    password_form->addRow(tr("&Password:"), password_edit_);
    password_form->addRow(tr("&Repeat the password:"), repeat_edit_);
    password_form->addRow(QString(), mismatch_label_);
    password->complete = [this] {
        return !label_edit_->text().trimmed().isEmpty() && !password_edit_->text().isEmpty() &&
               password_edit_->text() == repeat_edit_->text();
    };
    auto check_passwords = [this, password] {
        const bool differ = !repeat_edit_->text().isEmpty() && password_edit_->text() != repeat_edit_->text();
        mismatch_label_->setText(differ ? tr("\u26a0 The two passwords are different.") : QString());
        password->recheck();
    };
    connect(label_edit_, &QLineEdit::textChanged, password, &Step::recheck);
    connect(password_edit_, &QLineEdit::textChanged, this, check_passwords);
    connect(repeat_edit_, &QLineEdit::textChanged, this, check_passwords);

    // 3. Consent, in plain words: what registering does and what it does not.
    auto* consent = new Step(tr("The patient's consent"), tr("For the patient to read and accept."), this);
    auto* consent_text = new QLabel(
        tr("<p>Registering creates your own Dossier account on this computer, locked by the password you chose. "
           "Your account signs this consent with its own key.</p>"
           "<p>Your profile and your records are encrypted before they are stored. The public ledger holds only "
           "scrambled references and a history of who did what; never your name or your health data.</p>"
           "<p>The doctor registering you can read and add to your records for one year. You can end that at "
           "any time, and you decide whether any other doctor may see them. Every time a doctor opens your "
           "records, it is written in your history.</p>"
           "<p>Keep your password and a copy of your account file safe: without both, nobody can open your "
           "records, Dossier included.</p>"),
        consent);
    consent_text->setWordWrap(true);
    consent_text->setTextFormat(Qt::RichText);
    consent_check_->setObjectName(QStringLiteral("consentCheck"));
    consent_check_->setText(tr("I have read this and I &agree to be registered"));
    auto* consent_layout = new QVBoxLayout(consent);
    consent_layout->addWidget(consent_text);
    consent_layout->addWidget(consent_check_);
    consent_layout->addStretch(1);
    consent->complete = [this] { return consent_check_->isChecked(); };
    connect(consent_check_, &QCheckBox::toggled, consent, &Step::recheck);

    // 4. An optional first record; Register sends everything.
    auto* record = new Step(tr("A first record (optional)"),
                            tr("Add one now or later from the patient's page. Register sends everything."), this);
    kind_combo_->setObjectName(QStringLiteral("firstRecordKindCombo"));
    kind_combo_->addItem(tr("None"), -1);
    for (auto kind : {client::RecordKind::condition, client::RecordKind::medication, client::RecordKind::allergy,
                      client::RecordKind::note}) {
        kind_combo_->addItem(kind_text(kind), static_cast<int>(kind));
    }
    code_edit_->setObjectName(QStringLiteral("firstRecordCodeEdit"));
    text_edit_->setObjectName(QStringLiteral("firstRecordTextEdit"));
    text_edit_->setTabChangesFocus(true);
    code_label_->setBuddy(code_edit_);
    text_label_->setBuddy(text_edit_);
    auto* record_form = new QFormLayout(record);
    record_form->addRow(tr("&Kind:"), kind_combo_);
    record_form->addRow(code_label_, code_edit_);
    record_form->addRow(text_label_, text_edit_);
    // Not a commit page: when registering fails before anything was sent, Back lets the patient
    // correct their answers (set_back_allowed hides Back once something was sent).
    record->setButtonText(QWizard::NextButton, tr("&Register"));
    record->complete = [this] {
        const int kind = kind_combo_->currentData().toInt();
        if (kind < 0) return true;
        if (static_cast<client::RecordKind>(kind) == client::RecordKind::note)
            return !text_edit_->toPlainText().trimmed().isEmpty();
        return !code_edit_->text().trimmed().isEmpty();
    };
    connect(kind_combo_, &QComboBox::currentIndexChanged, this, [this, record] {
        update_record_labels();
        record->recheck();
    });
    connect(code_edit_, &QLineEdit::textChanged, record, &Step::recheck);
    connect(text_edit_, &QPlainTextEdit::textChanged, record, &Step::recheck);
    update_record_labels();

    // 5. Submit
    auto* submit_step = new Step(tr("Registering the patient"), tr("This takes a few seconds."), this);
    phase_label_->setObjectName(QStringLiteral("addPatientPhaseLabel"));
    phase_label_->setWordWrap(true);
    progress_->setObjectName(QStringLiteral("addPatientProgress"));
    progress_->setAccessibleName(tr("Registration progress"));
    progress_->setRange(0, 0);
    auto* submit_layout = new QVBoxLayout(submit_step);
    submit_layout->addWidget(submit_banner_);
    submit_layout->addWidget(phase_label_);
    submit_layout->addWidget(progress_);
    submit_layout->addStretch(1);
    submit_step->complete = [this] { return added_.has_value() && task_ == nullptr; };
    submit_step->on_enter = [this] { submit(); };

    // 6. Done
    auto* done = new Step(tr("The patient is registered"),
                          tr("Give the patient their address and a copy of their account file."), this);
    result_label_->setObjectName(QStringLiteral("addPatientResultLabel"));
    result_label_->setWordWrap(true);
    result_label_->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    export_button_->setObjectName(QStringLiteral("exportKeystoreButton"));
    auto* export_note = new QLabel(tr("The account file is encrypted with the patient's password. Losing both the "
                                      "file and the password loses the account."),
                                   this);
    export_note->setWordWrap(true);
    auto* done_layout = new QVBoxLayout(done);
    done_layout->addWidget(done_banner_);
    address_qr_->setObjectName(QStringLiteral("addressQrCode"));
    auto* result_row = new QHBoxLayout;
    result_row->addWidget(result_label_, 1);
    result_row->addWidget(address_qr_, 0, Qt::AlignTop);
    done_layout->addLayout(result_row);
    done_layout->addWidget(export_note);
    done_layout->addWidget(export_button_, 0, Qt::AlignLeft);
    done_layout->addStretch(1);
    connect(export_button_, &QPushButton::clicked, this, &AddPatientWizard::export_keystore);

    setPage(identity_page, identity);
    setPage(password_page, password);
    setPage(consent_page, consent);
    setPage(record_page, record);
    setPage(submit_page, submit_step);
    setPage(done_page, done);
    connect(this, &QWizard::currentIdChanged, this, [this](int id) { set_back_allowed(id != submit_page || (!task_ && !added_)); });
}

void AddPatientWizard::set_back_allowed(bool allowed) {
    QList<QWizard::WizardButton> buttons{QWizard::Stretch};
    if (allowed) buttons << QWizard::BackButton;
    buttons << QWizard::NextButton << QWizard::CommitButton << QWizard::FinishButton << QWizard::CancelButton;
    setButtonLayout(buttons);
}

void AddPatientWizard::update_record_labels() {
    const int kind = kind_combo_->currentData().toInt();
    const bool none = kind < 0;
    code_edit_->setEnabled(!none);
    text_edit_->setEnabled(!none);
    QString code = tr("&Code:"), text = tr("&Text:");
    if (!none) {
        switch (static_cast<client::RecordKind>(kind)) {
            case client::RecordKind::condition: code = tr("&Diagnosis:"), text = tr("&Note:"); break;
            case client::RecordKind::medication: code = tr("&Drug and strength:"), text = tr("D&osage:"); break;
            case client::RecordKind::allergy: code = tr("&Substance:"), text = tr("R&eaction:"); break;
            case client::RecordKind::note: code = tr("&Title (optional):"), text = tr("&Text:"); break;
            default: break;
        }
    }
    code_label_->setText(code);
    text_label_->setText(text);
}

client::NewPatient AddPatientWizard::new_patient() const {
    client::NewPatient p;
    p.label = label_edit_->text().trimmed().toStdString();
    p.password = password_edit_->text().toStdString();
    p.profile.name = name_edit_->text().trimmed().toStdString();
    p.profile.birth_date = birth_edit_->text().trimmed().toStdString();
    p.profile.gender = gender_combo_->currentData().toString().toStdString();
    p.profile.phone = phone_edit_->text().trimmed().toStdString();
    p.profile.email = email_edit_->text().trimmed().toStdString();
    p.days = 365;
    return p;
}

std::optional<client::RecordContent> AddPatientWizard::first_record() const {
    const int k = kind_combo_->currentData().toInt();
    if (k < 0) return std::nullopt;
    const auto kind = static_cast<client::RecordKind>(k);
    const std::string code = code_edit_->text().trimmed().toStdString();
    const std::string text = text_edit_->toPlainText().trimmed().toStdString();
    // The form's two fields, placed where the library expects them for the kind.
    client::RecordFields fields;
    switch (kind) {
        case client::RecordKind::condition: fields.code = code, fields.text = text; break;
        case client::RecordKind::medication: fields.code = code, fields.dosage = text; break;
        case client::RecordKind::allergy: fields.code = code, fields.reaction = text; break;
        case client::RecordKind::note: fields.title = code, fields.text = text; break;
        default: fields.code = code, fields.text = text; break;
    }
    return client::RecordContent{kind, fields, std::nullopt};
}

void AddPatientWizard::submit() {
    auto account = session_.account();
    if (task_) return;
    if (!account) {
        submit_banner_->show_message(MessageBanner::Kind::error, tr("The doctor's account is locked: unlock it and try again."));
        return;
    }
    submit_banner_->clear();
    set_back_allowed(false);
    progress_->setRange(0, 0);
    progress_->show();
    phase_label_->setText(added_ ? tr("Writing the first record…") : tr("Creating the patient's account…"));
    const std::optional<client::AddedPatient> already = added_;
    const std::optional<client::RecordContent> content = record_written_ ? std::nullopt : first_record();
    task_ = run_task(
        this,
        [account, patient = new_patient(), content, already](const TaskIo& io) {
            Submitted s;
            s.added = already ? *already : account->add_patient(patient, io.progress, io.stop);
            if (!content) return s;
            // The patient exists from here on: a failed record is reported, not a failed wizard.
            try {
                if (io.progress) io.progress({"writing the first record", 0, 0, "steps"});
                account->add_record(s.added.account.address, *content, io.stop);
                s.record_written = true;
            } catch (...) {
                s.record_failure = current_failure();
            }
            return s;
        },
        [this](Submitted s) {
            task_ = nullptr;
            const bool first_time = !added_;
            added_ = s.added;
            record_written_ = record_written_ || s.record_written;
            progress_->setRange(0, 1);
            progress_->setValue(1);
            const QString hex = qstr(added_->account.address.hex());
            // The patient's phone or a doctor's app reads the address from the code, not by hand.
            address_qr_->set_text(qstr(added_->account.address.code()));
            result_label_->setText(tr("Patient address: %1\nAccount name on this computer: %2\nYour access lasts until %3.")
                                       .arg(full_address(added_->account.address), qstr(added_->account.label),
                                            format_date(added_->grant_expiry)));
            if (first_time) {
                session_.notify_changed();
                emit patient_added(hex);
            }
            if (s.record_failure) {
                phase_label_->setText(tr("The patient is registered; the first record was not written."));
                submit_banner_->show_failure(*s.record_failure);
                submit_banner_->set_action(tr("&Try again"), [this] { submit(); });
                if (auto* step = dynamic_cast<Step*>(page(submit_page))) step->recheck();
                return;
            }
            if (!first_time) session_.notify_changed();
            phase_label_->setText(tr("Done."));
            if (auto* step = dynamic_cast<Step*>(page(submit_page))) step->recheck();
            next();
        },
        [this](const Failure& failure) {
            task_ = nullptr;
            set_back_allowed(!added_);  // nothing was sent: the answers can still be corrected
            progress_->hide();
            phase_label_->setText(failure.code == ErrorCode::cancelled ? tr("Cancelled: nothing was registered.")
                                                                       : tr("The patient was not registered."));
            submit_banner_->show_failure(failure);
            submit_banner_->set_action(tr("&Try again"), [this] { submit(); });
        });
    connect(task_, &Task::progressed, this, [this](const QString& phase, qint64 done, qint64 total) {
        phase_label_->setText(phase.isEmpty() ? phase_label_->text() : phase.left(1).toUpper() + phase.mid(1) + QStringLiteral("…"));
        if (total > 0) {
            progress_->setRange(0, 1000);
            progress_->setValue(static_cast<int>(std::min<qint64>(1000, done * 1000 / total)));
        } else {
            progress_->setRange(0, 0);
        }
    });
}

void AddPatientWizard::reject() {
    // Cancel while sending asks the call to stop and keeps the wizard open to say how it ended
    // (a transaction already sent may still be mined).
    if (task_) {
        task_->cancel();
        phase_label_->setText(tr("Cancelling…"));
        return;
    }
    QWizard::reject();
}

void AddPatientWizard::export_keystore() {
    if (!added_) return;
    const QString suggested = QDir::home().filePath(qstr(added_->account.label.empty() ? added_->account.address.hex()
                                                                                       : added_->account.label) +
                                                    QStringLiteral(".json"));
    const QString path = choose_save_file(this, tr("Save the patient's account file"), suggested, tr("Keystore (*.json)"));
    if (path.isEmpty()) return;
    auto client = session_.client();
    const std::string who = added_->account.address.hex();
    export_button_->setEnabled(false);
    run_task(
        this, [client, who, target = path.toStdString()](const TaskIo&) { return client->export_keystore(who, target); },
        [this](const std::filesystem::path& saved) {
            export_button_->setEnabled(true);
            done_banner_->show_message(MessageBanner::Kind::success,
                                       tr("Saved to %1. Give it to the patient.").arg(QString::fromStdString(saved.string())));
        },
        [this](const Failure& failure) {
            export_button_->setEnabled(true);
            done_banner_->show_failure(failure);
        });
}

}  // namespace dossier::desktop
