#include "records/audit_view.hpp"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QTableView>
#include <QVBoxLayout>
#include <map>

#include "app/format.hpp"
#include "app/session.hpp"
#include "app/task.hpp"
#include "records/audit_model.hpp"
#include "records/tab_order.hpp"
#include "widgets/empty_state.hpp"
#include "widgets/message_banner.hpp"

namespace dossier::desktop {

namespace {

struct Verified {
    QString patient_name;
    client::AuditVerification result;
};

/// Everything one refresh loads: the merged entries, each trail's verification, and the trails
/// that could not be read (the others still show).
struct AuditLoad {
    std::vector<AuditRow> rows;
    std::vector<Verified> verified;
    std::vector<std::pair<QString, Failure>> failures;
};

/// The verification's message, with the first bad entry named when the message does not say it.
QString failure_sentence(const Verified& v, bool several) {
    QString text = qstr(v.result.message);
    if (text.isEmpty()) text = AuditView::tr("The trail does not match the chain head.");
    if (v.result.first_bad_seq && !text.contains(QStringLiteral("%1").arg(*v.result.first_bad_seq)))
        text += AuditView::tr(" (first bad entry: #%1)").arg(*v.result.first_bad_seq);
    return several ? v.patient_name + QStringLiteral(": ") + text : text;
}

}  // namespace

struct AuditView::Impl {
    explicit Impl(Session& s) : session(s) {}
    Session& session;
    std::vector<client::Address> patients;
    std::optional<client::Address> only_doctor;
    QPointer<Task> task;
    int generation = 0;

    MessageBanner* banner = nullptr;
    QLabel* badge = nullptr;
    QComboBox* show = nullptr;
    QLineEdit* search = nullptr;
    AuditModel* model = nullptr;
    AuditFilter* filter = nullptr;
    QTableView* table = nullptr;
    EmptyState* empty = nullptr;

