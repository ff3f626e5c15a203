/// The plain values of types.hpp and handler.hpp: parsing and naming.
#include <algorithm>
#include <string>

#include "dossier/client/handler.hpp"
#include "dossier/client/error.hpp"
#include "dossier/client/types.hpp"
#include "dossier/client/convert.hpp"
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

std::optional<Address> Address::parse_code(std::string_view text) noexcept {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!text.empty() && space(text.front())) text.remove_prefix(1);
    while (!text.empty() && space(text.back())) text.remove_suffix(1);
    constexpr std::string_view scheme = "ethereum:";
    if (text.size() > scheme.size() && std::equal(scheme.begin(), scheme.end(), text.begin(), [](char a, char b) {
            return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b);
        })) {
        text.remove_prefix(scheme.size());
        // EIP-681 allows "ethereum:pay-0x..." and a chain id after '@'; an account's code is the
        // plain form, and a chain id names the chain, not the account: both are accepted.
        if (text.starts_with("pay-")) text.remove_prefix(4);
        text = text.substr(0, text.find_first_of("@/?"));
    }
    return parse(text);
}

std::string Address::code() const { return "ethereum:" + checksum(); }

std::string Address::checksum() const { return eth::Address{bytes_}.to_checksum(); }
std::string Address::hex() const { return eth::Address{bytes_}.to_hex(); }

// The names of roles, states and kinds are the library's, so that a face and the library's own
// messages never spell them differently.

std::string_view role_name(Role role) noexcept { return core::role_name(convert::to_core(role)); }

Role parse_role(std::string_view text) {
    const core::Role r = core::parse_role(text);
    for (const Role c : {Role::doctor, Role::patient, Role::admin})
        if (convert::to_core(c) == r) return c;
    return Role::patient;
}

std::string_view status_name(DoctorStatus status) noexcept {
    return core::to_string(static_cast<core::DoctorStatus>(status));
}

std::string_view state_name(RequestState state) noexcept {
    return core::to_string(static_cast<core::RequestState>(state));
}

std::string_view kind_name(RecordKind kind) noexcept { return core::kind_name(convert::to_core(kind)); }

RecordKind parse_kind(std::string_view text) { return convert::to_client(core::parse_kind(text)); }

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
        case EventKind::access_blocked: return "access-blocked";
        case EventKind::access_unblocked: return "access-unblocked";
        case EventKind::node_up: return "node-up";
        case EventKind::node_down: return "node-down";
    }
    return "registered";
}

}  // namespace dossier::client
