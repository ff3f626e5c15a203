#include "chain/manifest.hpp"

#include <nlohmann/json.hpp>

#include "base/atomic_file.hpp"
#include "base/hex.hpp"

namespace dossier::chain {
using nlohmann::json;

namespace {
constexpr int kFormat = 1;

const json& field(const json& j, const char* name) {
    if (!j.is_object() || !j.contains(name)) throw ManifestError(std::string("manifest has no '") + name + "' field");
    return j.at(name);
}

eth::Address address_field(const json& j, const char* name) {
    const json& v = field(j, name);
    if (!v.is_string()) throw ManifestError(std::string("manifest field '") + name + "' is not an address string");
    try {
        return eth::Address::from_hex(v.get<std::string>());
    } catch (const DecodeError& e) {
        throw ManifestError(std::string("manifest field '") + name + "': " + e.what());
    }
}

std::uint64_t uint_field(const json& j, const char* name) {
    const json& v = field(j, name);
    if (!v.is_number_unsigned()) throw ManifestError(std::string("manifest field '") + name + "' is not a non-negative integer");
    return v.get<std::uint64_t>();
}
}  // namespace

std::string Manifest::to_json() const {
    json hashes = json::object();
    for (const auto& [name, h] : code_hashes) hashes[name] = to_hex(h);
    const json j = {{"format", kFormat},
                    {"chainId", chain_id},
                    {"deploymentBlock", deployment_block},
                    {"deployer", deployer.to_checksum()},
                    {"contracts",
                     {{"AuditContract", audit.to_checksum()},
                      {"DoctorContract", doctor.to_checksum()},
                      {"PatientContract", patient.to_checksum()}}},
                    {"codeHashes", hashes}};
    return j.dump(2) + "\n";
}

Manifest Manifest::from_json(std::string_view text) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception&) {
        throw ManifestError("manifest is not valid JSON");
    }
    if (uint_field(j, "format") != kFormat) throw ManifestError("manifest format is not supported by this version");
    Manifest m;
    m.chain_id = uint_field(j, "chainId");
    m.deployment_block = uint_field(j, "deploymentBlock");
    m.deployer = address_field(j, "deployer");
    const json& c = field(j, "contracts");
    m.audit = address_field(c, "AuditContract");
    m.doctor = address_field(c, "DoctorContract");
    m.patient = address_field(c, "PatientContract");
    if (j.contains("codeHashes")) {
        for (const auto& [name, v] : j.at("codeHashes").items()) {
            try {
                m.code_hashes[name] = from_hex_fixed<32>(v.get<std::string>());
            } catch (const std::exception&) {
                throw ManifestError("manifest code hash of '" + name + "' is not 32 bytes of hex");
            }
        }
    }
    return m;
}

Manifest Manifest::load(const std::filesystem::path& file) {
    if (!std::filesystem::exists(file))
        throw ManifestError("no deployment manifest at '" + file.string() +
                            "': the contracts are not deployed yet (the embedded node deploys them when it first starts; a "
                            "remote chain needs a deployment)");
    const Bytes text = read_file(file);
    try {
        return from_json(as_chars(text));
    } catch (const ManifestError& e) {
        throw ManifestError(file.string() + ": " + e.what());
    }
}

void Manifest::save(const std::filesystem::path& file) const {
    std::filesystem::create_directories(file.parent_path());
    write_file_atomic(file, as_bytes(to_json()));
}

}  // namespace dossier::chain
