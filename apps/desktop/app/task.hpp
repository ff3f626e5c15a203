#pragma once
/// Runs client calls off the UI thread, as every screen must: run_task(context, work, done, fail)
/// runs `work` on Qt's thread pool and calls `done(result)` or `fail(failure)` back on the UI
/// thread, only while `context` lives (a closed dialog never receives a stale answer; KeePassXC's
/// AsyncTask::runThenCallback has the same contract). A Task carries the call's stop token (its
/// Cancel) and its progress, which the UI polls every 100 ms rather than receiving one queued
/// signal per chunk: a 1 GB attach reports thousands of chunks, a person needs ten updates a second.
///
/// The work runs on the app's own thread pool (client_pool()), never on QThreadPool's global
/// instance: Qt 6.4's raster painting splits large fills and image scaling into pieces that it
/// runs on the global pool while the UI thread waits for them, so a long call there (a 100 MB
/// attach, a 1,000-record listing) froze painting until a pool thread came free (up to 250 ms in
/// tests/desktop/test_responsiveness.cpp).
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <QFutureWatcher>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <type_traits>
#include <utility>

#include "dossier/client/error.hpp"
#include "dossier/client/progress.hpp"

namespace dossier::desktop {

/// A failed call as the UI shows it: the client's error code (what to do), its sentence, its detail.
struct Failure {
    ErrorCode code = ErrorCode::internal;
    QString message;
    QString detail;
};
/// The Failure of the exception being handled (dossier::Error keeps its code; anything else is
/// internal).
[[nodiscard]] Failure current_failure();

/// The pool every run_task() worker runs on: as many threads as QThreadPool's global instance,
/// but its own, so that client calls never hold the threads QtGui paints with.
[[nodiscard]] QThreadPool* client_pool();

/// What a worker gets: the stop token to pass to the client call and the progress callback.
struct TaskIo {
    std::stop_token stop;
    client::ProgressFn progress;
};

/// The latest progress of a worker, taken by the UI thread's poll.
class ProgressBox {
public:
    void put(const client::Progress& progress);
    [[nodiscard]] std::optional<client::Progress> take();

private:
    std::mutex mutex_;
    std::optional<client::Progress> latest_;
};

class Task : public QObject {
    Q_OBJECT
public:
    explicit Task(QObject* context);
    ~Task() override;  ///< requests stop: nobody waits for the answer any more

    /// Asks the worker to stop (the call throws cancelled at its next step).
    void cancel();
    [[nodiscard]] bool cancel_requested() const noexcept { return stop_.stop_requested(); }
    [[nodiscard]] TaskIo io() const;
    /// Tasks not finished yet, app-wide (the screenshot tour waits for the screen to settle).
    [[nodiscard]] static int running() noexcept;

    /// Internal: watches the worker's future and runs `finish` on the UI thread when it ends.
    void watch(const QFuture<void>& future, std::function<void()> finish);

signals:
    void progressed(const QString& phase, qint64 done, qint64 total, const QString& unit);
    /// After done/fail ran; the Task deletes itself next.
    void finished();

private:
    void poll();

    std::stop_source stop_;
    std::shared_ptr<ProgressBox> box_ = std::make_shared<ProgressBox>();
    QTimer poll_timer_;
    QFutureWatcher<void> watcher_;
};

/// Runs `work(const TaskIo&)` on the thread pool; on the UI thread, `done(result)` (or `done()`
/// for void) or `fail(const Failure&)`, unless `context` was destroyed first.
template <class Work, class Done, class Fail>
Task* run_task(QObject* context, Work work, Done done, Fail fail) {
    using R = std::invoke_result_t<Work&, const TaskIo&>;
    using Value = std::conditional_t<std::is_void_v<R>, bool, R>;
    auto* task = new Task(context);
    auto result = std::make_shared<std::optional<Value>>();
    auto failure = std::make_shared<std::optional<Failure>>();
    QFuture<void> future = QtConcurrent::run(client_pool(), [io = task->io(), result, failure, work = std::move(work)]() mutable {
        try {
            if constexpr (std::is_void_v<R>) {
                work(io);
                result->emplace(true);
            } else {
                result->emplace(work(io));
            }
        } catch (...) {
            failure->emplace(current_failure());
        }
    });
    task->watch(future, [result, failure, done = std::move(done), fail = std::move(fail)]() mutable {
        if (failure->has_value()) {
            fail(**failure);
        } else if constexpr (std::is_void_v<R>) {
            done();
        } else {
            done(std::move(**result));
        }
    });
    return task;
}

}  // namespace dossier::desktop
