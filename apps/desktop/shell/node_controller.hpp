#pragma once
/// The node as the window shows it: on the embedded default the app starts the chain and the
/// IPFS store itself (with progress, as Bitcoin Core's splash does on an init thread); on a remote
/// chain it only checks that the node answers. One line of state for the status bar and the login
/// page ("● Local node running · data in ~/.local/share/dossier").
#include <QObject>
#include <QString>

#include "app/task.hpp"

namespace dossier::desktop {

class Session;

class NodeController : public QObject {
    Q_OBJECT
public:
    enum class State { unknown, starting, running, stopped, failed };
    explicit NodeController(Session& session, QObject* parent = nullptr);

    /// Embedded: starts the node unless it runs (checks first). Remote: checks it answers.
    void start();
    void stop();
    void check();

    [[nodiscard]] State state() const noexcept { return state_; }
    [[nodiscard]] QString text() const { return text_; }
    /// The last start or check that failed (code node_unavailable, deployment...).
    [[nodiscard]] const Failure& failure() const { return failure_; }

signals:
    void state_changed(dossier::desktop::NodeController::State state, const QString& text);
    /// A phase of the start ("starting the chain", "deploying the contracts"...).
    void progressed(const QString& phase);

private:
    void set_state(State state, const QString& text);
    [[nodiscard]] QString where() const;

    Session& session_;
    State state_ = State::unknown;
    QString text_;
    Failure failure_;
    bool busy_ = false;
};

}  // namespace dossier::desktop
