#pragma once
/// Patients' epoch data keys, as the chain distributes them.
///
/// Each patient has one random 32-byte data key per epoch (epoch 1 at registration; a revoke or a
/// rotation moves to the next). PatientContract emits `KeyEnvelope(patient, recipient, epoch,
/// envelope)` for the patient itself and for every doctor with access: `envelope` is the key
/// wrapped with ECIES (src/crypto/ecies.hpp) to the recipient's public key, with associated data
/// crypto::key_envelope_aad(patient, epoch). A reader's keyring unwraps the envelopes addressed to
/// it; nobody else can.
///
/// Every rotation also publishes the previous epoch's key sealed under the new one (a link: the
/// KeyEnvelope with recipient 0). Whoever holds the key of epoch e therefore reads every epoch
/// before e (a doctor approved today reads the history), and nothing after it: links only lead
/// down, so a doctor left out of a rotation holds no key for what is sealed from then on.
#include <cstdint>
#include <map>
#include <mutex>
#include <utility>

#include "base/error.hpp"
#include "crypto/random.hpp"
#include "dossier/context.hpp"
#include "eth/keys.hpp"

namespace dossier::core {

/// The reader holds no key for what it tries to read (never had access, or lost it before the
/// object's epoch), or the chain refuses a doctor's read. The message is one sentence naming
/// reader, patient and epoch. The code is permission_denied unless the refusal says more
/// (suspended, access_expired; not_found for a patient that is not registered).
class NoAccessError : public Error {
public:
    explicit NoAccessError(const std::string& message) : Error(ErrorCode::permission_denied, message) {}
    NoAccessError(ErrorCode code, const std::string& message, std::string detail = {})
        : Error(code, message, std::move(detail)) {}
};

struct EpochKey {
    std::uint32_t epoch = 0;
    crypto::SecretKey32 key;
};

/// The link of epoch `epoch` (>= 2): the key of epoch - 1 sealed (AES-256-GCM) under the key of
/// `epoch`, bound to the patient and epoch.
[[nodiscard]] Bytes seal_key_link(const crypto::SecretKey32& key, const crypto::SecretKey32& previous,
                                  const eth::Address& patient, std::uint32_t epoch);
/// The key of epoch - 1 from the link of `epoch`; throws crypto::TamperedError if the link does
/// not open under `key`.
[[nodiscard]] crypto::SecretKey32 open_key_link(const crypto::SecretKey32& key, ByteView link,
                                                const eth::Address& patient, std::uint32_t epoch);

/// A fresh random data key.
[[nodiscard]] crypto::SecretKey32 new_data_key();

/// The envelope (bytes for the contract) of `key`, epoch `epoch` of `patient`, for `recipient`.
[[nodiscard]] Bytes wrap_epoch_key(const crypto::SecretKey32& key, const eth::Address& patient, std::uint32_t epoch,
                                   const eth::PublicKey& recipient);

/// The epoch keys one account (`reader`) can unwrap, read from KeyEnvelope events and cached.
class Keyring {
public:
    /// Unwraps with `reader`, which is not copied: it must outlive the Keyring.
    Keyring(Context& ctx, const eth::PrivateKey& reader);
    /// A temporary key would be gone before the Keyring: name it first.
    Keyring(Context& ctx, eth::PrivateKey&& reader) = delete;

    [[nodiscard]] const eth::Address& reader() const noexcept { return address_; }
    /// The reader's key of `patient`'s `epoch`: from an envelope of that epoch addressed to the
    /// reader, or from the reader's key of a later epoch through the links. Throws NoAccessError
    /// if the reader holds neither. Returned by value: another thread may clear() the cache.
    [[nodiscard]] crypto::SecretKey32 key(const eth::Address& patient, std::uint32_t epoch);
    /// The patient's current epoch (PatientContract.patientOf) and the reader's key for it.
    [[nodiscard]] EpochKey current(const eth::Address& patient);
    /// The patient's current epoch number (0: not registered).
    [[nodiscard]] std::uint32_t current_epoch(const eth::Address& patient);
    /// Forgets cached keys (after a rotation this process performed itself).
    void clear() noexcept {
        const std::lock_guard lock(mutex_);
        keys_.clear();
    }

private:
    /// Caches every key the reader's envelopes of `patient` open (mutex_ held).
    void load_envelopes(const eth::Address& patient);
    /// Walks the links down from the nearest later epoch the reader holds (mutex_ held).
    bool derive_from_links(const eth::Address& patient, std::uint32_t epoch);

    Context& ctx_;
    const eth::PrivateKey& reader_;
    eth::Address address_;
    std::mutex mutex_;  // keys_: one keyring serves a GUI's worker threads at once
    std::map<std::pair<eth::Address, std::uint32_t>, crypto::SecretKey32> keys_;
};

}  // namespace dossier::core
