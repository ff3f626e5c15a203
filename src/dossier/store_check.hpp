#pragma once
/// Does the content store still hold, intact, every object the chain points at? For a patient:
/// every version of the profile, every version of every record and every attached file. Nothing
/// is decrypted (the check reads ciphertext and re-hashes every block) and nothing is logged, so
/// the people who run the deployment can check it without any patient's key, for instance after
/// a disk incident or before retiring a node. Works the same on the embedded store, through the
/// running gateway, and on a Kubo node.
#include <cstdint>
#include <string>
#include <vector>

#include "dossier/context.hpp"
#include "dossier/sealed_store.hpp"
#include "eth/address.hpp"

namespace dossier::core {

/// An object the chain names that the store cannot serve intact.
struct ObjectProblem {
    std::string object;   ///< "profile version 1", "record 3 version 2", "file 1 of record 4"
    std::string cid;      ///< the object's root CID
    std::string problem;  ///< "missing from the store", or the verification error
};

struct StoreCheck {
    std::uint64_t objects = 0;  ///< objects the chain names
    std::uint64_t bytes = 0;    ///< bytes read and verified
    std::vector<ObjectProblem> problems;
    [[nodiscard]] bool ok() const noexcept { return problems.empty(); }
};

/// Checks every object of `patient`. `progress(done, total)` counts objects. Throws RefusedError
/// if the account is not a registered patient; store problems are reported, not thrown.
[[nodiscard]] StoreCheck check_patient_objects(Context& ctx, const eth::Address& patient,
                                               const ProgressFn& progress = {});

/// Every registered patient, in registration order (from the audit trail's registration entries).
[[nodiscard]] std::vector<eth::Address> registered_patients(Context& ctx);

}  // namespace dossier::core
