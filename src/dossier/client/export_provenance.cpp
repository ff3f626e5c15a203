// Who wrote what when, as FHIR R4 Provenance: an export carries each version's author, time and
// chain transaction, so a reader of the file can check it against the chain.
#include <ctime>

#include "base/hex.hpp"
#include "dossier/client/export_parts.hpp"
#include "ipfs/sha256.hpp"

namespace dossier::client::detail {

namespace {

std::string strftime_utc(std::uint64_t seconds, const char* format) {
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, format, &tm);
    return buf;
}

}  // namespace

std::string iso_date(std::uint64_t seconds) { return strftime_utc(seconds, "%Y-%m-%d"); }

std::string iso_instant(std::uint64_t seconds) { return strftime_utc(seconds, "%Y-%m-%dT%H:%M:%SZ"); }

std::string entry_url(const Address& patient, const std::string& what) {
    const std::string text = patient.hex() + "/" + what;
    const Bytes32 h = ipfs::sha256(ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
    std::string hex = to_hex_raw(ByteView{h}).substr(0, 32);
    // An RFC 4122 version 4 / variant 1 layout, from the digest rather than randomness.
    hex[12] = '4';
    hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];
    return "urn:uuid:" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

Json provenance(const ChainWrite& w) {
    Json who = {{"identifier", {{"system", kAccountSystem}, {"value", w.author.checksum()}}}};
    if (!w.author_name.empty()) who["display"] = w.author_name;
    return Json{
        {"resourceType", "Provenance"},
        {"id", w.id},
        {"target", Json::array({Json{{"reference", w.target_url}, {"display", w.target_display}}})},
        {"recorded", iso_instant(w.timestamp)},
        {"activity",
         {{"coding", Json::array({Json{{"system", "http://terminology.hl7.org/CodeSystem/v3-DataOperation"},
                                       {"code", w.creates ? "CREATE" : "UPDATE"}}})}}},
        {"agent",
         Json::array({Json{{"type",
                            {{"coding", Json::array({Json{
                                            {"system", "http://terminology.hl7.org/CodeSystem/provenance-participant-type"},
                                            {"code", "author"}}})}}},
                           {"who", who}}})},
        {"entity", Json::array({Json{{"role", "source"},
                                     {"what",
                                      {{"identifier", {{"system", kTransactionSystem}, {"value", w.tx}}},
                                       {"display", "the chain transaction that recorded it"}}}}})}};
}

}  // namespace dossier::client::detail
