#pragma once
/// Many new records in few transactions: PatientContract.addRecords takes up to MAX_BATCH (256)
/// records at once, each with its own slot, RecordVersion event and audit entry, so that a bulk
/// import pays the transaction's fixed costs (21,000, the writer and epoch checks, the cold
/// accounts) once per batch instead of once per record (docs/gas.md, docs/performance.md).
#include <cstddef>
#include <functional>
#include <span>
#include <vector>

#include "dossier/records.hpp"

namespace dossier::core {

/// The most records one addRecords transaction takes (PatientContract.MAX_BATCH).
inline constexpr std::size_t kMaxRecordsPerTransaction = 256;

/// Called after each transaction's receipt with the records it added (in input order from
/// `first`): a caller that journals what landed does so here, never before the receipt.
using BatchLandedFn = std::function<void(std::size_t first, std::span<const WrittenRecord> written)>;

/// Transactions of one batch write kept in flight (sent, receipt not yet read) by default.
inline constexpr std::size_t kBatchesInFlight = 4;

/// Adds `records` (one author, one patient) in transactions of `per_transaction` records (1 to
/// kMaxRecordsPerTransaction). Every resource is checked before anything is sent. Per
/// transaction, its documents are sealed under one key (sealing_key(): a rotation first if the
/// epoch may no longer seal), stored in one batch, and sent as one addRecords, up to `in_flight`
/// transactions before the oldest receipt is waited for. A transaction refused on the way (a
/// rotation landed meanwhile, the access ended) and every one not sent yet are then written one at
/// a time: a stale-seal refusal seals that transaction's documents again under the new key and
/// sends once more (write_sealed()), any other refusal is the error. Record ids come from the
/// receipt's RecordVersion events, checked against what was sent. Results are in input order;
/// `landed` and `progress(done, total)` follow the receipts, in input order. Errors as
/// add_record() (rethrow_write_error()); a failure leaves the transactions confirmed before it on
/// chain.
[[nodiscard]] std::vector<WrittenRecord> add_records_batched(Context& ctx, const eth::PrivateKey& author,
                                                             const eth::Address& patient,
                                                             std::span<const RecordInput> records,
                                                             std::size_t per_transaction,
                                                             const BatchLandedFn& landed = {},
                                                             const ProgressFn& progress = {},
                                                             std::size_t in_flight = kBatchesInFlight);

}  // namespace dossier::core
