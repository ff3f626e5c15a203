#include "dossier/recovery.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "base/hex.hpp"

namespace dossier::core {
namespace {

/// Requests per JSON-RPC batch: large enough that a long journal costs few round trips, small
/// enough for nodes that cap batch sizes.
constexpr std::size_t kBatchSize = 100;

std::vector<eth::RpcResponse> batched(eth::RpcClient& rpc, const std::vector<eth::RpcRequest>& requests) {
    std::vector<eth::RpcResponse> out;
    out.reserve(requests.size());
    for (std::size_t i = 0; i < requests.size(); i += kBatchSize) {
        const std::size_t n = std::min(kBatchSize, requests.size() - i);
        auto part = rpc.batch(std::span<const eth::RpcRequest>(requests.data() + i, n));
        for (auto& r : part) out.push_back(std::move(r));
    }
    return out;
}

/// Whether each hash has a receipt.
std::vector<bool> have_receipts(eth::RpcClient& rpc, const std::vector<chain::JournalEntry>& entries) {
    std::vector<eth::RpcRequest> requests;
    requests.reserve(entries.size());
    for (const auto& e : entries) requests.push_back({"eth_getTransactionReceipt", eth::json::array({to_hex(e.hash)})});
    const auto answers = batched(rpc, requests);
    std::vector<bool> out;
    out.reserve(answers.size());
    for (const auto& a : answers) out.push_back(!a.value().is_null());
    return out;
}

/// Whether each hash is known to the node (mined or in its pool).
std::vector<bool> known_transactions(eth::RpcClient& rpc, const std::vector<const chain::JournalEntry*>& entries) {
    std::vector<eth::RpcRequest> requests;
    requests.reserve(entries.size());
    for (const auto* e : entries) requests.push_back({"eth_getTransactionByHash", eth::json::array({to_hex(e->hash)})});
    const auto answers = batched(rpc, requests);
    std::vector<bool> out;
    out.reserve(answers.size());
    for (const auto& a : answers) out.push_back(!a.value().is_null());
    return out;
}

/// The latest (mined) nonce of each account.
std::map<eth::Address, std::uint64_t> latest_nonces(eth::RpcClient& rpc, const std::set<eth::Address>& accounts) {
    std::vector<eth::RpcRequest> requests;
    requests.reserve(accounts.size());
    for (const auto& a : accounts) requests.push_back({"eth_getTransactionCount", eth::json::array({a.to_hex(), "latest"})});
    const auto answers = batched(rpc, requests);
    std::map<eth::Address, std::uint64_t> out;
    std::size_t i = 0;
    for (const auto& a : accounts) out[a] = eth::decode_u64(answers[i++].value(), "transaction count");
    return out;
}

bool is_already_known(const eth::RpcError& e) {
    const std::string& m = e.rpc_message();
    return m.find("already known") != std::string::npos || m.find("already imported") != std::string::npos ||
           m.find("AlreadyKnown") != std::string::npos;
}

void say(const LogFn& log, const std::string& text) {
    if (log) log(text);
}

}  // namespace

RecoveryReport recover_journal(eth::RpcClient& rpc, const chain::TxJournal& journal, const LogFn& log,
                               std::chrono::steady_clock::duration timeout) {
    RecoveryReport report;
    const std::vector<chain::JournalEntry> entries = journal.entries();
    report.journaled = entries.size();
    if (entries.empty()) return report;

    const std::vector<bool> mined = have_receipts(rpc, entries);
    std::vector<const chain::JournalEntry*> missing;
    std::set<eth::Address> accounts;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (mined[i]) {
            ++report.already_on_chain;
        } else {
            missing.push_back(&entries[i]);
            accounts.insert(entries[i].from);
        }
    }
    if (missing.empty()) return report;
    const std::vector<bool> known = known_transactions(rpc, missing);
    std::map<const chain::JournalEntry*, bool> in_pool;
    for (std::size_t i = 0; i < missing.size(); ++i) in_pool[missing[i]] = known[i];
    std::map<eth::Address, std::uint64_t> next = latest_nonces(rpc, accounts);
    say(log, "checking " + std::to_string(missing.size()) + " journaled transaction" + (missing.size() == 1 ? "" : "s") +
                 " the chain does not hold");

