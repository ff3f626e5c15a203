#include "patient/history_page.hpp"

#include <QVBoxLayout>

#include "app/session.hpp"
#include "records/audit_view.hpp"

namespace dossier::desktop {

MyHistoryPage::MyHistoryPage(Session& session, QWidget* parent)
    : Page(session, parent), audit_(new AuditView(session, this)) {
    setObjectName(QStringLiteral("myHistoryPage"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(audit_);
}

void MyHistoryPage::refresh() {
    if (!session_.is_unlocked()) return;
    const client::Address me = session_.address();
    if (patient_ != me) {
        patient_ = me;
        audit_->set_patients({me});
    }
    audit_->refresh();
}

}  // namespace dossier::desktop
