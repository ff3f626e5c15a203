#include "dossier/records.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>

#include "dossier/access.hpp"
#include "crypto/random.hpp"
#include "dossier/audit.hpp"
#include "dossier/key_rotation.hpp"
#include "eth/abi.hpp"
#include "eth/abi_event.hpp"
#include "eth/rpc_error.hpp"
#include "eth/uint256.hpp"
#include "fhir/summary.hpp"
#include "ipfs/byte_stream.hpp"

namespace dossier::core {

namespace abi = eth::abi;
namespace gen = chain::gen;

namespace {

std::uint32_t u32(const abi::Value& v) {
    const std::uint64_t x = eth::to_u64(v.as_uint());
    if (x > 0xffffffffu) throw DecodeError("a record number does not fit 32 bits");
    return static_cast<std::uint32_t>(x);
}

/// Block timestamps, fetched once per block within one call.
class BlockTimes {
public:
    explicit BlockTimes(Context& ctx) : ctx_(ctx) {}
    std::uint64_t at(std::uint64_t block) {
        if (auto it = cache_.find(block); it != cache_.end()) return it->second;
        const auto b = ctx_.rpc().get_block(eth::BlockRef::number(block));
        const std::uint64_t t = b ? b->timestamp : 0;
        cache_.emplace(block, t);
        return t;
    }

private:
    Context& ctx_;
    std::map<std::uint64_t, std::uint64_t> cache_;
};

RecordVersionInfo version_info(const chain::DecodedEvent& e, BlockTimes& times) {
    RecordVersionInfo v;
    v.record_id = u32(e.values.at(1));
    v.version = u32(e.values.at(2));
    v.author = e.values.at(3).as_address();
    v.ref.digest = e.values.at(4).as_bytes32();
    v.previous = e.values.at(5).as_bytes32();
    v.ref.meta = e.values.at(6).as_bytes32();
    v.block = e.log.block_number;
    v.tx_hash = e.log.transaction_hash;
    v.timestamp = times.at(v.block);
    return v;
}

std::vector<RecordVersionInfo> versions_of(Context& ctx, const eth::Address& patient,
                                           std::optional<std::uint32_t> record_id, BlockTimes& times) {
    std::vector<std::optional<Bytes32>> topics{chain::address_topic(patient)};
    if (record_id) topics.emplace_back(eth::to_be32(eth::U256(*record_id)));
    const auto events = ctx.contracts().events(ctx.manifest().patient, gen::PatientContract::ev::RecordVersion, topics);
    std::vector<RecordVersionInfo> out;
    out.reserve(events.size());
    for (const auto& e : events) out.push_back(version_info(e, times));
    return out;
}

/// The RecordVersion a receipt of addRecord / updateRecord emitted.
RecordVersionInfo version_from_receipt(Context& ctx, const eth::Receipt& receipt) {
    const auto& ev = gen::PatientContract::ev::RecordVersion;
    const Bytes32 topic = abi::event_topic(ev.signature);
    for (const auto& log : receipt.logs) {
        if (log.address != ctx.manifest().patient || log.topics.empty() || log.topics[0] != topic) continue;
        chain::DecodedEvent e;
        e.values = abi::decode_log(ev.signature, std::vector<bool>(ev.indexed.begin(), ev.indexed.end()), log.topics,
                                   log.data);
        e.log = log;
        RecordVersionInfo v;
        v.record_id = u32(e.values.at(1));
        v.version = u32(e.values.at(2));
        v.author = e.values.at(3).as_address();
        v.ref.digest = e.values.at(4).as_bytes32();
        v.previous = e.values.at(5).as_bytes32();
        v.ref.meta = e.values.at(6).as_bytes32();
        v.block = receipt.block_number;
        v.tx_hash = receipt.transaction_hash;
        return v;
    }
    throw Error("the transaction " + to_hex(receipt.transaction_hash) + " emitted no RecordVersion event");
}


ObjectRef seal_document(Context& ctx, const EpochKey& key, const eth::Address& patient, const Bytes32& object_id,
                        std::uint32_t version, const std::string& doc) {
    auto source = ipfs::source_from_bytes(as_bytes(doc));
    return store_sealed(ctx, key, patient, object_id, version, *source, doc.size());
}

struct RecordState {
    std::uint32_t version = 0;
    std::uint32_t attachments = 0;
};

RecordState record_state(Context& ctx, const eth::Address& patient, std::uint32_t record_id) {
    const abi::Value args[] = {abi::Value::address(patient), abi::Value::uint(record_id)};
    const auto r = ctx.contracts().view(ctx.manifest().patient, gen::PatientContract::fn::recordOf,
                                        gen::PatientContract::returns::recordOf, args);
    return RecordState{u32(r.at(0)), u32(r.at(1))};
}

std::string record_name(const eth::Address& patient, std::uint32_t record_id) {
    return "record " + std::to_string(record_id) + " of patient " + patient.to_checksum();
}


RecordDocument open_document(Context& ctx, Reader& reader, const eth::Address& patient, const RecordVersionInfo& v) {
    return open_record_document(ctx, reader.keyring(), patient, v);
}

}  // namespace

RecordDocument open_record_document(Context& ctx, Keyring& keyring, const eth::Address& patient,
                                    const RecordVersionInfo& v) {
    Bytes plain = open_sealed_bytes(ctx, keyring, patient, v.version, v.ref);
    struct WipeOnExit {
        Bytes& bytes;
        ~WipeOnExit() { crypto::wipe(bytes); }
    } wipe_plain{plain};  // the parsed document is what callers keep; its source text goes now
    RecordDocument doc = parse_record_document(plain);
    if (doc.author != v.author)
        throw InvalidRecordDocumentError("version " + std::to_string(v.version) + " of " +
                                         record_name(patient, v.record_id) + " claims author " +
                                         doc.author.to_checksum() + " but was written by " + v.author.to_checksum());
    return doc;
}

std::vector<RecordVersionInfo> record_versions(Context& ctx, const eth::Address& patient) {
    BlockTimes times(ctx);
    return versions_of(ctx, patient, std::nullopt, times);
}

void rethrow_write_error(Context& ctx, const eth::Address& author, const eth::Address& patient,
                         std::uint32_t record_id) {
    try {
        throw;
    } catch (const eth::RevertedError& e) {
        const std::string& name = e.detail();
        if (name == "StaleVersion")
            throw Error(ErrorCode::conflict,
                        record_name(patient, record_id) +
                        " changed meanwhile: reload it and apply the change to its latest version",
                        name);
        if (name == "StaleEpoch" || name == "RotationRequired")
            throw Error(ErrorCode::conflict,
                        "the key of patient " + patient.to_checksum() +
                            " changed while the write was on its way (a revoke, an expiry or a suspension): write again",
                        name);
        if (name == "UnknownRecord")
            throw Error(ErrorCode::not_found,
                        "patient " + patient.to_checksum() + " has no record " + std::to_string(record_id), name);
        if (name == "UnknownPatient")
            throw RefusedError(ErrorCode::not_found, "patient " + patient.to_checksum() + " is not registered", name);
        if (name == "NoActiveGrant")
            throw RefusedError(refusal_code(ctx, patient, author),
                               "doctor " + author.to_checksum() + " has no active grant for patient " +
                                   patient.to_checksum(),
                               name);
        if (name == "NotVerified")
            refuse_unverified(doctor_status(ctx, author),
                              "account " + author.to_checksum() + " is neither patient " + patient.to_checksum() +
                                  " nor a verified doctor with access to their records",
                              name);
        throw;
    }
}

std::uint32_t record_count(Context& ctx, const eth::Address& patient) {
    const abi::Value args[] = {abi::Value::address(patient)};
    const auto r = ctx.contracts().view(ctx.manifest().patient, gen::PatientContract::fn::patientOf,
                                        gen::PatientContract::returns::patientOf, args);
    return u32(r.at(1));
}

WrittenRecord add_record(Context& ctx, const eth::PrivateKey& author, Keyring& keyring, const eth::Address& patient,
                         RecordKind kind, const fhir::Json& resource, std::optional<Bytes32> object_id) {
    RecordDocument doc{kind, resource, author.address(), now_seconds()};
    const std::string text = build_record_document(doc);  // validates before anything is sent
    const Bytes32 id = object_id ? object_id_of(*object_id) : new_object_id();
    ObjectRef ref;
    eth::Receipt receipt;
    try {
        receipt = write_sealed(ctx, author, keyring, patient, [&](const EpochKey& key) {
            ref = seal_document(ctx, key, patient, id, 1, text);
            const abi::Value args[] = {abi::Value::address(patient), abi::Value::uint(key.epoch),
                                       abi::Value::bytes32(ref.digest), abi::Value::bytes32(ref.meta)};
            return ctx.contracts().transact(ctx.sender(author), ctx.manifest().patient,
                                            gen::PatientContract::fn::addRecord, args);
        });
    } catch (const eth::RevertedError&) {
        rethrow_write_error(ctx, author.address(), patient, 0);
    }
    const RecordVersionInfo v = version_from_receipt(ctx, receipt);
    if (v.ref != ref || v.version != 1) throw Error("the RecordVersion event does not match the record just added");
    return WrittenRecord{v.record_id, v.version, ref, receipt.transaction_hash, receipt.block_number};
}

WrittenRecord add_record(Context& ctx, const eth::PrivateKey& author, const eth::Address& patient, RecordKind kind,
                         const fhir::Json& resource) {
    Keyring keyring(ctx, author);
    return add_record(ctx, author, keyring, patient, kind, resource);
}

std::vector<AddedRecord> add_records(Context& ctx, const eth::PrivateKey& author, const eth::Address& patient,
                                     std::span<const RecordInput> records, std::size_t in_flight,
                                     const ProgressFn& progress) {
    using Clock = std::chrono::steady_clock;
    if (in_flight == 0) throw Error("add_records needs at least one transaction in flight");
    std::vector<std::string> texts;
    texts.reserve(records.size());
    for (const auto& r : records)  // validates every document before anything is sent
        texts.push_back(build_record_document(RecordDocument{r.kind, r.resource, author.address(), now_seconds()}));
    Keyring keyring(ctx, author);
    // One key for the whole pipeline: a rotation that lands meanwhile makes the rest refused
    // (StaleEpoch), reported as such; the records already added stay.
    const EpochKey key = sealing_key(ctx, author, keyring, patient);
    eth::TxSender& sender = ctx.sender(author);

    struct Pending {
        std::size_t index;
        ObjectRef ref;
        Bytes32 hash;
        Clock::time_point started;
    };
    std::deque<Pending> pending;
    std::vector<AddedRecord> out(records.size());
    std::size_t done = 0;
    const auto collect_oldest = [&] {
        const Pending p = pending.front();
        pending.pop_front();
        eth::Receipt receipt;
        try {
            receipt = ctx.rpc().require_success(ctx.rpc().wait_for_receipt(p.hash, Clock::now() + std::chrono::seconds(60)));
        } catch (const eth::RevertedError&) {
            rethrow_write_error(ctx, author.address(), patient, 0);
        }
        const RecordVersionInfo v = version_from_receipt(ctx, receipt);
        if (v.ref != p.ref || v.version != 1) throw Error("the RecordVersion event does not match the record just added");
        out[p.index] = AddedRecord{WrittenRecord{v.record_id, v.version, p.ref, receipt.transaction_hash, receipt.block_number},
                                   Clock::now() - p.started};
        ++done;
        if (progress) progress(done, records.size());
    };
    // Documents are sealed and stored kRecordStoreBatch at a time: one durable flush of the store per
    // batch instead of one per document, still before any transaction names them.
    std::vector<ObjectRef> refs;
    std::vector<Clock::time_point> started(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (i % kRecordStoreBatch == 0) {
            const std::size_t n = std::min(kRecordStoreBatch, records.size() - i);
            std::vector<SealRequest> batch;
            for (std::size_t j = i; j < i + n; ++j) {
                started[j] = Clock::now();
                batch.push_back(SealRequest{new_object_id(), 1, as_bytes(texts[j])});
            }
            refs = store_sealed_batch(ctx, key, patient, batch);
        }
        while (pending.size() >= in_flight) collect_oldest();
        const ObjectRef ref = refs[i % kRecordStoreBatch];
        const abi::Value args[] = {abi::Value::address(patient), abi::Value::uint(key.epoch),
                                   abi::Value::bytes32(ref.digest), abi::Value::bytes32(ref.meta)};
        eth::SentTransaction sent;
        try {
            sent = ctx.contracts().send(sender, ctx.manifest().patient, gen::PatientContract::fn::addRecord, args);
        } catch (const eth::RevertedError&) {
            rethrow_write_error(ctx, author.address(), patient, 0);
        }
        pending.push_back(Pending{i, ref, sent.hash, started[i]});
    }
    while (!pending.empty()) collect_oldest();
    return out;
}

WrittenRecord update_record(Context& ctx, const eth::PrivateKey& author, const eth::Address& patient,
                            std::uint32_t record_id, const fhir::Json& resource) {
    const RecordKind kind = kind_of_resource(resource);
    RecordDocument doc{kind, resource, author.address(), now_seconds()};
    const std::string text = build_record_document(doc);
    BlockTimes times(ctx);
    const auto versions = versions_of(ctx, patient, record_id, times);
    if (versions.empty())
        throw Error(ErrorCode::not_found,
                    "patient " + patient.to_checksum() + " has no record " + std::to_string(record_id));
    const RecordVersionInfo& latest =
        *std::max_element(versions.begin(), versions.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
    Keyring keyring(ctx, author);
    const std::uint32_t version = latest.version + 1;
    ObjectRef ref;
    eth::Receipt receipt;
    try {
        receipt = write_sealed(ctx, author, keyring, patient, [&](const EpochKey& key) {
            ref = seal_document(ctx, key, patient, object_id_of(versions.front().ref.meta), version, text);
            const abi::Value args[] = {abi::Value::address(patient),        abi::Value::uint(record_id),
                                       abi::Value::uint(key.epoch),         abi::Value::bytes32(latest.ref.digest),
                                       abi::Value::bytes32(ref.digest),     abi::Value::bytes32(ref.meta)};
            return ctx.contracts().transact(ctx.sender(author), ctx.manifest().patient,
                                            gen::PatientContract::fn::updateRecord, args);
        });
    } catch (const eth::RevertedError&) {
        rethrow_write_error(ctx, author.address(), patient, record_id);
    }
    const RecordVersionInfo v = version_from_receipt(ctx, receipt);
    if (v.ref != ref || v.version != version) throw Error("the RecordVersion event does not match the version just added");
    return WrittenRecord{v.record_id, v.version, ref, receipt.transaction_hash, receipt.block_number};
}

std::vector<RecordVersionInfo> record_history(Context& ctx, const eth::Address& patient, std::uint32_t record_id) {
    BlockTimes times(ctx);
    auto versions = versions_of(ctx, patient, record_id, times);
    if (versions.empty())
        throw Error(ErrorCode::not_found,
                    "patient " + patient.to_checksum() + " has no record " + std::to_string(record_id));
    std::stable_sort(versions.begin(), versions.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
    return versions;
}

void log_read(Context& ctx, Reader& reader, const eth::Address& patient, AccessTarget target,
              std::uint32_t record_id, std::uint32_t n, const ReadOptions& options) {
    if (!options.log_access || reader.address() == patient) return;
    Bytes32 what{};
    try {
        what = access_what(access_log_key(reader.keyring().key(patient, 1), patient), target, record_id, n);
    } catch (const NoAccessError&) {
        // A reader holding no key of the patient holds no grant either: the chain's refusal of
        // the log names why (unregistered, suspended, expired, never approved).
        log_access(ctx, reader.key(), patient, what);
        throw;
    }
    if (!options.log_once || reader.first_log(patient, what)) {
        log_access(ctx, reader.key(), patient, what);
        return;
    }
    if (!has_access(ctx, patient, reader.address()))
        throw NoAccessError("doctor " + reader.address().to_checksum() + " no longer has access to patient " +
                            patient.to_checksum());
}

Record show_record(Context& ctx, Reader& reader, const eth::Address& patient, std::uint32_t record_id,
                   std::optional<std::uint32_t> version, const ReadOptions& options) {
    const auto versions = record_history(ctx, patient, record_id);
    const std::uint32_t latest = versions.back().version;
    const std::uint32_t wanted = version.value_or(latest);
    const auto it = std::find_if(versions.begin(), versions.end(), [&](const auto& v) { return v.version == wanted; });
    if (it == versions.end())
        throw Error(ErrorCode::not_found,
                    record_name(patient, record_id) + " has no version " + std::to_string(wanted) +
                    " (latest: " + std::to_string(latest) + ")");
    log_read(ctx, reader, patient, AccessTarget::record, record_id, wanted, options);
    Record r;
    r.info = *it;
    r.latest_version = latest;
    r.attachments = record_state(ctx, patient, record_id).attachments;
    r.document = open_document(ctx, reader, patient, *it);
    return r;
}

std::vector<RecordListing> list_records(Context& ctx, Reader& reader, const eth::Address& patient,
                                        const ReadOptions& options, const ProgressFn& progress) {
    const std::uint32_t count = record_count(ctx, patient);
    log_read(ctx, reader, patient, AccessTarget::list, 0, count, options);
    BlockTimes times(ctx);
    std::map<std::uint32_t, RecordVersionInfo> latest;
    for (auto& v : versions_of(ctx, patient, std::nullopt, times)) {
        auto [it, inserted] = latest.try_emplace(v.record_id, v);
        if (!inserted && v.version > it->second.version) it->second = v;
    }
    std::map<std::uint32_t, std::uint32_t> attachments;
    const auto files = ctx.contracts().events(ctx.manifest().patient, gen::PatientContract::ev::FileAttached,
                                              {chain::address_topic(patient)});
    for (const auto& e : files) {
        auto& n = attachments[u32(e.values.at(1))];
        n = std::max(n, u32(e.values.at(2)));
    }
    std::vector<RecordListing> out;
    out.reserve(latest.size());
    for (const auto& [id, v] : latest) {
        if (progress) progress(out.size(), latest.size());
        RecordListing l;
        l.record_id = id;
        l.latest = v;
        l.attachments = attachments.count(id) ? attachments[id] : 0;
        try {
            const RecordDocument doc = open_document(ctx, reader, patient, v);
            l.kind = doc.kind;
            l.summary = fhir::summary(doc.resource);
            l.readable = true;
        } catch (const Error& e) {
            if (e.code() == ErrorCode::cancelled) throw;  // a cancel is not an unreadable record
            l.summary = e.what();
            l.problem = e.code();
        }
        out.push_back(std::move(l));
    }
    if (progress) progress(out.size(), latest.size());
    return out;
}

}  // namespace dossier::core
