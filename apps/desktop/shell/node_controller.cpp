#include "shell/node_controller.hpp"

#include "app/error_text.hpp"
#include "app/format.hpp"
#include "app/session.hpp"

namespace dossier::desktop {

NodeController::NodeController(Session& session, QObject* parent) : QObject(parent), session_(session) {}

QString NodeController::where() const {
    auto client = session_.client();
    if (!client->embedded_chain()) return tr("remote chain %1").arg(qstr(client->config().rpc_url.value_or("")));
    const auto& dir = client->config().data_dir;
    return tr("data in %1").arg(qstr((dir.empty() ? client::default_data_dir() : dir).string()));
}

void NodeController::set_state(State state, const QString& text) {
    state_ = state;
    text_ = text;
    emit state_changed(state, text);
}

void NodeController::check() {
    if (busy_) return;
    busy_ = true;
    auto client = session_.client();
    run_task(
        this, [client](const TaskIo&) { return client->node_status(); },
        [this](const client::NodeStatus& s) {
            busy_ = false;
            if (s.healthy) {
                set_state(State::running, tr("\u25cf Node running \u00b7 %1").arg(where()));
            } else {
                failure_ = {ErrorCode::node_unavailable,
                            s.problems.empty() ? tr("The node is not running.") : qstr(s.problems.front()), {}};
                set_state(State::stopped, tr("\u25cb Node not ready \u00b7 %1").arg(failure_.message));
            }
        },
        [this](const Failure& f) {
            busy_ = false;
            failure_ = f;
            set_state(State::failed, tr("\u2717 %1").arg(failure_text(f)));
        });
}

void NodeController::start() {
    auto client = session_.client();
    if (!client->embedded_chain()) {
        check();
        return;
    }
    if (busy_) return;
    busy_ = true;
    set_state(State::starting, tr("\u25d4 Starting the local node\u2026 (%1)").arg(where()));
    auto* task = run_task(
        this,
        [client](const TaskIo& io) {
            client::NodeUpOptions options;
            return client->node_up(options, io.progress, io.stop);
        },
        [this](const client::NodeStatus& s) {
            busy_ = false;
            if (s.healthy) {
                set_state(State::running, tr("\u25cf Local node running \u00b7 %1").arg(where()));
            } else {
                failure_ = {ErrorCode::node_unavailable,
                            s.problems.empty() ? tr("The node did not start.") : qstr(s.problems.front()), {}};
                set_state(State::failed, tr("\u2717 %1").arg(failure_.message));
            }
        },
        [this](const Failure& f) {
            busy_ = false;
            failure_ = f;
            set_state(State::failed, tr("\u2717 %1").arg(failure_text(f)));
        });
    connect(task, &Task::progressed, this, [this](const QString& phase) {
        emit progressed(phase);
        set_state(State::starting, tr("\u25d4 Starting the local node: %1\u2026").arg(phase));
    });
}

void NodeController::stop() {
    if (busy_) return;
    busy_ = true;
    auto client = session_.client();
    run_task(
        this, [client](const TaskIo&) { return client->node_down(); },
        [this](const client::NodeDownReport&) {
            busy_ = false;
            set_state(State::stopped, tr("\u25cb Local node stopped"));
        },
        [this](const Failure& f) {
            busy_ = false;
            failure_ = f;
            set_state(State::failed, tr("\u2717 %1").arg(failure_text(f)));
        });
}

}  // namespace dossier::desktop
