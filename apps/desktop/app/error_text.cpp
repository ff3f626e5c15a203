#include "app/error_text.hpp"

#include <QObject>

namespace dossier::desktop {

QString failure_title(ErrorCode code) {
    switch (code) {
        case ErrorCode::internal: return QObject::tr("Unexpected error");
        case ErrorCode::invalid_input: return QObject::tr("Please check what you entered");
        case ErrorCode::not_found: return QObject::tr("Not found");
        case ErrorCode::already_exists: return QObject::tr("Already exists");
        case ErrorCode::permission_denied: return QObject::tr("Not allowed");
        case ErrorCode::access_expired: return QObject::tr("Access expired");
        case ErrorCode::suspended: return QObject::tr("Account suspended");
        case ErrorCode::wrong_password: return QObject::tr("Wrong password");
        case ErrorCode::node_unavailable: return QObject::tr("Node not reachable");
        case ErrorCode::tampered: return QObject::tr("Failed integrity check");
        case ErrorCode::conflict: return QObject::tr("Someone else saved first");
        case ErrorCode::cancelled: return QObject::tr("Cancelled");
        case ErrorCode::reverted: return QObject::tr("Refused by the chain");
        case ErrorCode::io: return QObject::tr("File error");
        case ErrorCode::deployment: return QObject::tr("Contracts not found");
    }
    return QObject::tr("Error");
}

QString failure_advice(const Failure& f) {
    switch (f.code) {
        case ErrorCode::wrong_password: return QObject::tr("Type the password again.");
        case ErrorCode::node_unavailable:
            return f.detail == QLatin1String("NodeNotRunning")
                       ? QObject::tr("Start the node (Node menu) and try again.")
                       : QObject::tr("Check that the node is running and reachable, then try again.");
        case ErrorCode::deployment:
            return QObject::tr("Check the chain and the deployment in Settings, or start the local node again.");
        case ErrorCode::access_expired: return QObject::tr("Ask the patient for access again.");
        case ErrorCode::suspended:
            return QObject::tr("A suspended doctor can sign in and see its own history, but cannot read or write "
                               "patients' records until the authority verifies it again.");
        case ErrorCode::tampered:
            return QObject::tr("The content was not shown. Tell the clinic's IT: the store or the chain returned "
                               "altered data.");
        case ErrorCode::conflict: return QObject::tr("Reload the record to see the newer version, then edit again.");
        case ErrorCode::cancelled:
            return f.detail.isEmpty() ? QString()
                                      : QObject::tr("The transaction %1 was already sent and may still be confirmed.")
                                            .arg(f.detail);
        case ErrorCode::internal: return QObject::tr("Please report this with what you were doing.");
        default: return {};
    }
}

QString failure_text(const Failure& f) {
    const QString advice = failure_advice(f);
    return advice.isEmpty() ? f.message : f.message + QLatin1Char(' ') + advice;
}

}  // namespace dossier::desktop
