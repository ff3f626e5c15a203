#pragma once
/// Add Patient: a doctor registers a new patient sitting next to them. The patient types their own
/// password, reads what registering does and consents; an optional first record follows. Nothing
/// is sent before the Register button; then one task creates the account, registers the patient
/// with their signed consent and writes the first record, with its phases shown. The last page
/// gives the patient's address and saves their encrypted keystore for them.
#include <QString>
#include <QWizard>
#include <optional>

#include "dossier/client/types.hpp"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace dossier::desktop {

class QrCodeView;

class MessageBanner;
class Session;
class Task;

class AddPatientWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { identity_page, password_page, consent_page, record_page, submit_page, done_page };

    explicit AddPatientWizard(Session& session, QWidget* parent = nullptr);

    /// Called by the submit page when it is shown: sends what is left to send (all of it, or only
    /// the first record when the patient is registered already and the record failed).
    void submit();
    [[nodiscard]] bool submitted() const noexcept { return added_.has_value(); }

    void reject() override;

signals:
    /// The patient is registered (the lower-case hex address).
    void patient_added(const QString& address);

private:
    [[nodiscard]] client::NewPatient new_patient() const;
    [[nodiscard]] std::optional<client::RecordContent> first_record() const;
    void update_record_labels();
    /// Shows Back only while nothing has been sent.
    void set_back_allowed(bool allowed);
    void export_keystore();

    Session& session_;
    // Page 1: identity
    QLineEdit* name_edit_;
    QLineEdit* birth_edit_;
    QComboBox* gender_combo_;
    QLineEdit* phone_edit_;
    QLineEdit* email_edit_;
    // Page 2: the patient's password
    QLineEdit* label_edit_;
    QLineEdit* password_edit_;
    QLineEdit* repeat_edit_;
    QLabel* mismatch_label_;
    // Page 3: consent
    QCheckBox* consent_check_;
    // Page 4: first record
    QComboBox* kind_combo_;
    QLabel* code_label_;
    QLineEdit* code_edit_;
    QLabel* text_label_;
    QPlainTextEdit* text_edit_;
    // Page 5: submit
    MessageBanner* submit_banner_;
    QLabel* phase_label_;
    QProgressBar* progress_;
    // Page 6: done
    MessageBanner* done_banner_;
    QLabel* result_label_;
    QrCodeView* address_qr_;
    QPushButton* export_button_;

    Task* task_ = nullptr;
    std::optional<client::AddedPatient> added_;
    bool record_written_ = false;
};

}  // namespace dossier::desktop
