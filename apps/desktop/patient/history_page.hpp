#pragma once
/// The patient's History: every entry of their own audit trail (who opened what, who asked, who
/// was approved or revoked, what was added), verified against the chain.
#include <QString>
#include <optional>

#include "dossier/client/types.hpp"
#include "shell/page.hpp"

namespace dossier::desktop {

class AuditView;

class MyHistoryPage : public Page {
    Q_OBJECT
public:
    explicit MyHistoryPage(Session& session, QWidget* parent = nullptr);

    [[nodiscard]] QString title() const override { return tr("History"); }
    void refresh() override;

private:
    AuditView* audit_;
    std::optional<client::Address> patient_;
};

}  // namespace dossier::desktop
