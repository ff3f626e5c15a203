#pragma once
/// The doctor's History: what the doctor did and what was done about the doctor (requests, grants,
/// revocations, every record opened) in the trails of every patient the doctor ever asked.
#include <QString>

#include "shell/page.hpp"

namespace dossier::desktop {

class AuditView;
class MessageBanner;
class Task;

class DoctorHistoryPage : public Page {
    Q_OBJECT
public:
    explicit DoctorHistoryPage(Session& session, QWidget* parent = nullptr);

    [[nodiscard]] QString title() const override { return tr("History"); }
    void refresh() override;

private:
    MessageBanner* banner_;
    AuditView* audit_;
    Task* loading_ = nullptr;
    bool reload_ = false;
};

}  // namespace dossier::desktop
