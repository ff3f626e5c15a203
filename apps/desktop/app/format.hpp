#pragma once
/// How values of the client API read on screen: addresses shortened in the middle, chain times as
/// local dates, sizes in units people use.
#include <QString>
#include <cstdint>
#include <string>

#include "dossier/client/types.hpp"

namespace dossier::desktop {

[[nodiscard]] inline QString qstr(const std::string& s) { return QString::fromStdString(s); }
/// "0x7099…79C8" (EIP-55 case).
[[nodiscard]] QString short_address(const client::Address& address);
/// The whole EIP-55 address.
[[nodiscard]] QString full_address(const client::Address& address);
/// A chain timestamp as a local date and time ("12 Jun 2026 14:05"); "" for 0.
[[nodiscard]] QString format_time(std::uint64_t unix_seconds);
/// A chain timestamp as a local date ("12 Jun 2026"); "" for 0.
[[nodiscard]] QString format_date(std::uint64_t unix_seconds);
/// "3.1 MB".
[[nodiscard]] QString format_size(std::uint64_t bytes);
/// "Doctor", "Patient", "Authority".
[[nodiscard]] QString role_text(client::Role role);
/// "Condition", "Medication", ...
[[nodiscard]] QString kind_text(client::RecordKind kind);
/// "Pending", "Approved", ...
[[nodiscard]] QString state_text(client::RequestState state);
/// "Registered (waiting for the authority)", "Verified", "Suspended", "Not registered".
[[nodiscard]] QString doctor_status_text(client::DoctorStatus status);

}  // namespace dossier::desktop
