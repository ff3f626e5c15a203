#pragma once
/// The credentialing authority's Doctors: every registered doctor with their status; Verify lets a
/// doctor ask patients for access, Suspend takes that away (both asked first, effect explained).
#include <QString>

#include "shell/page.hpp"

class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace dossier::desktop {

class DoctorsModel;
class EmptyState;
class MessageBanner;
class Task;

class DoctorsAdminPage : public Page {
    Q_OBJECT
public:
    explicit DoctorsAdminPage(Session& session, QWidget* parent = nullptr);

    [[nodiscard]] QString title() const override { return tr("Doctors"); }
    void refresh() override;

private:
    void verify();
    void suspend();
    void update_buttons();
    void update_empty();

    MessageBanner* banner_;
    QLineEdit* filter_edit_;
    QTableView* table_;
    DoctorsModel* model_;
    QSortFilterProxyModel* proxy_;
    EmptyState* empty_;
    QPushButton* verify_button_;
    QPushButton* suspend_button_;
    Task* loading_ = nullptr;
    bool reload_ = false;
    bool writing_ = false;
};

}  // namespace dossier::desktop
