#pragma once
/// The doctor's Patients list: every registered patient with this doctor's access, filtered as
/// the doctor types, a request for a patient known by address, and the Add Patient wizard.
#include <QString>

#include "shell/page.hpp"

class QComboBox;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace dossier::desktop {

class EmptyState;
class MessageBanner;
class PatientsFilter;
class PatientsModel;
class Task;

class PatientsPage : public Page {
    Q_OBJECT
public:
    explicit PatientsPage(Session& session, QWidget* parent = nullptr);

    [[nodiscard]] QString title() const override { return tr("Patients"); }
    void refresh() override;
    /// The table's rows (a test fills it with many to measure the view).
    [[nodiscard]] PatientsModel* model() const noexcept { return model_; }

private:
    void request_access();
    void open_selected();
    void add_patient();
    void update_empty();

    MessageBanner* banner_;
    QLineEdit* filter_edit_;
    QComboBox* state_combo_;
    QTableView* table_;
    PatientsModel* model_;
    PatientsFilter* proxy_;
    EmptyState* empty_;
    QProgressBar* load_progress_;
    QLineEdit* request_edit_;
    QPushButton* request_button_;
    QPushButton* open_button_;
    QPushButton* add_button_;
    Task* loading_ = nullptr;
    bool reload_ = false;      ///< a refresh came while loading: load again after
    bool requesting_ = false;  ///< a request is in flight
    QString not_verified_;     ///< why this doctor cannot ask or add ("" when verified)
};

}  // namespace dossier::desktop
