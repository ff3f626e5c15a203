#include "patient/records_page.hpp"

#include <QHBoxLayout>
#include <QPushButton>
#include <QVBoxLayout>

#include "app/session.hpp"
#include "records/export_dialog.hpp"
#include "records/records_browser.hpp"

namespace dossier::desktop {

MyRecordsPage::MyRecordsPage(Session& session, QWidget* parent)
    : Page(session, parent),
      export_button_(new QPushButton(tr("E&xport\u2026"), this)),
      browser_(new RecordsBrowser(session, /*writable=*/false, this)) {
    setObjectName(QStringLiteral("myRecordsPage"));
    export_button_->setObjectName(QStringLiteral("exportRecordsButton"));
    export_button_->setAccessibleName(tr("Export my records"));
    export_button_->setToolTip(tr("Write your records, decrypted, to a FHIR or PDF file"));
    auto* bar = new QHBoxLayout;
    bar->addStretch(1);
    bar->addWidget(export_button_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(browser_);
    connect(export_button_, &QPushButton::clicked, this, &MyRecordsPage::export_records);
}

void MyRecordsPage::refresh() {
    if (!session_.is_unlocked()) return;
    // The account can change (lock, sign in as someone else) while the page lives.
    const client::Address me = session_.address();
    if (patient_ != me) {
        patient_ = me;
        browser_->set_patient(me);  // loads
    } else {
        browser_->refresh();
    }
}

void MyRecordsPage::export_records() {
    if (!patient_) return;
    // No name: the dialog speaks of the person's own records ("Export my records").
    auto* dialog = new ExportDialog(session_, *patient_, QString(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

}  // namespace dossier::desktop