    void set_badge(const QString& text, bool bad) {
        badge->setText(text);
        badge->setAccessibleName(text);
        // The symbol and the words carry the state; the colour only repeats it.
        badge->setStyleSheet(bad ? QStringLiteral("color: #b00020; font-weight: bold;") : QString());
    }
    void update_empty() {
        empty->setText(model->rowCount() == 0 ? AuditView::tr("No activity yet") : AuditView::tr("No entries match"));
        empty->set_empty(filter->rowCount() == 0);
    }
};

AuditView::AuditView(Session& session, QWidget* parent) : QWidget(parent), d_(new Impl(session)) {
    setObjectName(QStringLiteral("auditView"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    d_->banner = new MessageBanner(this);
    layout->addWidget(d_->banner);

    d_->badge = new QLabel(this);
    d_->badge->setObjectName(QStringLiteral("verifiedBadge"));
    d_->badge->setWordWrap(true);
    d_->badge->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(d_->badge);

    auto* bar = new QHBoxLayout;
    d_->show = new QComboBox(this);
    d_->show->setObjectName(QStringLiteral("auditFilterCombo"));
    d_->show->setAccessibleName(tr("Show entries"));
    d_->show->addItem(tr("All"), static_cast<int>(AuditFilter::Show::all));
    d_->show->addItem(tr("Access only"), static_cast<int>(AuditFilter::Show::access));
    d_->show->addItem(tr("Changes only"), static_cast<int>(AuditFilter::Show::changes));
    auto* show_label = new QLabel(tr("S&how:"), this);
    show_label->setBuddy(d_->show);
    d_->search = new QLineEdit(this);
    d_->search->setObjectName(QStringLiteral("auditSearchEdit"));
    d_->search->setAccessibleName(tr("Search the history"));
    d_->search->setPlaceholderText(tr("Search (name, record, transaction)"));
    d_->search->setClearButtonEnabled(true);
    auto* search_label = new QLabel(tr("&Search:"), this);
    search_label->setBuddy(d_->search);
    bar->addWidget(show_label);
    bar->addWidget(d_->show);
    bar->addSpacing(12);
    bar->addWidget(search_label);
    bar->addWidget(d_->search, 1);
    layout->addLayout(bar);

    d_->model = new AuditModel(this);
    d_->filter = new AuditFilter(this);
    d_->filter->setSourceModel(d_->model);
    d_->table = new QTableView(this);
    d_->table->setObjectName(QStringLiteral("auditTable"));
    d_->table->setAccessibleName(tr("History entries, newest first"));
    d_->table->setModel(d_->filter);
    d_->table->setSelectionBehavior(QAbstractItemView::SelectRows);
    d_->table->setSelectionMode(QAbstractItemView::SingleSelection);
    d_->table->setWordWrap(false);
    d_->table->setTextElideMode(Qt::ElideMiddle);  // names with addresses keep both ends
    d_->table->setTabKeyNavigation(false);
    d_->table->setSortingEnabled(true);
    d_->table->sortByColumn(AuditModel::when_column, Qt::DescendingOrder);
    d_->table->verticalHeader()->hide();
    d_->table->horizontalHeader()->setSectionResizeMode(AuditModel::what_column, QHeaderView::Stretch);
    d_->table->horizontalHeader()->setSectionResizeMode(AuditModel::when_column, QHeaderView::ResizeToContents);
    d_->table->horizontalHeader()->setSectionResizeMode(AuditModel::action_column, QHeaderView::ResizeToContents);
    // Measure the rows on screen only: Qt's default measures up to 1,000 rows on every relayout,
    // which a long history turns into a visible freeze (as the records timeline did).
    d_->table->horizontalHeader()->setResizeContentsPrecision(0);
    d_->empty = new EmptyState(d_->table, tr("No activity yet"));
    layout->addWidget(d_->table, 1);
    chain_tab_order(d_->show, d_->search, d_->table);

    connect(d_->show, &QComboBox::currentIndexChanged, this, [this] {
        d_->filter->set_show(static_cast<AuditFilter::Show>(d_->show->currentData().toInt()));
        d_->update_empty();
    });
    connect(d_->search, &QLineEdit::textChanged, this, [this](const QString& text) {
        d_->filter->setFilterFixedString(text);
        d_->update_empty();
    });
}

AuditView::~AuditView() { delete d_; }

void AuditView::set_patients(std::vector<client::Address> patients, std::optional<client::Address> only_doctor) {
    d_->patients = std::move(patients);
    d_->only_doctor = only_doctor;
}

void AuditView::refresh() {
    if (d_->task) d_->task->cancel();  // its answer is ignored: the generation moved on
    const int generation = ++d_->generation;
    d_->banner->clear();
    if (d_->patients.empty()) {
        d_->model->set_rows({});
        d_->set_badge({}, false);
        d_->badge->hide();
        d_->update_empty();
        return;
    }
    d_->badge->show();
    d_->set_badge(tr("Verifying\u2026"), false);
    if (d_->model->rowCount() == 0) {
        d_->empty->setText(tr("Loading\u2026"));
        d_->empty->set_empty(true);
    }
    auto client = d_->session.client();
    // An unlocked account names what each doctor opened (its keys derive the access-log key); the
    // public trail shows only that something was opened.
    auto account = d_->session.account();
    const auto patients = d_->patients;
    const auto only = d_->only_doctor;
    d_->task = run_task(
        this,
        [client, account, patients, only](const TaskIo& io) {
            AuditLoad out;
            std::map<client::Address, QString> names;
            const auto name = [&](const client::Address& a) -> const QString& {
                auto it = names.find(a);
                if (it == names.end()) it = names.emplace(a, qstr(client->display_name(a))).first;
                return it->second;
            };
            const auto n = patients.size();
            for (std::size_t i = 0; i < n; ++i) {
                const auto& patient = patients[i];
                // Each trail's own progress, said as part of the whole.
                const client::ProgressFn progress = [&io, i, n](const client::Progress& p) {
                    client::Progress whole = p;
                    if (n > 1) whole.phase = "trail " + std::to_string(i + 1) + " of " + std::to_string(n) + ": " + p.phase;
                    io.progress(whole);
                };
                try {
                    auto trail = account ? account->audit_trail(patient, progress, io.stop)
                                         : client->audit_trail(patient, progress, io.stop);
                    auto verification = client->verify_audit(patient, progress, io.stop);
                    out.verified.push_back({name(patient), std::move(verification)});
                    for (auto& e : trail) {
                        if (only && e.actor != *only && e.doctor != only) continue;
                        AuditRow row{std::move(e), patient, name(patient), {}};
                        row.actor_name = name(row.entry.actor);
                        out.rows.push_back(std::move(row));
                    }
                } catch (...) {
                    Failure f = current_failure();
                    if (f.code == ErrorCode::cancelled) throw;
                    out.failures.emplace_back(name(patient), std::move(f));
                }
            }
            return out;
        },
        [this, generation](AuditLoad load) {
            if (generation != d_->generation) return;
            d_->model->set_rows(std::move(load.rows));
            d_->update_empty();
            const bool several = d_->patients.size() > 1;
            for (const auto& v : load.verified) {
                if (!v.result.ok) {
                    d_->set_badge(QStringLiteral("\u2717 ") + failure_sentence(v, several), true);
                    return;
                }
            }
            if (!load.failures.empty()) {
                d_->banner->show_failure(load.failures.front().second);
                d_->set_badge(tr("\u26A0 Not verified: the history of %1 could not be read.").arg(load.failures.front().first),
                              true);
                return;
            }
            std::uint64_t entries = 0;
            for (const auto& v : load.verified) entries += v.result.entries;
            d_->set_badge(several ? tr("\u2713 Verified: %1 entries in %2 trails match their chain heads")
                                        .arg(entries)
                                        .arg(load.verified.size())
                                  : tr("\u2713 Verified: %1 entries match the chain head").arg(entries),
                          false);
        },
        [this, generation](const Failure& failure) {
            if (generation != d_->generation) return;
            d_->set_badge(tr("Not checked"), false);
            d_->update_empty();
            d_->banner->show_failure(failure);
        });
    connect(d_->task, &Task::progressed, d_->badge,
            [this, generation](const QString& phase, qint64 done, qint64 total, const QString&) {
                if (generation != d_->generation) return;
                QString text = tr("Verifying\u2026");
                if (total > 0) text += QStringLiteral(" %1%").arg(done * 100 / total);
                if (!phase.isEmpty()) text += QStringLiteral(" (") + phase + QLatin1Char(')');
                d_->set_badge(text, false);
            });
}

}  // namespace dossier::desktop
