/// The plain values of types.hpp and handler.hpp: parsing and naming.
#include <string>

#include "dossier/client/handler.hpp"
#include "dossier/client/error.hpp"
#include "dossier/client/types.hpp"
#include "eth/address.hpp"

namespace dossier::client {

Address Address::from_hex(std::string_view text) {
    try {
        return Address(eth::Address::from_hex(text).bytes);
    } catch (const dossier::Error&) {
        throw Error(ErrorCode::invalid_input, "'" + std::string(text) + "' is not an address (0x and 40 hex digits, "
                                              "with a correct checksum if in mixed case)");
    }
}

std::optional<Address> Address::parse(std::string_view text) noexcept {
    try {
        return Address(eth::Address::from_hex(text).bytes);
    } catch (...) {
        return std::nullopt;
    }
}

std::string Address::checksum() const { return eth::Address{bytes_}.to_checksum(); }
std::string Address::hex() const { return eth::Address{bytes_}.to_hex(); }

std::string_view role_name(Role role) noexcept {
    switch (role) {
        case Role::doctor: return "doctor";
        case Role::patient: return "patient";
        case Role::admin: return "admin";
    }
    return "patient";
}

Role parse_role(std::string_view text) {
    for (const Role r : {Role::doctor, Role::patient, Role::admin})
        if (role_name(r) == text) return r;
    throw Error(ErrorCode::invalid_input, "unknown role '" + std::string(text) + "': doctor, patient or admin");
}

std::string_view status_name(DoctorStatus status) noexcept {
    switch (status) {
        case DoctorStatus::none: return "none";
        case DoctorStatus::registered: return "registered";
        case DoctorStatus::verified: return "verified";
        case DoctorStatus::suspended: return "suspended";
    }
    return "none";
}

std::string_view state_name(RequestState state) noexcept {
    switch (state) {
        case RequestState::none: return "none";
        case RequestState::pending: return "pending";
        case RequestState::approved: return "approved";
        case RequestState::expired: return "expired";
        case RequestState::denied: return "denied";
        case RequestState::revoked: return "revoked";
    }
    return "none";
}

std::string_view kind_name(RecordKind kind) noexcept {
    switch (kind) {
        case RecordKind::condition: return "condition";
        case RecordKind::medication: return "medication";
        case RecordKind::allergy: return "allergy";
        case RecordKind::appointment: return "appointment";
        case RecordKind::note: return "note";
        case RecordKind::file: return "file";
    }
    return "note";
}

RecordKind parse_kind(std::string_view text) {
    for (const RecordKind k : {RecordKind::condition, RecordKind::medication, RecordKind::allergy,
                               RecordKind::appointment, RecordKind::note, RecordKind::file})
        if (kind_name(k) == text) return k;
    throw Error(ErrorCode::invalid_input, "unknown record kind '" + std::string(text) +
                                              "': condition, medication, allergy, appointment, note or file");
}

std::string_view event_kind_name(EventKind kind) noexcept {
    switch (kind) {
        case EventKind::registered: return "registered";
        case EventKind::profile_updated: return "profile-updated";
        case EventKind::access_requested: return "access-requested";
        case EventKind::access_approved: return "access-approved";
        case EventKind::access_denied: return "access-denied";
        case EventKind::access_revoked: return "access-revoked";
        case EventKind::key_rotated: return "key-rotated";
        case EventKind::record_added: return "record-added";
        case EventKind::record_updated: return "record-updated";
        case EventKind::file_attached: return "file-attached";
        case EventKind::accessed: return "accessed";
        case EventKind::node_up: return "node-up";
        case EventKind::node_down: return "node-down";
    }
    return "registered";
}

}  // namespace dossier::client
