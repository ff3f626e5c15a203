#pragma once
/// Export… (`exportDialog`) of the doctor's Patient page and of the patient's Medical Records: a
/// patient's records (latest versions) written where the person chooses, as a FHIR Bundle (its
/// attached files inside it or in a folder beside it), an International Patient Summary or a PDF
/// summary, through client::export_fhir, the call behind `dossier export`. The dialog says first
/// what an export is: decrypted data in a file of the person's choosing, and for a doctor an
/// access the patient's audit trail records. It runs off the UI thread with progress and Cancel,
/// and ends by naming the file it wrote.
#include <QDialog>
#include <QPointer>
#include <QString>

#include "dossier/client/types.hpp"

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPushButton;

namespace dossier::desktop {

class InlineProgress;
class MessageBanner;
class Session;
class Task;

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    /// Exports the records of `patient`; `patient_name` names them in the dialog (empty: the
    /// person's own records, "my records").
    ExportDialog(Session& session, const client::Address& patient, const QString& patient_name,
                 QWidget* parent = nullptr);

    [[nodiscard]] bool running() const { return task_ != nullptr; }

signals:
    /// A file was written (a doctor's export added an entry to the patient's audit trail).
    void exported(const QString& path);

public slots:
    /// While the export runs, Escape or the window's close button cancel it first.
    void reject() override;

private:
    void choose_file();
    void choose_folder();
    void format_changed();
    void update_buttons();
    void start();
    void set_busy(bool busy);
    void fit_height();

    Session& session_;
    client::Address patient_;
    QString patient_name_;
    MessageBanner* warning_;
    MessageBanner* banner_;
    QWidget* form_;
    QComboBox* format_;
    QLineEdit* file_;
    QPushButton* file_button_;
    QCheckBox* files_check_;
    QLineEdit* files_dir_;
    QPushButton* files_dir_button_;
    InlineProgress* progress_;
    QPushButton* export_;
    QPushButton* close_;
    QPointer<Task> task_;
    /// The file the save dialog already asked about replacing (it does so itself).
    QString replace_confirmed_;
};

}  // namespace dossier::desktop
