#pragma once
/// One patient as the doctor sees them: a header (name and birth date when the doctor may read the
/// profile, the address, the doctor's access and its expiry) and the patient's records. Without
/// active access only the header shows, with Request access; with it, Import… (a FHIR file in as
/// records) and Export… (the records out, decrypted) act on this patient.
#include <QString>
#include <optional>

#include "dossier/client/types.hpp"
#include "shell/page.hpp"

class QLabel;
class QPushButton;

namespace dossier::desktop {

class MessageBanner;
class RecordsBrowser;
class Task;

class PatientPage : public Page {
    Q_OBJECT
public:
    explicit PatientPage(Session& session, QWidget* parent = nullptr);

    [[nodiscard]] QString title() const override { return tr("Patient"); }
    void refresh() override;
    /// `argument`: the patient's address (hex).
    void open(const QString& argument) override;

private:
    void request_again();
    void import_file();
    void export_records();
    void show_patient(bool shown);

    MessageBanner* banner_;
    QLabel* none_label_;
    QWidget* header_;
    QLabel* header_label_;
    QLabel* state_label_;
    QPushButton* request_button_;
    QPushButton* import_button_;
    QPushButton* export_button_;
    RecordsBrowser* browser_;
    std::optional<client::Address> patient_;
    std::optional<client::Address> browser_patient_;  ///< the patient the browser was given
    QString patient_name_;  ///< as the header names them, for the dialogs' titles
    Task* loading_ = nullptr;
    bool reload_ = false;
    bool requesting_ = false;
};

}  // namespace dossier::desktop
