#include "dossier/audit.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "base/hex.hpp"
#include "crypto/hkdf.hpp"
#include "dossier/access.hpp"
#include "dossier/keyring.hpp"
#include "eth/abi.hpp"
#include "eth/abi_event.hpp"
#include "eth/keccak.hpp"
#include "eth/rpc_error.hpp"

namespace dossier::core {

namespace abi = eth::abi;
namespace gen = chain::gen;

namespace {

constexpr std::uint64_t kLogWindow = 10'000;

eth::U256 to_u256(const Bytes32& b) { return eth::from_be(b); }

eth::Address low_address(const eth::U256& v) {
    const Bytes32 w = eth::to_be32(v & ((eth::U256(1) << 160) - 1));
    eth::Address a;
    std::copy(w.begin() + 12, w.end(), a.bytes.begin());
    return a;
}

std::uint32_t low32(const eth::U256& v) { return static_cast<std::uint32_t>(eth::to_u64(v & 0xffffffffu)); }

std::string short_hex(const Bytes32& b) { return to_hex(ByteView(b).first(8)) + "..."; }

/// The Entry logs of `patient` from the deployment block to `to_block`, decoded.
std::vector<AuditEntry> fetch_entries(Context& ctx, const eth::Address& patient, std::uint64_t to_block) {
    const auto& ev = gen::AuditContract::ev::Entry;
    eth::LogFilter filter;
    filter.addresses = {ctx.manifest().audit};
    filter.topics.push_back(std::vector<Bytes32>{abi::event_topic(ev.signature)});
    filter.topics.push_back(std::vector<Bytes32>{chain::address_topic(patient)});
    std::vector<AuditEntry> out;
    if (to_block < ctx.manifest().deployment_block) return out;
    // get_logs_paged checks the answer against this filter; decode_event the log against the ABI.
    for (const auto& log : ctx.rpc().get_logs_paged(filter, ctx.manifest().deployment_block, to_block, kLogWindow)) {
        const auto values = chain::decode_event(ev, log, ctx.rpc().url());
        AuditEntry e = decode_entry(values.at(1).as_bytes32(), values.at(2).as_uint(), values.at(3).as_bytes32());
        e.block = log.block_number;
        e.tx_hash = log.transaction_hash;
        e.log_index = log.log_index;
        out.push_back(std::move(e));
    }
    return out;
}

std::pair<std::uint64_t, FixedBytes<24>> chain_of(Context& ctx, const eth::Address& patient, const eth::BlockRef& at) {
    eth::CallRequest call;
    call.to = ctx.manifest().audit;
    const abi::Value args[] = {abi::Value::address(patient)};
    call.data = abi::encode_call(gen::AuditContract::fn::chainOf, args);
    const Bytes result = ctx.rpc().eth_call(call, at);
    const auto values = abi::decode(abi::Type::parse(gen::AuditContract::returns::chainOf).children, result);
    FixedBytes<24> head{};
    const Bytes& h = values.at(1).as_fixed_bytes().data;
    std::copy_n(h.begin(), std::min<std::size_t>(h.size(), 24), head.begin());
    return {eth::to_u64(values.at(0).as_uint()), head};
}

}  // namespace

std::pair<std::uint64_t, FixedBytes<24>> chain_head_at(Context& ctx, const eth::Address& patient, std::uint64_t block) {
    return chain_of(ctx, patient, eth::BlockRef::number(block));
}

std::string_view entry_kind_name(AuditKind kind) noexcept {
    switch (kind) {
        case AuditKind::registered: return "registered";
        case AuditKind::profile_updated: return "profile-updated";
        case AuditKind::requested: return "requested";
        case AuditKind::approved: return "approved";
        case AuditKind::denied: return "denied";
        case AuditKind::revoked: return "revoked";
        case AuditKind::key_rotated: return "key-rotated";
        case AuditKind::record_added: return "record-added";
        case AuditKind::record_updated: return "record-updated";
        case AuditKind::file_attached: return "file-attached";
        case AuditKind::accessed: return "accessed";
        case AuditKind::blocked: return "blocked";
        case AuditKind::unblocked: return "unblocked";
        case AuditKind::unknown: break;
    }
    return "unknown";
}

crypto::SecretKey32 access_log_key(const crypto::SecretKey32& first_epoch_key, const eth::Address& patient) {
    static constexpr std::string_view info = "dossier/access-log/v1";
    return crypto::hkdf_sha256_key(first_epoch_key.view(), ByteView(patient.bytes),
                                   ByteView(reinterpret_cast<const std::uint8_t*>(info.data()), info.size()));
}

Bytes32 access_what(const crypto::SecretKey32& log_key, AccessTarget target, std::uint32_t record_id,
                    std::uint32_t n) {
    // keccak256 has no length extension, so a secret prefix makes it a keyed hash (a PRF).
    std::array<std::uint8_t, 128> buf{};
    std::copy_n(log_key.data(), 32, buf.begin());
    buf[32 + 31] = static_cast<std::uint8_t>(target);
    for (int i = 0; i < 4; ++i) {
        buf[32 + 63 - i] = static_cast<std::uint8_t>(record_id >> (8 * i));
        buf[32 + 95 - i] = static_cast<std::uint8_t>(n >> (8 * i));
    }
    const Bytes32 what = eth::keccak256(buf);
    crypto::wipe(buf);
    return what;
}

void log_access(Context& ctx, const eth::PrivateKey& doctor, const eth::Address& patient, const Bytes32& what) {
    const abi::Value args[] = {abi::Value::address(patient), abi::Value::fixed_bytes(Bytes(what.begin(), what.end()))};
    try {
        const auto sender = ctx.shared_sender(doctor);  // the account may be locked while this runs
        (void)ctx.contracts().transact(*sender, ctx.manifest().doctor, gen::DoctorContract::fn::logAccess, args);
    } catch (const eth::RevertedError& e) {
        std::string why = "the chain refused to log the access";
        ErrorCode code = revert_code(e.detail());
        if (reverted_with(e, "NoActiveGrant")) {
            why = "it has no active grant";
            code = refusal_code(ctx, patient, doctor.address());
        } else if (reverted_with(e, "NotVerified")) {
            why = "it is not a verified doctor";
            code = doctor_status(ctx, doctor.address()) == DoctorStatus::suspended ? ErrorCode::suspended
                                                                                    : ErrorCode::permission_denied;
        }
        throw NoAccessError(code,
                            "account " + doctor.address().to_checksum() + " may not open the records of patient " +
                                patient.to_checksum() + ": " + why,
                            e.detail());
    }
}

AuditEntry decode_entry(const Bytes32& subject, const eth::U256& info, const Bytes32& data) {
    AuditEntry e;
    e.subject = subject;
    e.info = info;
    e.data = data;
    e.seq = eth::to_u64(info & ((eth::U256(1) << 48) - 1));
    e.kind_code = static_cast<std::uint8_t>(eth::to_u64((info >> 48) & 0xff));
    e.kind = e.kind_code < static_cast<std::uint8_t>(AuditKind::unknown) ? static_cast<AuditKind>(e.kind_code)
                                                                          : AuditKind::unknown;
    e.timestamp = eth::to_u64((info >> 56) & ((eth::U256(1) << 40) - 1));
    e.actor = low_address(info >> 96);
    const eth::U256 s = to_u256(subject);
    const eth::U256 d = to_u256(data);
    switch (e.kind) {
        case AuditKind::registered:
            if (s != 0) {
                e.doctor = low_address(s);
                e.expiry = eth::to_u64(s >> 160);
            }
            break;
        case AuditKind::requested:
        case AuditKind::denied:
        case AuditKind::accessed:
        case AuditKind::blocked:
        case AuditKind::unblocked: e.doctor = low_address(s); break;
        case AuditKind::approved:
            e.doctor = low_address(s);
            e.epoch = low32(d);
            e.expiry = eth::to_u64((d >> 32) & ((eth::U256(1) << 40) - 1));
            break;
        case AuditKind::revoked:
            e.doctor = low_address(s);
            e.epoch = low32(d);
            break;
        case AuditKind::key_rotated: e.epoch = low32(d); break;
        case AuditKind::record_added:
        case AuditKind::record_updated:
        case AuditKind::file_attached:
            e.record_id = low32(s >> 32);
            e.number = low32(s);
            break;
        case AuditKind::profile_updated:
        case AuditKind::unknown: break;
    }
    return e;
}

std::string describe(const AuditEntry& e) {
    const std::string actor = e.actor.to_checksum();
    const std::string doctor = e.doctor ? e.doctor->to_checksum() : std::string("?");
    auto num = [](const std::optional<std::uint32_t>& n) { return n ? std::to_string(*n) : std::string("?"); };
    switch (e.kind) {
        case AuditKind::registered:
            if (e.doctor)
                return actor + " registered the patient (with consent), access until " + std::to_string(*e.expiry);
            return actor + " registered";
        case AuditKind::profile_updated: return actor + " updated the patient profile";
        case AuditKind::requested: return actor + " requested access";
        case AuditKind::approved:
            return actor + " approved " + doctor + " until " + std::to_string(e.expiry.value_or(0)) + " (key epoch " +
                   num(e.epoch) + ")";
        case AuditKind::denied: return actor + " denied the request of " + doctor;
        case AuditKind::blocked: return actor + " blocked further requests of " + doctor;
        case AuditKind::unblocked: return actor + " let " + doctor + " request access again";
        case AuditKind::revoked: return actor + " revoked " + doctor + " (new key epoch " + num(e.epoch) + ")";
        case AuditKind::key_rotated: return actor + " rotated the key (new epoch " + num(e.epoch) + ")";
        case AuditKind::record_added: return actor + " added record " + num(e.record_id);
        case AuditKind::record_updated:
            return actor + " updated record " + num(e.record_id) + " to version " + num(e.number);
        case AuditKind::file_attached:
            return actor + " attached file " + num(e.number) + " to record " + num(e.record_id);
        case AuditKind::accessed:
            if (!e.access) return actor + " opened " + short_hex(e.data);
            switch (*e.access) {
                case AccessTarget::record:
                    return actor + " viewed record " + num(e.record_id) + " version " + num(e.number);
                case AccessTarget::file:
                    return actor + " opened file " + num(e.number) + " of record " + num(e.record_id);
                case AccessTarget::list: return actor + " listed the records (" + num(e.number) + ")";
                case AccessTarget::exported: return actor + " exported the records (" + num(e.number) + ")";
                case AccessTarget::files:
                    return actor + " listed the files" +
                           (e.record_id && *e.record_id != 0 ? " of record " + num(e.record_id) : std::string()) +
                           " (" + num(e.number) + ")";
            }
            return actor + " opened " + short_hex(e.data);
        case AuditKind::unknown: break;
    }
    return actor + " wrote an entry of unknown kind " + std::to_string(e.kind_code);
}

void resolve_accesses(std::vector<AuditEntry>& entries, const std::vector<AuditEntry>& writes,
                      const crypto::SecretKey32* log_key) {
    if (log_key == nullptr) return;
    const crypto::SecretKey32& key = *log_key;
    if (std::none_of(entries.begin(), entries.end(), [](const auto& e) { return e.kind == AuditKind::accessed; }))
        return;
    // What doctors opened, against the patient's (public) record versions and attachments.
    std::map<Bytes32, std::tuple<AccessTarget, std::uint32_t, std::uint32_t>> known;
    std::uint32_t records = 0;
    std::map<std::uint32_t, std::uint32_t> files;  // record id -> attachments; 0 -> all
    for (const auto& e : writes) {
        if (!e.record_id || !e.number) continue;
        if (e.kind == AuditKind::record_added || e.kind == AuditKind::record_updated) {
            known[access_what(key, AccessTarget::record, *e.record_id, *e.number)] = {AccessTarget::record, *e.record_id, *e.number};
            if (e.kind == AuditKind::record_added) records = std::max(records, *e.record_id);
        } else if (e.kind == AuditKind::file_attached) {
            known[access_what(key, AccessTarget::file, *e.record_id, *e.number)] = {AccessTarget::file, *e.record_id, *e.number};
            files[*e.record_id] = std::max(files[*e.record_id], *e.number);
            ++files[0];
        }
    }
    for (std::uint32_t n = 0; n <= records; ++n) {
        known[access_what(key, AccessTarget::list, 0, n)] = {AccessTarget::list, 0, n};
        known[access_what(key, AccessTarget::exported, 0, n)] = {AccessTarget::exported, 0, n};
    }
    for (const auto& [id, count] : files)
        for (std::uint32_t n = 0; n <= count; ++n)
            known[access_what(key, AccessTarget::files, id, n)] = {AccessTarget::files, id, n};
    for (auto& e : entries) {
        if (e.kind != AuditKind::accessed) continue;
        const auto it = known.find(e.data);
        if (it == known.end()) continue;
        e.access = std::get<0>(it->second);
        if (e.access != AccessTarget::list && e.access != AccessTarget::exported) e.record_id = std::get<1>(it->second);
        else e.record_id.reset();
        e.number = std::get<2>(it->second);
    }
}

std::vector<AuditEntry> audit_history(Context& ctx, const eth::Address& patient, const crypto::SecretKey32* log_key) {
    auto entries = fetch_entries(ctx, patient, ctx.rpc().block_number());
    const std::vector<AuditEntry> writes = entries;
    resolve_accesses(entries, writes, log_key);
    return entries;
}

FixedBytes<24> chain_step(const FixedBytes<24>& previous, const eth::Address& patient, const AuditEntry& entry) {
    std::array<std::uint8_t, 160> buf{};
    std::copy(previous.begin(), previous.end(), buf.begin());
    std::copy(patient.bytes.begin(), patient.bytes.end(), buf.begin() + 44);
    const Bytes32 info = eth::to_be32(entry.info);
    std::copy(info.begin(), info.end(), buf.begin() + 64);
    std::copy(entry.subject.begin(), entry.subject.end(), buf.begin() + 96);
    std::copy(entry.data.begin(), entry.data.end(), buf.begin() + 128);
    const Bytes32 h = eth::keccak256(buf);
    FixedBytes<24> head{};
    std::copy_n(h.begin(), 24, head.begin());
    return head;
}

AuditVerification verify_entries(const eth::Address& patient, const std::vector<AuditEntry>& entries,
                                 std::uint64_t seq, const FixedBytes<24>& head,
                                 const std::vector<std::pair<std::uint64_t, FixedBytes<24>>>& checkpoints) {
    AuditVerification v;
    v.chain_seq = seq;
    std::map<std::uint64_t, FixedBytes<24>> marks(checkpoints.begin(), checkpoints.end());
    FixedBytes<24> h{};
    std::uint64_t last_good = 0;  // the last seq at which a checkpoint matched
    for (const auto& e : entries) {
        const std::uint64_t expected = v.entries + 1;
        if (e.seq != expected) {
            v.first_bad_seq = expected;
            if (e.seq > expected)
                v.message = "audit entry " + std::to_string(expected) + " is missing (the node returned entry " +
                            std::to_string(e.seq) + " next)";
            else
                v.message = "audit entry " + std::to_string(e.seq) + " appears again or out of order after entry " +
                            std::to_string(v.entries);
            return v;
        }
        h = chain_step(h, patient, e);
        ++v.entries;
        if (const auto m = marks.find(e.seq); m != marks.end()) {
            if (m->second != h) {
                v.first_bad_seq = last_good + 1;
                v.message = last_good + 1 == e.seq
                                ? "audit entry " + std::to_string(e.seq) + " was altered (its hash does not match the chain's)"
                                : "an audit entry between " + std::to_string(last_good + 1) + " and " +
                                      std::to_string(e.seq) + " was altered (the hashes do not match the chain's)";
                return v;
            }
            last_good = e.seq;
        }
    }
    if (v.entries < seq) {
        v.first_bad_seq = v.entries + 1;
        v.message = "audit entries " + std::to_string(v.entries + 1) + " to " + std::to_string(seq) +
                    " are missing (the chain counts " + std::to_string(seq) + ")";
        return v;
    }
    if (v.entries > seq) {
        v.first_bad_seq = seq + 1;
        v.message = "the node returned " + std::to_string(v.entries - seq) + " audit entries beyond the chain's " +
                    std::to_string(seq);
        return v;
    }
    if (h != head) {
        v.message = "an audit entry was altered: the recomputed chain head does not match the contract's";
        return v;
    }
    v.ok = true;
    v.message = "complete: " + std::to_string(seq) + " audit entries, chain head " + to_hex(ByteView(head)) + " matches";
    return v;
}

AuditVerification verify_and_locate(const eth::Address& patient, const std::vector<AuditEntry>& entries,
                                    std::uint64_t seq, const FixedBytes<24>& head, const ChainAt& chain_at) {
    AuditVerification v = verify_entries(patient, entries, seq, head);
    if (v.ok || v.first_bad_seq || entries.empty()) return v;
    // The first block after which the chain's stored head differs from the recomputed one (a hash
    // chain: every later block differs too, so bisect).
    std::vector<std::pair<std::uint64_t, std::pair<std::uint64_t, FixedBytes<24>>>> blocks;  // block -> (seq, head)
    FixedBytes<24> h{};
    for (const auto& e : entries) {
        h = chain_step(h, patient, e);
        if (!blocks.empty() && blocks.back().first == e.block) blocks.back().second = {e.seq, h};
        else blocks.push_back({e.block, {e.seq, h}});
    }
    try {
        std::size_t lo = 0, hi = blocks.size() - 1;  // the answer is in [lo, hi]
        while (lo < hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            if (chain_at(blocks[mid].first) == blocks[mid].second) lo = mid + 1;
            else hi = mid;
        }
        std::vector<std::pair<std::uint64_t, FixedBytes<24>>> checkpoints;
        if (lo > 0) checkpoints.push_back(chain_at(blocks[lo - 1].first));
        checkpoints.push_back(chain_at(blocks[lo].first));
        AuditVerification located = verify_entries(patient, entries, seq, head, checkpoints);
        if (located.first_bad_seq) return located;
    } catch (const Error&) {
        // The node keeps no past state: report the mismatch without its place.
    }
    return v;
}

AuditVerification verify_audit(Context& ctx, const eth::Address& patient) {
    const std::uint64_t at = ctx.rpc().block_number();
    const auto [seq, head] = chain_of(ctx, patient, eth::BlockRef::number(at));
    const auto entries = fetch_entries(ctx, patient, at);
    return verify_and_locate(patient, entries, seq, head, [&ctx, &patient](std::uint64_t block) {
        return chain_of(ctx, patient, eth::BlockRef::number(block));
    });
}

}  // namespace dossier::core
