#pragma once
/// The doctor's Home: registration when the doctor has none, the doctor's status in words, and
/// three lists: requests waiting for a patient's answer, access about to expire, and the patients
/// the doctor can read now (filtered as the doctor types).
#include <QString>

#include "shell/page.hpp"

class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;
class QTimer;

namespace dossier::desktop {

class EmptyState;
class MessageBanner;
class Task;

class DoctorHomePage : public Page {
    Q_OBJECT
public:
    explicit DoctorHomePage(Session& session, QWidget* parent = nullptr);

    [[nodiscard]] QString title() const override { return tr("Home"); }
    void refresh() override;

private:
    void register_doctor();
    void apply_search();
    void open_item(QListWidgetItem* item);
    [[nodiscard]] QListWidget* make_list(const QString& name, const QString& accessible, EmptyState*& empty);

    MessageBanner* banner_;
    QLabel* status_label_;
    QGroupBox* register_box_;
    QLineEdit* name_edit_;
    QLineEdit* specialty_edit_;
    QLineEdit* licence_edit_;
    QLineEdit* phone_edit_;
    QLineEdit* email_edit_;
    QPushButton* register_button_;
    QWidget* lists_ = nullptr;  ///< the search and the three lists
    QLineEdit* search_edit_;
    QTimer* search_timer_;
    QListWidget* pending_list_;
    QListWidget* expiring_list_;
    QListWidget* recent_list_;
    EmptyState* pending_empty_ = nullptr;
    EmptyState* expiring_empty_ = nullptr;
    EmptyState* recent_empty_ = nullptr;
    Task* loading_ = nullptr;
    bool reload_ = false;
};

}  // namespace dossier::desktop
