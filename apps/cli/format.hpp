#pragma once
/// Small shared helpers of the CLI: dates for people.
#include <cstdint>
#include <string>

namespace dossier::cli {

/// "2026-11-24 20:15:03 UTC" for unix seconds.
[[nodiscard]] std::string utc_time(std::uint64_t unix_seconds);

}  // namespace dossier::cli
