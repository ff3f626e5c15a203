#include "patient/approve_dialog.hpp"

#include <QComboBox>
#include <QDate>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>

namespace dossier::desktop {

ApproveDialog::ApproveDialog(const QString& doctor, client::DoctorStatus status, QWidget* parent)
    : QDialog(parent), expiry_combo_(new QComboBox(this)), until_edit_(new QDateEdit(this)) {
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
    expiry_combo_->addItem(tr("Until a date…"), 0U);
    expiry_combo_->setCurrentIndex(2);
    until_edit_->setObjectName(QStringLiteral("expiryDateEdit"));
    until_edit_->setCalendarPopup(true);
    until_edit_->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    until_edit_->setMinimumDate(QDate::currentDate().addDays(1));
    until_edit_->setMaximumDate(QDate::currentDate().addYears(10));
    until_edit_->setDate(QDate::currentDate().addMonths(1));
    until_edit_->setAccessibleName(tr("Access until"));
    until_edit_->setVisible(false);
    auto* form = new QFormLayout;
    form->addRow(tr("Access &for:"), expiry_combo_);
    form->addRow(QString(), until_edit_);
    connect(expiry_combo_, &QComboBox::currentIndexChanged, this,
            [this] { until_edit_->setVisible(expiry_combo_->currentData().toUInt() == 0); });

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
            until_edit_->setEnabled(false);
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

unsigned ApproveDialog::days() const {
    const unsigned days = expiry_combo_->currentData().toUInt();
    if (days) return days;
    return static_cast<unsigned>(std::max<qint64>(1, QDate::currentDate().daysTo(until_edit_->date())));
}

}  // namespace dossier::desktop
