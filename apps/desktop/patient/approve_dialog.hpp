#pragma once
/// Approve a doctor's request: for how long (30 days unless the patient chooses otherwise, as an
/// access that never ends is rarely meant). A suspended doctor cannot be approved, and the dialog
/// says why instead of failing after the click.
#include <QDialog>

#include "dossier/client/types.hpp"

class QComboBox;
class QDateEdit;

namespace dossier::desktop {

class ApproveDialog : public QDialog {
    Q_OBJECT
public:
    ApproveDialog(const QString& doctor, client::DoctorStatus status, QWidget* parent = nullptr);

    /// The chosen duration in days (a chosen date counts from today).
    [[nodiscard]] unsigned days() const;

private:
    QComboBox* expiry_combo_;
    QDateEdit* until_edit_;
};

}  // namespace dossier::desktop
