#include "patient/approve_dialog.hpp"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace dossier::desktop {

ApproveDialog::ApproveDialog(const QString& doctor, client::DoctorStatus status, QWidget* parent)
    : QDialog(parent), expiry_combo_(new QComboBox(this)) {
    setObjectName(QStringLiteral("approveDialog"));
    setWindowTitle(tr("Approve %1").arg(doctor));

    auto* intro = new QLabel(tr("%1 will be able to read your records and add to them until the time you choose. "
                                "You can revoke this at any time.")
                                 .arg(doctor.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    expiry_combo_->setObjectName(QStringLiteral("expiryCombo"));
    expiry_combo_->addItem(tr("24 hours"), 1U);
    expiry_combo_->addItem(tr("7 days"), 7U);
    expiry_combo_->addItem(tr("30 days"), 30U);
    expiry_combo_->addItem(tr("90 days"), 90U);
    expiry_combo_->addItem(tr("1 year"), 365U);
    expiry_combo_->setCurrentIndex(2);
    auto* form = new QFormLayout;
    form->addRow(tr("Access &for:"), expiry_combo_);

    auto* reason = new QLabel(this);
    reason->setObjectName(QStringLiteral("approveReasonLabel"));
    reason->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    auto* approve = buttons->addButton(tr("&Approve"), QDialogButtonBox::AcceptRole);
    approve->setObjectName(QStringLiteral("approveConfirmButton"));
    approve->setDefault(true);
    switch (status) {
        case client::DoctorStatus::suspended:
            reason->setText(tr("\u2717 %1 is suspended by the credentialing authority and cannot be given access.").arg(doctor));
            approve->setEnabled(false);
            expiry_combo_->setEnabled(false);
            break;
        case client::DoctorStatus::verified: reason->hide(); break;
        default:
            reason->setText(tr("\u26a0 The credentialing authority has not verified %1.").arg(doctor));
            break;
    }
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(reason);
    layout->addWidget(buttons);
}

unsigned ApproveDialog::days() const { return expiry_combo_->currentData().toUInt(); }

}  // namespace dossier::desktop
