#include "dossier/keyring.hpp"

#include <string>

#include "crypto/aes_gcm.hpp"
#include "crypto/ecies.hpp"
#include "eth/uint256.hpp"

namespace dossier::core {
namespace abi = eth::abi;
namespace gen = chain::gen;

crypto::SecretKey32 new_data_key() { return crypto::SecretKey32::random(); }

namespace {
/// "dossier/key-link/v1" || patient || epoch: a link opens only as the one it was made for.
Bytes link_aad(const eth::Address& patient, std::uint32_t epoch) {
    const std::string label = "dossier/key-link/v1";
    Bytes aad(label.begin(), label.end());
    const auto tail = crypto::key_envelope_aad(patient, epoch);
    aad.insert(aad.end(), tail.begin(), tail.end());
    return aad;
}
}  // namespace

Bytes seal_key_link(const crypto::SecretKey32& key, const crypto::SecretKey32& previous, const eth::Address& patient,
                    std::uint32_t epoch) {
    return crypto::seal(key, previous.view(), link_aad(patient, epoch));
}

crypto::SecretKey32 open_key_link(const crypto::SecretKey32& key, ByteView link, const eth::Address& patient,
                                  std::uint32_t epoch) {
    const crypto::SecretBytes plain = crypto::open_secret(key, link, link_aad(patient, epoch));
    return crypto::SecretKey32::from_bytes(plain.view());
}

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
    load_envelopes(patient);
    if (auto it = keys_.find(wanted); it != keys_.end()) return it->second;
    if (derive_from_links(patient, epoch)) return keys_.at(wanted);
    throw NoAccessError("account " + address_.to_checksum() + " holds no key of patient " + patient.to_checksum() +
                        " for key epoch " + std::to_string(epoch) + ": it has no access to data sealed in that epoch");
}

void Keyring::load_envelopes(const eth::Address& patient) {
    // One query returns every envelope the patient ever addressed to this reader: cache them all,
    // so that reading objects of several epochs costs one eth_getLogs.
    const auto events = ctx_.contracts().events(
        ctx_.manifest().patient, gen::PatientContract::ev::KeyEnvelope,
        {chain::address_topic(patient), chain::address_topic(address_)});
    for (const auto& e : events) {
        if (e.values.at(1).as_address() != address_) continue;  // the filter asked for the reader's only
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
}

bool Keyring::derive_from_links(const eth::Address& patient, std::uint32_t epoch) {
    // The nearest later epoch the reader holds a key of.
    std::uint32_t held = 0;
    for (auto it = keys_.lower_bound(std::make_pair(patient, epoch)); it != keys_.end() && it->first.first == patient;
         ++it) {
        held = it->first.second;
        break;
    }
    if (held <= epoch) return false;
    std::map<std::uint32_t, Bytes> links;
    const auto events = ctx_.contracts().events(ctx_.manifest().patient, gen::PatientContract::ev::KeyEnvelope,
                                                {chain::address_topic(patient), chain::address_topic(eth::Address{})});
    for (const auto& e : events) {
        if (e.values.at(1).as_address() != eth::Address{}) continue;
        const std::uint64_t ev_epoch = eth::to_u64(e.values.at(2).as_uint());
        if (ev_epoch > epoch && ev_epoch <= held) links.emplace(static_cast<std::uint32_t>(ev_epoch), e.values.at(3).as_bytes());
    }
    crypto::SecretKey32 key = keys_.at(std::make_pair(patient, held));
    for (std::uint32_t e = held; e > epoch; --e) {
        const auto link = links.find(e);
        if (link == links.end()) return false;
        try {
            key = open_key_link(key, link->second, patient, e);
        } catch (const Error&) {
            return false;  // a link that does not open under the key it names leads nowhere
        }
        keys_.emplace(std::make_pair(patient, e - 1), key);
    }
    return true;
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
