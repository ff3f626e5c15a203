#pragma once
/// Replaying the transaction journal onto a chain that lost its last writes.
///
/// The embedded anvil saves its state once a second and on SIGTERM; a kill -9 (or a power cut)
/// loses whatever was mined since the last save. Every transaction Dossier signs for the embedded
/// chain is journaled before it is sent (chain/tx_journal.hpp), so after a restart the lost ones
/// can be re-sent byte for byte: same signature, same nonce, same effect.
///
/// Entries are examined in journal order (the order the writes happened in; a transaction may
/// depend on an earlier one of another account, e.g. the transfer that funds it), and each re-sent
/// one is mined before the next goes out. Per entry:
/// - a receipt exists: already on chain, nothing to do;
/// - known to the node's pool: waited for;
/// - nonce below the account's on-chain nonce but no receipt: another transaction took that nonce
///   (the entry was refused by the node when first sent and its nonce reused): superseded;
/// - nonce equal to the next nonce the account needs: re-sent (eth_sendRawTransaction);
/// - nonce above it: held back until the account's earlier entries are sent (concurrent senders
///   may append out of nonce order); if they never come (an earlier transaction is missing from
///   the journal, e.g. compacted), it could never be mined, so it is not sent and is counted as
///   unrecoverable.
/// A re-sent entry the node refuses outright is counted as rejected (a later entry with the same
/// nonce, if any, is tried instead).
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "chain/tx_journal.hpp"
#include "eth/rpc_client.hpp"

namespace dossier::core {

/// One line of human-readable progress ("re-sending 3 transactions").
using LogFn = std::function<void(std::string_view message)>;

struct RecoveryReport {
    std::size_t journaled = 0;         ///< entries examined
    std::size_t already_on_chain = 0;  ///< their receipt exists
    std::size_t in_flight = 0;         ///< known to the node's pool, not yet mined (waited for)
    std::size_t resent = 0;            ///< re-sent and now mined
    std::size_t reverted = 0;          ///< of the re-sent ones, mined with status 0 (state differed)
    std::size_t superseded = 0;        ///< nonce already used by another transaction
    std::size_t rejected = 0;          ///< the node refused the re-send
    std::size_t unrecoverable = 0;     ///< nonce gap: an earlier transaction of the account is lost
    std::vector<Bytes32> resent_hashes;
    std::vector<std::string> problems;  ///< one sentence per rejected or unrecoverable entry
};

/// Re-sends every journaled transaction that `rpc`'s chain does not hold (see above) and waits for
/// their receipts until `timeout`. Receipts and nonces are asked in JSON-RPC batches. Throws
/// Error (node_unavailable) if a re-sent transaction is not mined in time, and the RPC errors of
/// the node being unreachable.
RecoveryReport recover_journal(eth::RpcClient& rpc, const chain::TxJournal& journal, const LogFn& log = {},
                               std::chrono::steady_clock::duration timeout = std::chrono::seconds(60));

/// The hashes of the entries the chain has definitively dealt with: the account's on-chain
/// (latest) nonce is above the entry's nonce, so the entry is mined or can never be. Once the
/// chain's state holding those nonces is on disk, these entries are no longer needed.
[[nodiscard]] std::vector<Bytes32> settled_entries(eth::RpcClient& rpc, const std::vector<chain::JournalEntry>& entries);

/// Rewrites the journal without the entries whose hash is in `settled` (entries appended since
/// `settled` was computed are kept). Returns how many were dropped.
std::size_t compact_journal(chain::TxJournal& journal, const std::vector<Bytes32>& settled);

}  // namespace dossier::core
