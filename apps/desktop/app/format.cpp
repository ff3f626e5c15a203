#include "app/format.hpp"

#include <QDateTime>
#include <QLocale>
#include <QObject>

namespace dossier::desktop {

QString short_address(const client::Address& address) {
    const QString s = full_address(address);
    return s.left(6) + QChar(0x2026) + s.right(4);
}

QString full_address(const client::Address& address) { return QString::fromStdString(address.checksum()); }

QString format_time(std::uint64_t t) {
    if (t == 0) return {};
    return QLocale().toString(QDateTime::fromSecsSinceEpoch(static_cast<qint64>(t)), QStringLiteral("d MMM yyyy HH:mm"));
}

QString format_date(std::uint64_t t) {
    if (t == 0) return {};
    return QLocale().toString(QDateTime::fromSecsSinceEpoch(static_cast<qint64>(t)).date(), QStringLiteral("d MMM yyyy"));
}

QString format_size(std::uint64_t bytes) { return QLocale().formattedDataSize(static_cast<qint64>(bytes)); }

QString role_text(client::Role role) {
    switch (role) {
        case client::Role::doctor: return QObject::tr("Doctor");
        case client::Role::patient: return QObject::tr("Patient");
        case client::Role::admin: return QObject::tr("Authority");
    }
    return {};
}

QString kind_text(client::RecordKind kind) {
    switch (kind) {
        case client::RecordKind::condition: return QObject::tr("Condition");
        case client::RecordKind::medication: return QObject::tr("Medication");
        case client::RecordKind::allergy: return QObject::tr("Allergy");
        case client::RecordKind::appointment: return QObject::tr("Appointment");
        case client::RecordKind::note: return QObject::tr("Note");
        case client::RecordKind::file: return QObject::tr("File");
        case client::RecordKind::clinical: return QObject::tr("Clinical");
    }
    return {};
}

QString state_text(client::RequestState state) {
    switch (state) {
        case client::RequestState::none: return QObject::tr("None");
        case client::RequestState::pending: return QObject::tr("Pending");
        case client::RequestState::approved: return QObject::tr("Approved");
        case client::RequestState::expired: return QObject::tr("Expired");
        case client::RequestState::denied: return QObject::tr("Denied");
        case client::RequestState::revoked: return QObject::tr("Revoked");
        case client::RequestState::blocked: return QObject::tr("Blocked");
    }
    return {};
}

QString doctor_status_text(client::DoctorStatus status) {
    switch (status) {
        case client::DoctorStatus::none: return QObject::tr("Not registered");
        case client::DoctorStatus::registered: return QObject::tr("Registered (waiting for the authority)");
        case client::DoctorStatus::verified: return QObject::tr("Verified");
        case client::DoctorStatus::suspended: return QObject::tr("Suspended");
    }
    return {};
}

}  // namespace dossier::desktop
