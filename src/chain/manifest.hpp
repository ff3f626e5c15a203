#pragma once
/// The deployment manifest: which chain Dossier talks to and where its three contracts live.
/// Written once by `dossier node up` (embedded) or `dossier deploy` (remote); every later command
/// reads it instead of guessing addresses. Stored as JSON:
/// {"format":1,"chainId":31337,"deploymentBlock":1,"deployer":"0x..",
///  "contracts":{"AuditContract":"0x..","DoctorContract":"0x..","PatientContract":"0x.."},
///  "codeHashes":{...keccak of each contract's runtime code, to detect a wrong chain...}}
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "base/bytes.hpp"
#include "base/error.hpp"
#include "eth/address.hpp"

namespace dossier::chain {

/// No manifest, a malformed one, or a chain that does not hold the contracts it names.
class ManifestError : public Error {
public:
    explicit ManifestError(const std::string& message) : Error(ErrorCode::deployment, message) {}
};

struct Manifest {
    std::uint64_t chain_id = 0;
    std::uint64_t deployment_block = 0;  ///< first block to scan for the contracts' events
    eth::Address deployer;
    eth::Address audit, doctor, patient;
    std::map<std::string, Bytes32> code_hashes;  ///< contract name -> keccak(runtime code)

    [[nodiscard]] std::string to_json() const;
    /// Throws ManifestError naming the missing or malformed field.
    [[nodiscard]] static Manifest from_json(std::string_view text);
    /// Reads a manifest file; throws ManifestError naming the file if it is missing or malformed.
    [[nodiscard]] static Manifest load(const std::filesystem::path& file);
    /// Writes atomically (a crash leaves the old manifest or the new one).
    void save(const std::filesystem::path& file) const;
};

}  // namespace dossier::chain
