#include "shell/screenshot_tour.hpp"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QListWidget>
#include <QPixmap>
#include <QPushButton>
#include <QStackedWidget>
#include <QTimer>
#include <memory>
#include <vector>

#include "app/format.hpp"
#include "app/session.hpp"
#include "app/task.hpp"
#include "shell/login_page.hpp"
#include "shell/main_window.hpp"
#include "shell/page.hpp"

namespace dossier::desktop {

namespace {

/// One step of the tour: an action, then a wait until no task runs (the page has loaded).
struct Step {
    std::function<void()> act;
    QString shot;  ///< file name to save after the step, or empty
};

class Tour : public QObject {
public:
    Tour(Session& session, MainWindow& window, QString directory, QString password)
        : QObject(&window), session_(session), window_(window), dir_(std::move(directory)), password_(std::move(password)) {
        QDir().mkpath(dir_);
    }

    void start() {
        auto client = session_.client();
        run_task(
            this, [client](const TaskIo&) { return client->accounts(); },
            [this](const std::vector<client::AccountInfo>& accounts) { plan(accounts); },
            [](const Failure& f) {
                qCritical("screenshot tour: %s", qPrintable(f.message));
                QApplication::exit(1);
            });
    }

private:
    /// The most recent account of `role` (the latest demonstration run's).
    static const client::AccountInfo* latest(const std::vector<client::AccountInfo>& accounts, client::Role role) {
        const client::AccountInfo* found = nullptr;
        for (const auto& a : accounts) {
            if (a.role == role && (!found || a.created >= found->created)) found = &a;
        }
        return found;
    }

    void plan(const std::vector<client::AccountInfo>& accounts) {
        steps_.push_back({[] {}, QStringLiteral("login")});
        const auto* patient = latest(accounts, client::Role::patient);
        for (auto role : {client::Role::doctor, client::Role::patient, client::Role::admin}) {
            const auto* account = latest(accounts, role);
            if (!account) continue;
            const QString who = full_address(account->address);
            const QString prefix = role_text(role).toLower();
            steps_.push_back({[this, who] { sign_in(who); }, {}});
            for (const QString& page : pages(role)) {
                const QString argument =
                    page == QLatin1String("patientPage") && patient ? full_address(patient->address) : QString();
                steps_.push_back({[this, page, argument] { window_.open_page(page, argument); }, prefix + QLatin1Char('-') + page});
            }
            steps_.push_back({[this] { session_.lock(); }, {}});
        }
        next();
    }

    static QStringList pages(client::Role role) {
        switch (role) {
            case client::Role::doctor:
                return {QStringLiteral("doctorHome"), QStringLiteral("patientsPage"), QStringLiteral("patientPage"),
                        QStringLiteral("doctorHistoryPage")};
            case client::Role::patient:
                return {QStringLiteral("patientHome"), QStringLiteral("myRecordsPage"), QStringLiteral("requestsPage"),
                        QStringLiteral("myHistoryPage")};
            case client::Role::admin: return {QStringLiteral("doctorsAdminPage")};
        }
        return {};
    }

    void sign_in(const QString& who) {
        auto* login = window_.login_page();
        login->select(who);
        login->findChild<QLineEdit*>(QStringLiteral("passwordEdit"))->setText(password_);
        login->findChild<QPushButton*>(QStringLiteral("unlockButton"))->click();
    }

    void next() {
        if (index_ >= steps_.size()) {
            QApplication::exit(0);
            return;
        }
        steps_[index_].act();
        settle_.start();
        QTimer::singleShot(200, this, &Tour::wait);
    }

    /// Waits until no task has run for 500 ms (a page's loads may chain), at most 60 s.
    void wait() {
        if (Task::running() > 0 && settle_.elapsed() < 60000) {
            quiet_since_ = -1;
            QTimer::singleShot(100, this, &Tour::wait);
            return;
        }
        if (quiet_since_ < 0) quiet_since_ = settle_.elapsed();
        if (settle_.elapsed() - quiet_since_ < 500 && settle_.elapsed() < 60000) {
            QTimer::singleShot(100, this, &Tour::wait);
            return;
        }
        quiet_since_ = -1;
        const QString shot = steps_[index_].shot;
        if (!shot.isEmpty()) {
            const QString path = dir_ + QLatin1Char('/') + shot + QStringLiteral(".png");
            if (!window_.grab().save(path)) {
                qCritical("screenshot tour: cannot write %s", qPrintable(path));
                QApplication::exit(1);
                return;
            }
        }
        ++index_;
        next();
    }

    Session& session_;
    MainWindow& window_;
    QString dir_, password_;
    std::vector<Step> steps_;
    std::size_t index_ = 0;
    QElapsedTimer settle_;
    qint64 quiet_since_ = -1;
};

}  // namespace

void start_screenshot_tour(Session& session, MainWindow& window, const QString& directory, const QString& password) {
    auto* tour = new Tour(session, window, directory, password);
    tour->start();
}

}  // namespace dossier::desktop
