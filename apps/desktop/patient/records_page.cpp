#include "patient/records_page.hpp"

#include <QVBoxLayout>

#include "app/session.hpp"
#include "records/records_browser.hpp"

namespace dossier::desktop {

MyRecordsPage::MyRecordsPage(Session& session, QWidget* parent)
    : Page(session, parent), browser_(new RecordsBrowser(session, /*writable=*/false, this)) {
    setObjectName(QStringLiteral("myRecordsPage"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(browser_);
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

}  // namespace dossier::desktop
