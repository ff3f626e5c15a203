#include "dossier/records_batch.hpp"

#include <algorithm>
#include <string>

#include "base/hex.hpp"
#include "chain/contracts_client.hpp"
#include "dossier/key_rotation.hpp"
#include "eth/abi.hpp"
#include "eth/abi_event.hpp"
#include "eth/rpc_error.hpp"
#include "eth/uint256.hpp"

namespace dossier::core {

namespace abi = eth::abi;
namespace gen = chain::gen;

namespace {

std::uint32_t u32(const abi::Value& v) {
    const std::uint64_t x = eth::to_u64(v.as_uint());
    if (x > 0xffffffffu) throw DecodeError("a record number does not fit 32 bits");
    return static_cast<std::uint32_t>(x);
}

/// The records one addRecords receipt added, checked against what was sent: one RecordVersion per
/// record, version 1, by `author`, in the order of `refs`, with consecutive ids. Each log is
/// decoded against the ABI (a log that does not decode is an untrusted answer, not skipped).
std::vector<WrittenRecord> written_from_receipt(Context& ctx, const eth::Receipt& receipt, const eth::Address& author,
                                                const std::vector<ObjectRef>& refs) {
    const auto& ev = gen::PatientContract::ev::RecordVersion;
    const Bytes32 topic = abi::event_topic(ev.signature);
    std::vector<WrittenRecord> out;
    out.reserve(refs.size());
    for (const auto& log : receipt.logs) {
        if (log.address != ctx.manifest().patient || log.topics.empty() || log.topics[0] != topic) continue;
        const auto values = chain::decode_event(ev, log, ctx.rpc().url());
        const std::size_t i = out.size();
        WrittenRecord w{u32(values.at(1)), u32(values.at(2)),
                        ObjectRef{values.at(4).as_bytes32(), values.at(6).as_bytes32()}, receipt.transaction_hash,
                        receipt.block_number};
        if (i >= refs.size() || w.version != 1 || w.ref != refs[i] || values.at(3).as_address() != author ||
            (i > 0 && w.record_id != out[i - 1].record_id + 1))
            throw Error("the RecordVersion events of " + to_hex(receipt.transaction_hash) +
                        " do not match the records just added");
        out.push_back(w);
    }
    if (out.size() != refs.size())
        throw Error("the transaction " + to_hex(receipt.transaction_hash) + " emitted " +
                    std::to_string(out.size()) + " RecordVersion events for " + std::to_string(refs.size()) +
                    " records");
    return out;
}

}  // namespace

std::vector<WrittenRecord> add_records_batched(Context& ctx, const eth::PrivateKey& author, const eth::Address& patient,
                                               std::span<const RecordInput> records, std::size_t per_transaction,
                                               const BatchLandedFn& landed, const ProgressFn& progress) {
    if (per_transaction == 0 || per_transaction > kMaxRecordsPerTransaction)
        throw Error("a batch transaction takes 1 to " + std::to_string(kMaxRecordsPerTransaction) + " records, not " +
                    std::to_string(per_transaction));
    std::vector<std::string> texts;
    texts.reserve(records.size());
    for (const auto& r : records)  // validates every document before anything is sent
        texts.push_back(build_record_document(RecordDocument{r.kind, r.resource, author.address(), now_seconds()}));
    Keyring keyring(ctx, author);
    eth::TxSender& sender = ctx.sender(author);
    std::vector<WrittenRecord> out;
    out.reserve(records.size());
    for (std::size_t first = 0; first < records.size(); first += per_transaction) {
        const std::size_t n = std::min(per_transaction, records.size() - first);
        std::vector<ObjectRef> refs;
        eth::Receipt receipt;
        try {
            receipt = write_sealed(ctx, author, keyring, patient, [&](const EpochKey& key) {
                // Sealed from scratch on every attempt (new object ids, the attempt's key).
                std::vector<SealRequest> requests;
                requests.reserve(n);
                for (std::size_t i = first; i < first + n; ++i)
                    requests.push_back(SealRequest{new_object_id(), 1, as_bytes(texts[i])});
                refs = store_sealed_batch(ctx, key, patient, requests);
                abi::Value::List digests, metas;
                digests.reserve(n);
                metas.reserve(n);
                for (const auto& ref : refs) {
                    digests.push_back(abi::Value::bytes32(ref.digest));
                    metas.push_back(abi::Value::bytes32(ref.meta));
                }
                const abi::Value args[] = {abi::Value::address(patient), abi::Value::uint(key.epoch),
                                           abi::Value::list(std::move(digests)), abi::Value::list(std::move(metas))};
                return ctx.contracts().transact(sender, ctx.manifest().patient, gen::PatientContract::fn::addRecords,
                                                args);
            });
        } catch (const eth::RevertedError&) {
            rethrow_write_error(ctx, author.address(), patient, 0);
        }
        const auto written = written_from_receipt(ctx, receipt, author.address(), refs);
        out.insert(out.end(), written.begin(), written.end());
        if (landed) landed(first, written);
        if (progress) progress(out.size(), records.size());
    }
    return out;
}

}  // namespace dossier::core
