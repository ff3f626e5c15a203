#include "format.hpp"

#include <ctime>

namespace dossier::cli {

std::string utc_time(std::uint64_t unix_seconds) {
    const auto t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
}

std::uint64_t parse_time(const std::string& text, bool end_of_day) {
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos && text.size() <= 12)
        return std::stoull(text);
    std::tm tm{};
    const char* rest = strptime(text.c_str(), "%Y-%m-%d", &tm);
    bool date_only = rest && *rest == '\0';
    if (rest && !date_only) {
        std::tm full{};
        rest = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &full);
        if (rest && (*rest == 'Z' || *rest == '\0') && (*rest == '\0' || rest[1] == '\0')) tm = full;
        else rest = nullptr;
    }
    if (!rest)
        throw client::Error(client::ErrorCode::invalid_input,
                            "\"" + text + "\" is not a time: write 2026-11-24, 2026-11-24T20:15:03Z or unix seconds");
    const std::time_t t = timegm(&tm);
    return static_cast<std::uint64_t>(t) + (date_only && end_of_day ? 86399u : 0u);
}

}  // namespace dossier::cli
