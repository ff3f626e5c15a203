#pragma once
/// Locks the session after a period without keyboard or mouse input (KeePassXC's InactivityTimer):
/// an unattended consulting-room screen must not stay open on a patient's records.
#include <QObject>
#include <QTimer>

namespace dossier::desktop {

class Session;

class IdleLock : public QObject {
    Q_OBJECT
public:
    /// Watches every input event of the application; `minutes` 0 disables the lock.
    IdleLock(Session& session, int minutes, QObject* parent = nullptr);
    void set_minutes(int minutes);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    Session& session_;
    QTimer timer_;
};

}  // namespace dossier::desktop
