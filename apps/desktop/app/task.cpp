#include "app/task.hpp"

#include <QCoreApplication>
#include <QPointer>

namespace dossier::desktop {

Failure current_failure() {
    try {
        throw;
    } catch (const Error& e) {
        return {e.code(), QString::fromStdString(e.what()), QString::fromStdString(e.detail())};
    } catch (const std::exception& e) {
        // The client maps everything to dossier::Error; anything else is a bug worth showing.
        return {ErrorCode::internal, QString::fromStdString(e.what()), {}};
    } catch (...) {
        return {ErrorCode::internal, QStringLiteral("An unexpected error occurred."), {}};
    }
}

QThreadPool* client_pool() {
    // Owned by the application, so that it is waited for and deleted while the application still
    // exists, as the global instance is (a Task's destructor has already asked its call to stop).
    // Made and used on the UI thread only, as run_task().
    static QPointer<QThreadPool> pool;
    if (!pool) {
        pool = new QThreadPool(QCoreApplication::instance());
        pool->setObjectName(QStringLiteral("clientPool"));
    }
    return pool;
}

void ProgressBox::put(const client::Progress& progress) {
    std::lock_guard lock(mutex_);
    latest_ = progress;
}

std::optional<client::Progress> ProgressBox::take() {
    std::lock_guard lock(mutex_);
    return std::exchange(latest_, std::nullopt);
}

namespace {
int tasks_running = 0;  // UI thread only: Tasks are made and destroyed there
}  // namespace

int Task::running() noexcept { return tasks_running; }

Task::Task(QObject* context) : QObject(context) {
    ++tasks_running;
    poll_timer_.setInterval(100);
    connect(&poll_timer_, &QTimer::timeout, this, &Task::poll);
}

Task::~Task() {
    --tasks_running;
    stop_.request_stop();
}

void Task::cancel() { stop_.request_stop(); }

TaskIo Task::io() const {
    return {stop_.get_token(), [box = box_](const client::Progress& p) { box->put(p); }};
}

void Task::watch(const QFuture<void>& future, std::function<void()> finish) {
    connect(&watcher_, &QFutureWatcher<void>::finished, this, [this, finish = std::move(finish)] {
        poll_timer_.stop();
        poll();
        finish();
        emit finished();
        deleteLater();
    });
    watcher_.setFuture(future);
    poll_timer_.start();
}

void Task::poll() {
    if (auto p = box_->take()) {
        emit progressed(QString::fromStdString(p->phase), static_cast<qint64>(p->done), static_cast<qint64>(p->total),
                        QString::fromStdString(p->unit));
    }
}

}  // namespace dossier::desktop
