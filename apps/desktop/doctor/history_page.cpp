#include "doctor/history_page.hpp"

#include <QVBoxLayout>

#include "app/session.hpp"
#include "app/task.hpp"
#include "doctor/my_patients.hpp"
#include "records/audit_view.hpp"
#include "widgets/message_banner.hpp"

namespace dossier::desktop {

DoctorHistoryPage::DoctorHistoryPage(Session& session, QWidget* parent)
    : Page(session, parent), banner_(new MessageBanner(this)), audit_(new AuditView(session, this)) {
    setObjectName(QStringLiteral("doctorHistoryPage"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(banner_);
    layout->addWidget(audit_, 1);
}

void DoctorHistoryPage::refresh() {
    auto account = session_.account();
    if (!account) return;
    if (loading_) {
        reload_ = true;
        return;
    }
    auto client = session_.client();
    const client::Address me = account->address();
    // Which trails mention this doctor is found first (no index yet); the view then reads them.
    loading_ = run_task(
        this,
        [client, me](const TaskIo& io) {
            std::vector<client::Address> patients;
            for (PatientAccess& row : scan_patients(*client, me, io, /*only_asked=*/true)) patients.push_back(row.patient);
            return patients;
        },
        [this, me](std::vector<client::Address> patients) {
            loading_ = nullptr;
            banner_->clear();
            audit_->set_patients(std::move(patients), me);
            audit_->refresh();
            if (std::exchange(reload_, false)) refresh();
        },
        [this](const Failure& failure) {
            loading_ = nullptr;
            banner_->show_failure(failure);
            banner_->set_action(tr("&Retry"), [this] { refresh(); });
            if (std::exchange(reload_, false)) refresh();
        });
}

}  // namespace dossier::desktop
