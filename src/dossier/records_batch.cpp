#include "dossier/records_batch.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <optional>
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
                                               const BatchLandedFn& landed, const ProgressFn& progress,
                                               std::size_t in_flight) {
    if (per_transaction == 0 || per_transaction > kMaxRecordsPerTransaction)
        throw Error("a batch transaction takes 1 to " + std::to_string(kMaxRecordsPerTransaction) + " records, not " +
                    std::to_string(per_transaction));
    in_flight = std::max<std::size_t>(in_flight, 1);
    std::vector<std::string> texts;
    texts.reserve(records.size());
    for (const auto& r : records)  // validates every document before anything is sent
        texts.push_back(build_record_document(RecordDocument{r.kind, r.resource, author.address(), now_seconds()}));
    Keyring keyring(ctx, author);
    eth::TxSender& sender = ctx.sender(author);
    const std::size_t chunks = (records.size() + per_transaction - 1) / per_transaction;
    const auto first_of = [&](std::size_t c) { return c * per_transaction; };
    const auto size_of = [&](std::size_t c) { return std::min(per_transaction, records.size() - first_of(c)); };

    // Sealed from scratch on every call (new object ids, the given key).
    const auto seal = [&](const EpochKey& key, std::size_t c) {
        std::vector<SealRequest> requests;
        requests.reserve(size_of(c));
        for (std::size_t i = first_of(c); i < first_of(c) + size_of(c); ++i)
            requests.push_back(SealRequest{new_object_id(), 1, as_bytes(texts[i])});
        return store_sealed_batch(ctx, key, patient, requests);
    };
    const auto call_args = [&](const EpochKey& key, const std::vector<ObjectRef>& refs) {
        abi::Value::List digests, metas;
        digests.reserve(refs.size());
        metas.reserve(refs.size());
        for (const auto& ref : refs) {
            digests.push_back(abi::Value::bytes32(ref.digest));
            metas.push_back(abi::Value::bytes32(ref.meta));
        }
        return std::vector<abi::Value>{abi::Value::address(patient), abi::Value::uint(key.epoch),
                                       abi::Value::list(std::move(digests)), abi::Value::list(std::move(metas))};
    };

    // What each transaction added; handed to `landed` in input order once all before it landed.
    std::vector<std::optional<std::vector<WrittenRecord>>> results(chunks);
    std::vector<WrittenRecord> out;
    out.reserve(records.size());
    std::size_t next_out = 0;
    const auto land = [&](std::size_t c, std::vector<WrittenRecord> written) {
        results[c] = std::move(written);
        for (; next_out < chunks && results[next_out]; ++next_out) {
            out.insert(out.end(), results[next_out]->begin(), results[next_out]->end());
            if (landed) landed(first_of(next_out), *results[next_out]);
            if (progress) progress(out.size(), records.size());
        }
    };

    // First pass: up to `in_flight` transactions sent before the oldest one's receipt is waited
    // for, all sealed under one key, so that storing the next batch overlaps mining this one (and,
    // on a chain that makes a block every few seconds, several batches share a block). A
    // refusal, at sending or in a receipt, ends the pass; what did not land is then written one
    // transaction at a time below, which reseals after a rotation and names the chain's reason.
    {
        struct Sent {
            std::size_t chunk;
            std::vector<ObjectRef> refs;
            Bytes32 hash;
        };
        std::deque<Sent> sent;
        bool refused = false;
        const auto collect_oldest = [&] {
            Sent s = std::move(sent.front());
            sent.pop_front();
            const eth::Receipt receipt =
                ctx.rpc().wait_for_receipt(s.hash, std::chrono::steady_clock::now() + std::chrono::seconds(120));
            if (!receipt.success) {
                refused = true;
                return;
            }
            land(s.chunk, written_from_receipt(ctx, receipt, author.address(), s.refs));
        };
        const EpochKey key = sealing_key(ctx, author, keyring, patient);
        for (std::size_t c = 0; c < chunks && !refused; ++c) {
            while (sent.size() >= in_flight && !refused) collect_oldest();
            if (refused) break;
            std::vector<ObjectRef> refs = seal(key, c);
            const auto args = call_args(key, refs);
            try {
                const eth::SentTransaction tx =
                    ctx.contracts().send(sender, ctx.manifest().patient, gen::PatientContract::fn::addRecords, args);
                sent.push_back(Sent{c, std::move(refs), tx.hash});
            } catch (const eth::RevertedError&) {
                refused = true;
            }
        }
        while (!sent.empty()) collect_oldest();  // every transaction sent is waited for
    }

    // Second pass: what did not land, one transaction at a time (write_sealed()).
    for (std::size_t c = 0; c < chunks; ++c) {
        if (results[c]) continue;
        std::vector<ObjectRef> refs;
        eth::Receipt receipt;
        try {
            receipt = write_sealed(ctx, author, keyring, patient, [&](const EpochKey& key) {
                refs = seal(key, c);
                const auto args = call_args(key, refs);
                return ctx.contracts().transact(sender, ctx.manifest().patient, gen::PatientContract::fn::addRecords,
                                                args);
            });
        } catch (const eth::RevertedError&) {
            rethrow_write_error(ctx, author.address(), patient, 0);
        }
        land(c, written_from_receipt(ctx, receipt, author.address(), refs));
    }
    return out;
}

}  // namespace dossier::core
