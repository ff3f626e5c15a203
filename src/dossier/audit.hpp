#pragma once
/// A patient's audit trail: every AuditContract Entry decoded, and the check that the node
/// returned all of them unaltered.
///
/// AuditContract keeps, per patient, seq << 192 | head with head the first 24 bytes of
///   h_n = keccak256(abi.encode(bytes24 head_{n-1}, address patient, uint256 info, bytes32 subject, bytes32 data))
/// and info = actor << 96 | timestamp << 56 | kind << 48 | seq. Recomputing the chain over the
/// entries the node returned and reaching chainOf(patient) proves that none was dropped, added or
/// altered (to the strength of keccak truncated to 192 bits).
///
/// What a doctor's logAccess records (`data` of an Accessed entry) is access_what(): a commitment
/// keyed with the patient's access-log key (access_log_key(), derived from its first epoch key,
/// which only the patient and the doctors it gave a key to can reach). The record ids, versions and
/// attachment indices it hides are public on chain, so without the key they could be found by
/// trying them all; with it, audit_history() resolves each entry against the patient's writes.
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "crypto/random.hpp"
#include "dossier/context.hpp"
#include "eth/keys.hpp"
#include "eth/uint256.hpp"

namespace dossier::core {

/// AuditContract's EntryKind, in its order (part of the hash chain).
enum class AuditKind : std::uint8_t {
    registered,
    profile_updated,
    requested,
    approved,
    denied,
    revoked,
    key_rotated,
    record_added,
    record_updated,
    file_attached,
    accessed,
    blocked,    ///< the patient refuses further requests of a doctor
    unblocked,  ///< the patient lets a blocked doctor ask again
    unknown,    ///< a kind number this client does not know
};

/// "registered", "profile-updated", ..., "accessed"; "unknown" for unknown.
[[nodiscard]] std::string_view entry_kind_name(AuditKind kind) noexcept;

/// What a doctor opened.
/// `exported`: a whole export (its listing, every record and file opened under this one entry).
enum class AccessTarget : std::uint8_t { record = 1, file = 2, list = 3, files = 4, exported = 5 };

/// The patient's access-log key: HKDF-SHA256(ikm = the key of epoch 1, salt = the patient's
/// address, info = "dossier/access-log/v1"). Whoever holds any of the patient's epoch keys reaches
/// epoch 1 through the links (Keyring::key(patient, 1)); an observer of the chain holds none.
[[nodiscard]] crypto::SecretKey32 access_log_key(const crypto::SecretKey32& first_epoch_key,
                                                 const eth::Address& patient);

/// The `what` of logAccess: keccak256(log_key || abi.encode(uint8 target, uint32 record_id,
/// uint32 n)) with n the record version (record), the attachment index (file), the number of
/// records (list, record_id 0), or the number of attachments listed (files; record_id 0: all of
/// them), or the number of records on chain when exported (exported, record_id 0). Keyed so that it cannot be inverted by enumerating the (public, small) inputs.
[[nodiscard]] Bytes32 access_what(const crypto::SecretKey32& log_key, AccessTarget target, std::uint32_t record_id,
                                  std::uint32_t n);

/// Sends DoctorContract.logAccess(patient, what) from `doctor`. A refusal (not verified, no active
/// grant) becomes NoAccessError naming the doctor and the patient.
void log_access(Context& ctx, const eth::PrivateKey& doctor, const eth::Address& patient, const Bytes32& what);

struct AuditEntry {
    // As emitted.
    Bytes32 subject{};
    eth::U256 info = 0;
    Bytes32 data{};
    std::uint64_t block = 0;
    Bytes32 tx_hash{};
    std::uint64_t log_index = 0;
    // Unpacked from info.
    std::uint64_t seq = 0;
    AuditKind kind = AuditKind::unknown;
    std::uint8_t kind_code = 0;
    eth::Address actor;
    std::uint64_t timestamp = 0;
    // The subject and data decoded per kind (absent where the kind has none).
    std::optional<eth::Address> doctor;        ///< requested, approved, denied, revoked, accessed; registered by a doctor
    std::optional<std::uint32_t> record_id;    ///< record_added, record_updated, file_attached; accessed (resolved)
    std::optional<std::uint32_t> number;       ///< version, attachment index; accessed (resolved): version/index/count
    std::optional<std::uint64_t> expiry;       ///< approved; registered by a doctor (the consent grant)
    std::optional<std::uint32_t> epoch;        ///< approved, revoked, key_rotated
    std::optional<AccessTarget> access;        ///< accessed: what was opened, if resolved
};

/// One line in English, e.g. "0xAbC... viewed record 3 version 2".
[[nodiscard]] std::string describe(const AuditEntry& entry);

/// Decodes one Entry (the event's subject, info and data); resolves nothing.
[[nodiscard]] AuditEntry decode_entry(const Bytes32& subject, const eth::U256& info, const Bytes32& data);

/// Resolves what each Accessed entry of `entries` opened (access, record_id, number) against
/// `writes`: all of the patient's record_added, record_updated and file_attached entries, with the
/// patient's access-log key. Without the key (null) nothing is resolved: the entries name only a
/// commitment.
void resolve_accesses(std::vector<AuditEntry>& entries, const std::vector<AuditEntry>& writes,
                      const crypto::SecretKey32* log_key);

/// Every entry of `patient`, in chain order (= seq order), decoded; with the patient's access-log
/// key (access_log_key()), Accessed entries resolved against the patient's writes.
[[nodiscard]] std::vector<AuditEntry> audit_history(Context& ctx, const eth::Address& patient,
                                                    const crypto::SecretKey32* log_key = nullptr);

struct AuditVerification {
    bool ok = false;
    std::uint64_t entries = 0;    ///< entries checked
    std::uint64_t chain_seq = 0;  ///< the contract's sequence number
    std::optional<std::uint64_t> first_bad_seq;  ///< the first missing or altered entry, when known
    std::string message;          ///< one sentence: "complete: 12 entries..." or what is wrong
};

/// The head after `entry` given the previous head (the contract's formula).
[[nodiscard]] FixedBytes<24> chain_step(const FixedBytes<24>& previous, const eth::Address& patient,
                                        const AuditEntry& entry);

/// Pure check of `entries` (in the order given) against the contract's (seq, head): sequence
/// numbers must run 1, 2, ... without gap or repeat, and recomputing the chain must end at `head`
/// after exactly `seq` entries. A gap names the first missing seq; a head mismatch says that an
/// entry was altered (first_bad_seq unknown unless `checkpoints` locate it).
/// `checkpoints` are known (seq, head) pairs from the chain at earlier blocks (chainOf at a past
/// block): the first checkpoint the recomputed chain misses bounds the altered entry.
[[nodiscard]] AuditVerification verify_entries(const eth::Address& patient, const std::vector<AuditEntry>& entries,
                                               std::uint64_t seq, const FixedBytes<24>& head,
                                               const std::vector<std::pair<std::uint64_t, FixedBytes<24>>>& checkpoints = {});

/// AuditContract.chainOf(patient) as of the end of `block`: (seq, head).
[[nodiscard]] std::pair<std::uint64_t, FixedBytes<24>> chain_head_at(Context& ctx, const eth::Address& patient,
                                                                     std::uint64_t block);

/// The contract's (seq, head) for the patient as of the end of block `block` (chainOf at that block).
using ChainAt = std::function<std::pair<std::uint64_t, FixedBytes<24>>(std::uint64_t block)>;

/// verify_entries(); then, if every seq is present but the head does not match, a bisection over the
/// entries' blocks with `chain_at` finds the first block whose stored head differs from the
/// recomputed one, and names the altered entry (or the range of entries of that block): about
/// log2(blocks) + 2 calls. If `chain_at` throws dossier::Error (a node without past state), the
/// result of verify_entries() is returned as is.
[[nodiscard]] AuditVerification verify_and_locate(const eth::Address& patient, const std::vector<AuditEntry>& entries,
                                                  std::uint64_t seq, const FixedBytes<24>& head,
                                                  const ChainAt& chain_at);

/// Reads the entries and chainOf(patient) at one block and verifies them; if the head does not
/// match, locates the altered entry with chainOf at the entries' blocks (needs a node that keeps
/// past state, as anvil does; otherwise the message says only that an entry was altered).
[[nodiscard]] AuditVerification verify_audit(Context& ctx, const eth::Address& patient);

}  // namespace dossier::core
