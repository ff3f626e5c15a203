#pragma once
/// The patient's Requests: doctors waiting for an answer (Approve for a chosen time, Deny), doctors
/// who can read now (Revoke, said honestly: what was already read cannot be taken back), and the
/// requests and grants that ended.
#include <QString>

#include "shell/page.hpp"

class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;

namespace dossier::desktop {

class EmptyState;
class MessageBanner;
class RequestsModel;
struct RequestRow;
class Task;

class RequestsPage : public Page {
    Q_OBJECT
public:
    explicit RequestsPage(Session& session, QWidget* parent = nullptr);

    [[nodiscard]] QString title() const override { return tr("Requests"); }
    void refresh() override;

private:
    struct Tab {
        QTableView* table = nullptr;
        RequestsModel* model = nullptr;
        QSortFilterProxyModel* proxy = nullptr;
        EmptyState* empty = nullptr;
    };
    [[nodiscard]] Tab make_tab(const QString& name, const QString& empty_text, const QString& accessible);
    [[nodiscard]] const RequestRow* selected(const Tab& tab) const;
    void update_buttons();
    void approve();
    void deny();
    void revoke();
    /// Runs one write, `work(account, stop)` (approve, deny, revoke), with the buttons disabled,
    /// then refreshes and shows the tab `then_tab` (-1: stays).
    template <class Work>
    void write(Work work, const QString& success, int then_tab);

    MessageBanner* banner_;
    QTabWidget* tabs_;
    Tab pending_, active_, past_;
    QPushButton* approve_button_;
    QPushButton* deny_button_;
    QPushButton* revoke_button_;
    Task* loading_ = nullptr;
    bool reload_ = false;
    bool writing_ = false;
    bool first_load_ = true;
};

}  // namespace dossier::desktop