    // Entries go out one at a time in journal order, each mined before the next is sent: journal
    // order is the order the writes happened in, and a later transaction may depend on an earlier
    // one of another account (a transfer that funds it, a request that an approval answers).
    // An entry whose nonce is ahead of its account waits for the entries before it.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::map<eth::Address, std::multimap<std::uint64_t, const chain::JournalEntry*>> deferred;
    auto process = [&](const chain::JournalEntry& e) {
        std::uint64_t& account_next = next[e.from];
        if (in_pool[&e] && e.nonce >= account_next) {
            (void)rpc.wait_for_receipt(e.hash, deadline);
            ++report.in_flight;
            account_next = e.nonce + 1;
            return;
        }
        if (e.nonce < account_next) {
            ++report.superseded;
            return;
        }
        if (e.nonce > account_next) {
            deferred[e.from].emplace(e.nonce, &e);
            return;
        }
        try {
            (void)rpc.send_raw_transaction(e.raw);
        } catch (const eth::RpcError& err) {
            if (!is_already_known(err)) {
                ++report.rejected;
                report.problems.push_back("the node refused journaled transaction " + to_hex(e.hash) + ": " +
                                          err.rpc_message());
                return;
            }
        } catch (const eth::RevertedError& err) {
            ++report.rejected;
            report.problems.push_back("the node refused journaled transaction " + to_hex(e.hash) + ": " + err.what());
            return;
        }
        const eth::Receipt receipt = rpc.wait_for_receipt(e.hash, deadline);
        ++report.resent;
        if (!receipt.success) ++report.reverted;
        report.resent_hashes.push_back(e.hash);
        account_next = e.nonce + 1;
    };
    for (const auto* e : missing) {
        process(*e);
        // Entries of this account that were waiting for the nonce just used.
        auto& waiting = deferred[e->from];
        for (auto it = waiting.find(next[e->from]); it != waiting.end(); it = waiting.find(next[e->from])) {
            const chain::JournalEntry* ready = it->second;
            waiting.erase(it);
            process(*ready);
        }
    }
    for (const auto& [account, waiting] : deferred) {
        for (const auto& [nonce, e] : waiting) {
            ++report.unrecoverable;
            report.problems.push_back("transaction " + to_hex(e->hash) + " of " + account.to_checksum() + " (nonce " +
                                      std::to_string(nonce) + ") cannot be re-sent: the account's transaction with nonce " +
                                      std::to_string(next[account]) + " is lost");
        }
    }
    if (report.resent > 0)
        say(log, "re-sent " + std::to_string(report.resent) + " journaled transaction" + (report.resent == 1 ? "" : "s") +
                     " the chain had lost");
    return report;
}

std::vector<Bytes32> settled_entries(eth::RpcClient& rpc, const std::vector<chain::JournalEntry>& entries) {
    std::set<eth::Address> accounts;
    for (const auto& e : entries) accounts.insert(e.from);
    if (accounts.empty()) return {};
    const auto nonces = latest_nonces(rpc, accounts);
    std::vector<Bytes32> out;
    for (const auto& e : entries)
        if (e.nonce < nonces.at(e.from)) out.push_back(e.hash);
    return out;
}

std::size_t compact_journal(chain::TxJournal& journal, const std::vector<Bytes32>& settled) {
    if (settled.empty()) return 0;
    const std::set<Bytes32> drop(settled.begin(), settled.end());
    std::vector<chain::JournalEntry> keep;
    std::size_t dropped = 0;
    for (auto& e : journal.entries()) {
        if (drop.count(e.hash))
            ++dropped;
        else
            keep.push_back(std::move(e));
    }
    if (dropped > 0) journal.rewrite(keep);
    return dropped;
}

}  // namespace dossier::core
