#pragma once
/// Import… of the doctor's Patient page (`importDialog`): a FHIR R4 Bundle or NDJSON file imported
/// as records of one patient through client::import_fhir, the call behind `dossier import`, with
/// its journal, so that importing the same file again adds nothing twice. The import runs off the
/// UI thread with a bar, the count and the rate, and Cancel; at its end the dialog stays open with
/// the report: records added, resources skipped as already present, and each refusal with its
/// reason. The dialog starts importing as soon as it is made: the file was chosen before.
#include <QDialog>
#include <QPointer>
#include <QString>

#include "dossier/client/types.hpp"

class QLabel;
class QPushButton;
class QTableWidget;

namespace dossier::client {
struct ImportReport;
}

namespace dossier::desktop {

class InlineProgress;
class MessageBanner;
class Session;
class Task;

class ImportDialog : public QDialog {
    Q_OBJECT
public:
    /// Imports `file` for `patient`; `patient_name` names them in the title.
    ImportDialog(Session& session, const client::Address& patient, const QString& patient_name, const QString& file,
                 QWidget* parent = nullptr);

    [[nodiscard]] bool running() const { return task_ != nullptr; }

signals:
    /// The import ended, done, cancelled or failed: records may have been added in every case.
    void ended();

public slots:
    /// While the import runs, Escape or the window's close button cancel it and the dialog stays
    /// for the outcome: records written before the cancel are kept, and the person must see that.
    void reject() override;

private:
    void start();
    void cancel();
    void show_report(const client::ImportReport& report);
    void stopped();

    Session& session_;
    client::Address patient_;
    QString file_;
    MessageBanner* banner_;
    InlineProgress* progress_;
    QWidget* report_;
    QLabel* added_;
    QLabel* skipped_;
    QLabel* refused_;
    QLabel* refusals_label_;
    QTableWidget* refusals_;
    QPushButton* cancel_;
    QPushButton* close_;
    QPointer<Task> task_;
};

}  // namespace dossier::desktop
