#pragma once
/// Small shared helpers of the CLI: dates for people.
#include <cstdint>
#include <string>

#include "dossier/client/error.hpp"

namespace dossier::cli {

/// "2026-11-24 20:15:03 UTC" for unix seconds.
[[nodiscard]] std::string utc_time(std::uint64_t unix_seconds);

/// "2026-11-24", "2026-11-24T20:15:03Z" or unix seconds, as unix seconds (a date alone: its
/// first second, or with `end_of_day` its last). Throws Error(invalid_input) otherwise.
[[nodiscard]] std::uint64_t parse_time(const std::string& text, bool end_of_day = false);

}  // namespace dossier::cli
