#include "dossier/keyring.hpp"

#include <string>

#include "crypto/ecies.hpp"
#include "eth/uint256.hpp"

namespace dossier::core {
namespace abi = eth::abi;
namespace gen = chain::gen;

crypto::SecretKey32 new_data_key() { return crypto::SecretKey32::random(); }

Bytes wrap_epoch_key(const crypto::SecretKey32& key, const eth::Address& patient, std::uint32_t epoch,
                     const eth::PublicKey& recipient) {
    const auto aad = crypto::key_envelope_aad(patient, epoch);
    const crypto::KeyEnvelope envelope = crypto::wrap_key(key, recipient, aad);
    return Bytes(envelope.begin(), envelope.end());
}

Keyring::Keyring(Context& ctx, const eth::PrivateKey& reader)
    : ctx_(ctx), reader_(reader), address_(reader_.address()) {}

crypto::SecretKey32 Keyring::key(const eth::Address& patient, std::uint32_t epoch) {
    const std::lock_guard lock(mutex_);
    const auto wanted = std::make_pair(patient, epoch);
    if (auto it = keys_.find(wanted); it != keys_.end()) return it->second;
    // One query returns every envelope the patient ever addressed to this reader: cache them all,
    // so that reading objects of several epochs costs one eth_getLogs.
    const auto events = ctx_.contracts().events(
        ctx_.manifest().patient, gen::PatientContract::ev::KeyEnvelope,
        {chain::address_topic(patient), chain::address_topic(address_)});
    for (const auto& e : events) {
        const std::uint64_t ev_epoch = eth::to_u64(e.values.at(2).as_uint());
        if (ev_epoch > 0xffffffffu) continue;
        const auto ep = static_cast<std::uint32_t>(ev_epoch);
        const auto slot = std::make_pair(patient, ep);
        if (keys_.contains(slot)) continue;
        try {
            const auto aad = crypto::key_envelope_aad(patient, ep);
            keys_.emplace(slot, crypto::unwrap_key(e.values.at(3).as_bytes(), reader_, aad));
        } catch (const Error&) {
            // An envelope that does not open (malformed, or made for another key) gives no key;
            // a later valid envelope of the same epoch may.
        }
    }
    if (auto it = keys_.find(wanted); it != keys_.end()) return it->second;
    throw NoAccessError("account " + address_.to_checksum() + " holds no key of patient " + patient.to_checksum() +
                        " for key epoch " + std::to_string(epoch) + ": it has no access to data sealed in that epoch");
}

std::uint32_t Keyring::current_epoch(const eth::Address& patient) {
    const abi::Value args[] = {abi::Value::address(patient)};
    const auto r = ctx_.contracts().view(ctx_.manifest().patient, gen::PatientContract::fn::patientOf,
                                         gen::PatientContract::returns::patientOf, args);
    return static_cast<std::uint32_t>(eth::to_u64(r.at(0).as_uint()));
}

EpochKey Keyring::current(const eth::Address& patient) {
    const std::uint32_t epoch = current_epoch(patient);
    if (epoch == 0)
        throw NoAccessError(ErrorCode::not_found, "patient " + patient.to_checksum() + " is not registered");
    return EpochKey{epoch, key(patient, epoch)};
}

}  // namespace dossier::core
