#include "app/idle_lock.hpp"

#include <QCoreApplication>
#include <QEvent>

#include "app/session.hpp"

namespace dossier::desktop {

IdleLock::IdleLock(Session& session, int minutes, QObject* parent) : QObject(parent), session_(session) {
    timer_.setSingleShot(true);
    connect(&timer_, &QTimer::timeout, this, [this] { session_.lock(); });
    set_minutes(minutes);
    QCoreApplication::instance()->installEventFilter(this);
}

void IdleLock::set_minutes(int minutes) {
    timer_.stop();
    if (minutes > 0) {
        timer_.setInterval(minutes * 60 * 1000);
        timer_.start();
    }
}

bool IdleLock::eventFilter(QObject* watched, QEvent* event) {
    switch (event->type()) {
        case QEvent::KeyPress:
        case QEvent::MouseButtonPress:
        case QEvent::MouseMove:
        case QEvent::Wheel:
            if (timer_.interval() > 0 && timer_.isActive()) timer_.start();
            break;
        default: break;
    }
    return QObject::eventFilter(watched, event);
}

}  // namespace dossier::desktop
