#pragma once
/// The patient's Home: self-registration when the patient has none; otherwise the requests waiting
/// for an answer (raised live as a request arrives), the last things that happened in the patient's
/// history in sentences, and who can read the records now.
#include <QString>

#include "shell/page.hpp"

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace dossier::client {
struct Event;
}

namespace dossier::desktop {

class EmptyState;
class QrCodeView;
class MessageBanner;
class Task;

class PatientHomePage : public Page {
    Q_OBJECT
public:
    explicit PatientHomePage(Session& session, QWidget* parent = nullptr);

    [[nodiscard]] QString title() const override { return tr("Home"); }
    void refresh() override;

private:
    void register_patient();
    void on_event(const client::Event& event);
    void show_pending_count();

    MessageBanner* banner_;
    QGroupBox* register_box_;
    QLineEdit* name_edit_;
    QLineEdit* birth_edit_;
    QComboBox* gender_combo_;
    QPushButton* register_button_;
    QWidget* home_;
    QLabel* pending_label_;
    QPushButton* review_button_;
    QListWidget* activity_list_;
    QListWidget* grants_list_;
    QrCodeView* code_view_;
    QLineEdit* code_edit_;
    EmptyState* activity_empty_;
    EmptyState* grants_empty_;
    int pending_count_ = 0;
    Task* loading_ = nullptr;
    bool reload_ = false;
};

}  // namespace dossier::desktop
