#include "doctor/patients_page.hpp"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "app/format.hpp"
#include "app/session.hpp"
#include "app/task.hpp"
#include "doctor/add_patient_wizard.hpp"
#include "doctor/patients_model.hpp"
#include "doctor/people.hpp"
#include "widgets/empty_state.hpp"
#include "widgets/message_banner.hpp"

namespace dossier::desktop {

/// The Patients filter: the typed text in the name or the address, and the state chosen.
class PatientsFilter : public QSortFilterProxyModel {
public:
    enum class Show { all, approved, pending, no_access };
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void set_text(const QString& text) {
        text_ = text.trimmed();
        invalidateFilter();
    }
    void set_show(Show show) {
        show_ = show;
        invalidateFilter();
    }

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override {
        if (const auto* model = qobject_cast<const PatientsModel*>(sourceModel()))
            return model->less(left.row(), right.row(), left.column());
        return QSortFilterProxyModel::lessThan(left, right);
    }

    bool filterAcceptsRow(int row, const QModelIndex& parent) const override {
        const QAbstractItemModel* m = sourceModel();
        const auto state = static_cast<client::RequestState>(m->index(row, 0, parent).data(PatientsModel::state_role).toInt());
        switch (show_) {
            case Show::all: break;
            case Show::approved:
                if (state != client::RequestState::approved) return false;
                break;
            case Show::pending:
                if (state != client::RequestState::pending) return false;
                break;
            case Show::no_access:
                if (state == client::RequestState::approved || state == client::RequestState::pending) return false;
                break;
        }
        if (text_.isEmpty()) return true;
        return m->index(row, PatientsModel::name_column, parent).data().toString().contains(text_, Qt::CaseInsensitive) ||
               m->index(row, 0, parent).data(PatientsModel::address_role).toString().contains(text_, Qt::CaseInsensitive);
    }

private:
    QString text_;
    Show show_ = Show::all;
};

PatientsPage::PatientsPage(Session& session, QWidget* parent)
    : Page(session, parent),
      banner_(new MessageBanner(this)),
      filter_edit_(new QLineEdit(this)),
      state_combo_(new QComboBox(this)),
      table_(new QTableView(this)),
      model_(new PatientsModel(this)),
      proxy_(new PatientsFilter(this)),
      empty_(nullptr),
      load_progress_(new QProgressBar(this)),
      request_edit_(new QLineEdit(this)),
      request_button_(new QPushButton(tr("&Request access"), this)),
      open_button_(new QPushButton(tr("&Open patient"), this)),
      add_button_(new QPushButton(tr("&Add patient…"), this)) {
    setObjectName(QStringLiteral("patientsPage"));

    filter_edit_->setObjectName(QStringLiteral("patientsFilterEdit"));
    filter_edit_->setPlaceholderText(tr("Name or address…"));
    filter_edit_->setClearButtonEnabled(true);
    state_combo_->setObjectName(QStringLiteral("stateFilterCombo"));
    state_combo_->addItem(tr("All"), static_cast<int>(PatientsFilter::Show::all));
    state_combo_->addItem(tr("Approved"), static_cast<int>(PatientsFilter::Show::approved));
    state_combo_->addItem(tr("Pending"), static_cast<int>(PatientsFilter::Show::pending));
    state_combo_->addItem(tr("No access"), static_cast<int>(PatientsFilter::Show::no_access));
    auto* filter_label = new QLabel(tr("&Find:"), this);
    filter_label->setBuddy(filter_edit_);
    auto* state_label = new QLabel(tr("&Show:"), this);
    state_label->setBuddy(state_combo_);
    filter_edit_->setAccessibleName(tr("Find a patient"));
    state_combo_->setAccessibleName(tr("Show patients by access"));

    proxy_->setSourceModel(model_);
    table_->setObjectName(QStringLiteral("patientsTable"));
    table_->setAccessibleName(tr("Patients"));
    table_->setModel(proxy_);
    style_table(table_);
    table_->sortByColumn(PatientsModel::name_column, Qt::AscendingOrder);
    table_->horizontalHeader()->setSectionResizeMode(PatientsModel::name_column, QHeaderView::Stretch);
    table_->horizontalHeader()->setStretchLastSection(false);
    empty_ = new EmptyState(table_, tr("No patients yet"));

    load_progress_->setObjectName(QStringLiteral("patientsLoadProgress"));
    load_progress_->setAccessibleName(tr("Loading patients"));
    load_progress_->setTextVisible(true);
    load_progress_->hide();

    request_edit_->setObjectName(QStringLiteral("requestAddressEdit"));
    request_edit_->setPlaceholderText(tr("0x… or the text of the patient's code"));
    request_edit_->setClearButtonEnabled(true);
    request_edit_->setAccessibleName(tr("Patient address to ask for access"));
    auto* request_label = new QLabel(tr("Ask a patient by &address or code:"), this);
    request_label->setBuddy(request_edit_);
    request_button_->setObjectName(QStringLiteral("requestAccessButton"));
    open_button_->setObjectName(QStringLiteral("openPatientButton"));
    add_button_->setObjectName(QStringLiteral("addPatientButton"));
    open_button_->setEnabled(false);

    auto* filters = new QHBoxLayout;
    filters->addWidget(filter_label);
    filters->addWidget(filter_edit_, 1);
    filters->addWidget(state_label);
    filters->addWidget(state_combo_);
    auto* request_row = new QHBoxLayout;
    request_row->addWidget(request_label);
    request_row->addWidget(request_edit_, 1);
    request_row->addWidget(request_button_);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(open_button_);
    buttons->addStretch(1);
    buttons->addWidget(add_button_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(banner_);
    layout->addLayout(filters);
    layout->addWidget(load_progress_);
    layout->addWidget(table_, 1);
    layout->addLayout(buttons);
    layout->addLayout(request_row);

    setTabOrder(filter_edit_, state_combo_);
    setTabOrder(state_combo_, table_);
    setTabOrder(table_, open_button_);
    setTabOrder(open_button_, add_button_);
    setTabOrder(add_button_, request_edit_);
    setTabOrder(request_edit_, request_button_);

    // Filter once the doctor pauses typing: each pass reads every row (10,000 for a large
    // practice), once per keystroke it would stall the typing itself.
    auto* filter_timer = new QTimer(this);
    filter_timer->setSingleShot(true);
    filter_timer->setInterval(150);
    connect(filter_edit_, &QLineEdit::textChanged, filter_timer, qOverload<>(&QTimer::start));
    connect(filter_timer, &QTimer::timeout, this, [this] {
        proxy_->set_text(filter_edit_->text());
        update_empty();
    });
    connect(state_combo_, &QComboBox::currentIndexChanged, this, [this] {
        proxy_->set_show(static_cast<PatientsFilter::Show>(state_combo_->currentData().toInt()));
        update_empty();
    });
    connect(model_, &QAbstractItemModel::rowsInserted, this, &PatientsPage::update_empty);
    connect(model_, &QAbstractItemModel::modelReset, this, &PatientsPage::update_empty);
    connect(model_, &PatientsModel::filled, this, [this] {
        load_progress_->hide();
        update_empty();
    });
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { open_button_->setEnabled(current.isValid()); });
    // QAbstractItemView::activated is Enter and double-click (or the style's single click).
    connect(table_, &QTableView::activated, this, &PatientsPage::open_selected);
    connect(open_button_, &QPushButton::clicked, this, &PatientsPage::open_selected);
    connect(request_button_, &QPushButton::clicked, this, &PatientsPage::request_access);
    connect(request_edit_, &QLineEdit::returnPressed, this, &PatientsPage::request_access);
    connect(add_button_, &QPushButton::clicked, this, &PatientsPage::add_patient);
    update_empty();
}

void PatientsPage::update_empty() {
    if (model_->rowCount() == 0) {
        empty_->setText(loading_ ? tr("Loading patients…") : tr("No patients yet"));
        empty_->set_empty(true);
    } else if (proxy_->rowCount() == 0) {
        empty_->setText(tr("No patient matches the filter"));
        empty_->set_empty(true);
    } else {
        empty_->set_empty(false);
    }
}

void PatientsPage::refresh() {
    auto account = session_.account();
    if (!account) return;
    if (loading_) {
        reload_ = true;
        return;
    }
    auto client = session_.client();
    const client::Address me = account->address();
    struct Loaded {
        client::DoctorStatus status = client::DoctorStatus::none;
        std::vector<PatientAccess> rows;
    };
    load_progress_->setRange(0, 0);
    load_progress_->setFormat(tr("Loading patients…"));
    // Shown only for a load that takes a while: a quick refresh after each change flashes nothing.
    QTimer::singleShot(300, load_progress_, [this] {
        if (loading_) load_progress_->show();
    });
    loading_ = run_task(
        this,
        [client, me](const TaskIo& io) {
            Loaded loaded;
            loaded.status = client->doctor(me).status;
            loaded.rows = scan_patients(*client, me, io, /*only_asked=*/false);
            return loaded;
        },
        [this](Loaded loaded) {
            loading_ = nullptr;
            if (!banner_->isHidden() && banner_->kind() == MessageBanner::Kind::error) banner_->clear();
            switch (loaded.status) {
                case client::DoctorStatus::verified: not_verified_.clear(); break;
                case client::DoctorStatus::suspended:
                    not_verified_ = tr("Your account is suspended: you cannot ask for access or add patients.");
                    break;
                default:
                    not_verified_ = tr("The credentialing authority has not verified you yet: you cannot ask for "
                                       "access or add patients.");
                    break;
            }
            request_button_->setEnabled(not_verified_.isEmpty() && !requesting_);
            request_button_->setToolTip(not_verified_);
            add_button_->setEnabled(not_verified_.isEmpty());
            add_button_->setToolTip(not_verified_);
            model_->set_rows(std::move(loaded.rows));
            if (std::exchange(reload_, false)) refresh();
        },
        [this](const Failure& failure) {
            loading_ = nullptr;
            load_progress_->hide();
            banner_->show_failure(failure);
            banner_->set_action(tr("&Retry"), [this] { refresh(); });
            update_empty();
            if (std::exchange(reload_, false)) refresh();
        });
    connect(loading_, &Task::progressed, load_progress_, [this](const QString&, qint64 done, qint64 total) {
        if (total <= 0) return;
        load_progress_->setRange(0, static_cast<int>(total));
        load_progress_->setValue(static_cast<int>(done));
        load_progress_->setFormat(tr("Loading patients… %v of %m"));
    });
    update_empty();
}

void PatientsPage::request_access() {
    auto account = session_.account();
    if (!account || requesting_) return;
    const QString text = request_edit_->text().trimmed();
    // The address as typed, or the text of the patient's code (read from their QR code).
    const auto patient = client::Address::parse_code(text.toStdString());
    if (!patient) {
        banner_->show_message(MessageBanner::Kind::warning,
                              tr("“%1” is not an address: it starts with 0x and has 40 hex digits (or paste the text "
                                 "of the patient's code, ethereum:0x…).").arg(text));
        request_edit_->setFocus();
        return;
    }
    // What the doctor already has is shown, not asked again.
    switch (model_->state_of(*patient)) {
        case client::RequestState::pending:
            banner_->show_message(MessageBanner::Kind::info,
                                  tr("Your request to %1 is pending: the patient has not answered yet.").arg(short_address(*patient)));
            return;
        case client::RequestState::approved:
            banner_->show_message(MessageBanner::Kind::info, tr("You already have access to %1.").arg(short_address(*patient)));
            return;
        default: break;
    }
    requesting_ = true;
    request_button_->setEnabled(false);
    banner_->clear();
    const client::Address who = *patient;
    run_task(
        this, [account, who](const TaskIo& io) { account->request_access(who, io.stop); },
        [this, who] {
            requesting_ = false;
            request_button_->setEnabled(not_verified_.isEmpty());
            request_edit_->clear();
            model_->mark_pending(who);
            banner_->show_message(MessageBanner::Kind::success,
                                  tr("Request sent to %1. The patient sees it and decides.").arg(short_address(who)));
            session_.notify_changed();
        },
        [this](const Failure& failure) {
            requesting_ = false;
            request_button_->setEnabled(not_verified_.isEmpty());
            banner_->show_failure(failure);
        });
}

void PatientsPage::open_selected() {
    const QModelIndex current = table_->currentIndex();
    if (!current.isValid()) return;
    emit navigate(QStringLiteral("patientPage"), current.data(PatientsModel::address_role).toString());
}

void PatientsPage::add_patient() {
    auto* wizard = new AddPatientWizard(session_, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &AddPatientWizard::patient_added, this, [this] { refresh(); });
    wizard->open();
}

}  // namespace dossier::desktop
