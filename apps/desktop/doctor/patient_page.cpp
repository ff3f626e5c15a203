#include "doctor/patient_page.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "app/error_text.hpp"
#include "app/format.hpp"
#include "app/session.hpp"
#include "app/task.hpp"
#include "doctor/people.hpp"
#include "records/export_dialog.hpp"
#include "records/import_dialog.hpp"
#include "records/records_browser.hpp"
#include "widgets/dialogs.hpp"
#include "widgets/message_banner.hpp"

namespace dossier::desktop {

namespace {

struct Loaded {
    client::Address patient;
    std::string name;  ///< display_name
    std::optional<client::AccessRequest> request;
    std::optional<client::Json> profile;  ///< only when the doctor may read it
};

QString access_sentence(const std::optional<client::AccessRequest>& request) {
    if (!request) return QObject::tr("No access");
    switch (request->state) {
        case client::RequestState::approved: return QObject::tr("Approved until %1").arg(format_time(request->expiry));
        case client::RequestState::pending: return QObject::tr("Pending: the patient has not answered yet");
        case client::RequestState::expired: return QObject::tr("Expired on %1").arg(format_date(request->expiry));
        case client::RequestState::revoked:
            return QObject::tr("Revoked by the patient on %1").arg(format_date(request->updated_at));
        case client::RequestState::denied:
            return QObject::tr("Denied by the patient on %1").arg(format_date(request->updated_at));
        case client::RequestState::blocked: return QObject::tr("Blocked: the patient refuses further requests");
        case client::RequestState::none: return QObject::tr("No access");
    }
    return {};
}

}  // namespace

PatientPage::PatientPage(Session& session, QWidget* parent)
    : Page(session, parent),
      banner_(new MessageBanner(this)),
      none_label_(new QLabel(tr("Choose a patient in Patients"), this)),
      header_(new QWidget(this)),
      header_label_(new QLabel(header_)),
      state_label_(new QLabel(header_)),
      request_button_(new QPushButton(tr("&Request access"), header_)),
      import_button_(new QPushButton(tr("&Import\u2026"), header_)),
      export_button_(new QPushButton(tr("E&xport\u2026"), header_)),
      browser_(new RecordsBrowser(session, /*writable=*/true, this)) {
    setObjectName(QStringLiteral("patientPage"));
    none_label_->setObjectName(QStringLiteral("noPatientLabel"));
    none_label_->setAlignment(Qt::AlignCenter);
    none_label_->setEnabled(false);  // the disabled text colour, as EmptyState
    header_label_->setObjectName(QStringLiteral("patientHeaderLabel"));
    header_label_->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    header_label_->setWordWrap(true);
    state_label_->setObjectName(QStringLiteral("accessStateLabel"));
    state_label_->setWordWrap(true);
    request_button_->setObjectName(QStringLiteral("requestAccessAgainButton"));
    request_button_->hide();
    import_button_->setObjectName(QStringLiteral("importRecordsButton"));
    import_button_->setAccessibleName(tr("Import records from a FHIR file"));
    import_button_->setToolTip(tr("Import a FHIR R4 Bundle or NDJSON file as records of this patient"));
    import_button_->hide();
    export_button_->setObjectName(QStringLiteral("exportRecordsButton"));
    export_button_->setAccessibleName(tr("Export the records"));
    export_button_->setToolTip(tr("Write this patient's records, decrypted, to a FHIR or PDF file"));
    export_button_->hide();

    auto* state_row = new QHBoxLayout;
    state_row->addWidget(state_label_, 1);
    state_row->addWidget(request_button_);
    state_row->addWidget(import_button_);
    state_row->addWidget(export_button_);
    auto* header_layout = new QVBoxLayout(header_);
    header_layout->setContentsMargins(0, 0, 0, 0);
    header_layout->addWidget(header_label_);
    header_layout->addLayout(state_row);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(banner_);
    layout->addWidget(none_label_, 1);
    layout->addWidget(header_);
    layout->addWidget(browser_, 1);
    // Takes the room the browser leaves when it is hidden, so the header stays at the top.
    layout->addStretch(0);
    show_patient(false);

    connect(request_button_, &QPushButton::clicked, this, &PatientPage::request_again);
    connect(import_button_, &QPushButton::clicked, this, &PatientPage::import_file);
    connect(export_button_, &QPushButton::clicked, this, &PatientPage::export_records);
    connect(browser_, &RecordsBrowser::access_refused, this, [this](const Failure& failure) {
        // The grant ended (or the doctor was suspended) since the header was read: say so, offer a request.
        browser_->hide();
        import_button_->hide();
        export_button_->hide();
        state_label_->setText(tr("No access: %1").arg(failure_text(failure)));
        request_button_->setVisible(!requesting_);
    });
}

void PatientPage::show_patient(bool shown) {
    none_label_->setVisible(!shown);
    header_->setVisible(shown);
    if (!shown) browser_->hide();
}

void PatientPage::import_file() {
    if (!patient_) return;
    const QString file = choose_open_file(this, tr("Import FHIR records for %1").arg(patient_name_),
                                          tr("FHIR R4 Bundle or NDJSON (*.json *.ndjson);;All files (*)"));
    if (file.isEmpty()) return;
    auto* dialog = new ImportDialog(session_, *patient_, patient_name_, file, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // Also after a cancel or a failure: the batches written before it are records now.
    connect(dialog, &ImportDialog::ended, this, [this] { session_.notify_changed(); });
    dialog->open();
}

void PatientPage::export_records() {
    if (!patient_) return;
    auto* dialog = new ExportDialog(session_, *patient_, patient_name_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // The export is an entry of the patient's audit trail: History pages show it.
    connect(dialog, &ExportDialog::exported, this, [this] { session_.notify_changed(); });
    dialog->open();
}

void PatientPage::open(const QString& argument) {
    const auto patient = client::Address::parse(argument.trimmed().toStdString());
    if (!patient) {
        patient_.reset();
        show_patient(false);
        if (!argument.isEmpty())
            banner_->show_message(MessageBanner::Kind::warning, tr("“%1” is not a patient's address.").arg(argument));
        return;
    }
    banner_->clear();
    if (patient_ != patient) {
        patient_ = patient;
        header_label_->setText(full_address(*patient_));
        patient_name_ = short_address(*patient_);
        state_label_->setText(tr("Reading your access…"));
        request_button_->hide();
        import_button_->hide();
        export_button_->hide();
        browser_->hide();
    }
    show_patient(true);
    refresh();
}

void PatientPage::refresh() {
    auto account = session_.account();
    if (!account || !patient_) return;
    if (loading_) {
        reload_ = true;
        return;
    }
    auto client = session_.client();
    const client::Address me = account->address();
    loading_ = run_task(
        this,
        [client, account, me, patient = *patient_](const TaskIo&) {
            Loaded loaded;
            loaded.patient = patient;
            loaded.name = client->display_name(patient);
            for (const auto& request : client->access_requests(patient)) {
                if (request.doctor == me) loaded.request = request;
            }
            if (loaded.request && loaded.request->state == client::RequestState::approved) {
                // The profile is readable with an active grant only; without it the header names
                // the address, which is not an error.
                try {
                    loaded.profile = account->patient_profile(patient);
                } catch (const Error&) {
                    loaded.profile.reset();
                }
            }
            return loaded;
        },
        [this](Loaded loaded) {
            loading_ = nullptr;
            if (std::exchange(reload_, false) || !patient_ || loaded.patient != *patient_) {
                refresh();  // the answer is for a patient no longer shown, or already stale
                return;
            }
            QString name = qstr(loaded.name);
            QString birth;
            if (loaded.profile) {
                const QString human = fhir_human_name(*loaded.profile);
                if (!human.isEmpty()) name = human;
                if (auto b = loaded.profile->find("birthDate"); b != loaded.profile->end() && b->is_string())
                    birth = qstr(b->get<std::string>());
            }
            patient_name_ = name;
            QString header = QStringLiteral("<b>%1</b>").arg(name.toHtmlEscaped());
            if (!birth.isEmpty()) header += tr(" · born %1").arg(birth.toHtmlEscaped());
            // display_name already ends with the address for an account of this computer.
            if (!name.contains(full_address(loaded.patient)))
                header += QStringLiteral("<br>%1").arg(full_address(loaded.patient));
            header_label_->setText(header);
            const client::RequestState state = loaded.request ? loaded.request->state : client::RequestState::none;
            state_label_->setText(access_sentence(loaded.request));
            const bool active = state == client::RequestState::approved;
            request_button_->setVisible(!active && state != client::RequestState::pending && !requesting_);
            browser_->setVisible(active);
            import_button_->setVisible(active);
            export_button_->setVisible(active);
            // Listing records without access is refused (and would be logged as an attempt): the
            // browser loads only once the grant is known to be active.
            if (active) {
                if (browser_patient_ != loaded.patient) {
                    browser_patient_ = loaded.patient;
                    browser_->set_patient(loaded.patient);  // loads
                } else {
                    browser_->refresh();
                }
            }
        },
        [this](const Failure& failure) {
            loading_ = nullptr;
            banner_->show_failure(failure);
            banner_->set_action(tr("&Retry"), [this] { refresh(); });
            if (std::exchange(reload_, false)) refresh();
        });
}

void PatientPage::request_again() {
    auto account = session_.account();
    if (!account || !patient_ || requesting_) return;
    requesting_ = true;
    request_button_->setEnabled(false);
    banner_->clear();
    run_task(
        this, [account, patient = *patient_](const TaskIo& io) { account->request_access(patient, io.stop); },
        [this] {
            requesting_ = false;
            request_button_->setEnabled(true);
            request_button_->hide();
            state_label_->setText(tr("Pending: the patient has not answered yet"));
            banner_->show_message(MessageBanner::Kind::success, tr("Request sent. The patient sees it and decides."));
            session_.notify_changed();
        },
        [this](const Failure& failure) {
            requesting_ = false;
            request_button_->setEnabled(true);
            banner_->show_failure(failure);
        });
}

}  // namespace dossier::desktop
