#pragma once
/// Key epochs that seal only while every recipient holds access (issue: access that holds in the
/// cryptography; docs/architecture.md, "Key epochs").
///
/// PatientContract refuses a write unless it names the current epoch, and refuses every write
/// under an epoch once one of its doctor recipients may have lost access: at the earliest of their
/// expiries, or after any suspension. The writer (the patient, or any doctor with access, so that
/// nobody waits for the patient to come online) then rotates: a new key wrapped to the patient and
/// to the grantees that still hold access, with the old key sealed under the new one so that the
/// history stays readable. This file holds that rotation and the writer's loop around it.
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "dossier/context.hpp"
#include "dossier/keyring.hpp"
#include "eth/keys.hpp"
#include "eth/rpc_error.hpp"

namespace dossier::core {

/// The patient's registered public key (PatientKey event). Throws RefusedError (not_found) if the
/// patient is not registered.
[[nodiscard]] eth::PublicKey patient_public_key(Context& ctx, const eth::Address& patient);

/// True when the patient's current epoch may seal a new object now (its seal-until time has not
/// come and no doctor was suspended since it began), read from the chain.
[[nodiscard]] bool epoch_may_seal(Context& ctx, const eth::Address& patient);

struct Rotation {
    std::uint32_t epoch = 0;             ///< the new epoch
    std::vector<eth::Address> kept;      ///< the doctors that received the new key
    std::vector<eth::Address> left_out;  ///< grantees without access now (expired, suspended)
};

/// Moves `patient` to a new key epoch, sent by `writer` (the patient, or a doctor with access):
/// PatientContract.rotateKey, or PatientContract.revoke of `revoked` when given (the patient only).
/// The new key is wrapped to the patient and to every grantee that holds access now; the current
/// key is sealed under it. `keyring` must be the writer's; its cache is cleared afterwards.
Rotation rotate_key(Context& ctx, const eth::PrivateKey& writer, Keyring& keyring, const eth::Address& patient,
                    std::optional<eth::Address> revoked = std::nullopt);

/// The key a writer seals a new object of `patient` under now: the current epoch's, after a
/// rotation if that epoch may no longer seal.
[[nodiscard]] EpochKey sealing_key(Context& ctx, const eth::PrivateKey& writer, Keyring& keyring,
                                   const eth::Address& patient);

/// True when a write was refused because its epoch is no longer the one to seal under
/// (StaleEpoch: a rotation landed first; RotationRequired: the epoch stopped sealing meanwhile).
[[nodiscard]] bool stale_seal(const eth::RevertedError& e) noexcept;

/// Runs `write(key)` (seal, store, send) under sealing_key(); if the chain refuses it with a
/// stale-seal error, seals again under the fresh key and sends once more. `write` must seal its
/// objects from scratch on every call.
template <class Write>
auto write_sealed(Context& ctx, const eth::PrivateKey& writer, Keyring& keyring, const eth::Address& patient,
                  Write&& write) {
    for (int attempt = 0;; ++attempt) {
        const EpochKey key = sealing_key(ctx, writer, keyring, patient);
        try {
            return write(key);
        } catch (const eth::RevertedError& e) {
            if (attempt > 0 || !stale_seal(e)) throw;
            keyring.clear();
        }
    }
}

}  // namespace dossier::core
