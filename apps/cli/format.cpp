#include "format.hpp"

#include <ctime>

#include "dossier/accounts.hpp"

namespace dossier::cli {

eth::Address resolve_address(const core::Config& config, std::string_view who) {
    if (who.size() == 42 && who.substr(0, 2) == "0x") return eth::Address::from_hex(who);
    return core::find_account(config, who).address;
}

std::string utc_time(std::uint64_t unix_seconds) {
    const auto t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
}

std::string display_name(const core::Config& config, const eth::Address& address) {
    try {
        const auto a = core::find_account(config, address.to_checksum());
        return a.label + " (" + address.to_checksum() + ")";
    } catch (const core::AccountError&) {
        return address.to_checksum();
    }
}

}  // namespace dossier::cli
