#pragma once
/// Small shared helpers of the CLI: naming accounts, dates, and JSON of plain values.
#include <cstdint>
#include <string>
#include <string_view>

#include "dossier/config.hpp"
#include "eth/address.hpp"

namespace dossier::cli {

/// The address of an account given by label or address. A label must be an account of the data
/// directory; an address need not be (a doctor looks up a patient it only knows by address).
[[nodiscard]] eth::Address resolve_address(const core::Config& config, std::string_view who);

/// "2026-11-24 20:15:03 UTC" for unix seconds.
[[nodiscard]] std::string utc_time(std::uint64_t unix_seconds);

/// "label (0xAbc...)" if the address is an account of the data directory, else the address.
[[nodiscard]] std::string display_name(const core::Config& config, const eth::Address& address);

}  // namespace dossier::cli
