// Journal replay against real anvils: transactions signed and journaled on one chain are replayed
// onto a second, fresh chain with the same dev accounts, standing in for a chain restored from an
// older state file.
#include <gtest/gtest.h>

#include <cstdio>

#include "chain/tx_journal.hpp"
#include "dossier/recovery.hpp"
#include "eth/http_transport.hpp"
#include "eth/tx_sender.hpp"
#include "support/anvil.hpp"

using namespace dossier;

namespace {

const eth::Address kRecipient = eth::Address::from_hex("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");

/// Sends `n` value transfers from dev account 0 on `rpc`, journaling each signed transaction.
std::vector<chain::JournalEntry> send_journaled(eth::RpcClient& rpc, chain::TxJournal& journal, int n) {
    eth::TxSenderOptions options;
    options.on_signed = [&journal](const eth::Transaction& tx, const eth::SignedTransaction& s) {
        journal.append(chain::JournalEntry{s.hash, s.from, tx.nonce, s.raw});
    };
    eth::TxSender sender(rpc, eth::PrivateKey::from_hex(test::Anvil::kDevKey), options);
    for (int i = 0; i < n; ++i) {
        eth::TxRequest r;
        r.to = kRecipient;
        r.value = eth::U256(1000 + i);
        (void)sender.send_and_wait(r);
    }
    return journal.entries();
}

struct Chains {
    test::Anvil original;
    test::Anvil restored;
    test::TempDir dir;
    eth::RpcClient original_rpc{original.url()};
    eth::RpcClient restored_rpc{restored.url()};
};

}  // namespace

TEST(Recovery, ReplaysEveryLostTransactionInOrder) {
    Chains c;
    chain::TxJournal journal(c.dir.path() + "/journal.jsonl");
    const auto entries = send_journaled(c.original_rpc, journal, 5);
    ASSERT_EQ(entries.size(), 5u);
    const eth::U256 expected = c.original_rpc.get_balance(kRecipient);

    std::vector<std::string> lines;
    const auto report = core::recover_journal(c.restored_rpc, journal, [&](std::string_view m) { lines.emplace_back(m); });
    EXPECT_EQ(report.journaled, 5u);
    EXPECT_EQ(report.resent, 5u);
    EXPECT_EQ(report.already_on_chain, 0u);
    EXPECT_EQ(report.reverted, 0u);
    EXPECT_EQ(report.unrecoverable, 0u);
    ASSERT_EQ(report.resent_hashes.size(), 5u);
    for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(report.resent_hashes[i], entries[i].hash);
    EXPECT_FALSE(lines.empty());
    // Same bytes, same effects: the recipient's balance and the sender's nonce match the original.
    EXPECT_EQ(c.restored_rpc.get_balance(kRecipient), expected);
    EXPECT_EQ(c.restored_rpc.get_transaction_count(entries[0].from), 5u);

    // A second replay finds everything on chain and sends nothing.
    const auto again = core::recover_journal(c.restored_rpc, journal);
    EXPECT_EQ(again.already_on_chain, 5u);
    EXPECT_EQ(again.resent, 0u);

    // Everything is settled now; compaction empties the journal.
    const auto settled = core::settled_entries(c.restored_rpc, journal.entries());
    EXPECT_EQ(settled.size(), 5u);
    EXPECT_EQ(core::compact_journal(journal, settled), 5u);
    EXPECT_TRUE(journal.entries().empty());
}

TEST(Recovery, SkipsNoncesAnotherTransactionTook) {
    Chains c;
    chain::TxJournal journal(c.dir.path() + "/journal.jsonl");
    const auto entries = send_journaled(c.original_rpc, journal, 4);

    // On the restored chain, nonce 0 of the dev account was used by another transaction.
    {
        eth::TxSender other(c.restored_rpc, eth::PrivateKey::from_hex(test::Anvil::kDevKey));
        eth::TxRequest r;
        r.to = eth::Address::from_hex(test::Anvil::kDevAddress1);
        r.value = 7;
        (void)other.send_and_wait(r);
    }
    const auto report = core::recover_journal(c.restored_rpc, journal);
    EXPECT_EQ(report.superseded, 1u);
    EXPECT_EQ(report.resent, 3u);
    EXPECT_EQ(report.unrecoverable, 0u);
    EXPECT_FALSE(c.restored_rpc.get_transaction_receipt(entries[0].hash).has_value());
    for (std::size_t i = 1; i < 4; ++i) EXPECT_TRUE(c.restored_rpc.get_transaction_receipt(entries[i].hash).has_value());
}

TEST(Recovery, AGapInTheJournalIsReportedNotSent) {
    Chains c;
    chain::TxJournal journal(c.dir.path() + "/journal.jsonl");
    auto entries = send_journaled(c.original_rpc, journal, 3);
    // The journal lost the first entry (e.g. compacted against a state that was later deleted).
    journal.rewrite({entries[1], entries[2]});
    const auto report = core::recover_journal(c.restored_rpc, journal);
    EXPECT_EQ(report.unrecoverable, 2u);
    EXPECT_EQ(report.resent, 0u);
    EXPECT_EQ(report.problems.size(), 2u);
    EXPECT_EQ(c.restored_rpc.get_transaction_count(entries[0].from), 0u);
    // Nothing was left in the node's pool either.
    EXPECT_EQ(c.restored_rpc.get_transaction_count(entries[0].from, eth::BlockRef::pending()), 0u);
}

TEST(Recovery, OutOfOrderAppendsAreSentInNonceOrder) {
    Chains c;
    chain::TxJournal journal(c.dir.path() + "/journal.jsonl");
    auto entries = send_journaled(c.original_rpc, journal, 3);
    // Concurrent senders may append out of nonce order.
    journal.rewrite({entries[2], entries[0], entries[1]});
    const auto report = core::recover_journal(c.restored_rpc, journal);
    EXPECT_EQ(report.resent, 3u);
    EXPECT_EQ(report.unrecoverable, 0u);
    EXPECT_EQ(c.restored_rpc.get_balance(kRecipient), c.original_rpc.get_balance(kRecipient));
}

TEST(Recovery, EmptyJournalIsANoOp) {
    test::Anvil anvil;
    test::TempDir dir;
    chain::TxJournal journal(dir.path() + "/journal.jsonl");
    eth::RpcClient rpc(anvil.url());
    const auto report = core::recover_journal(rpc, journal);
    EXPECT_EQ(report.journaled, 0u);
    EXPECT_EQ(report.resent, 0u);
    EXPECT_TRUE(core::settled_entries(rpc, journal.entries()).empty());
    EXPECT_EQ(core::compact_journal(journal, {}), 0u);
}

TEST(Recovery, ReplaysAFewHundredTransactionsInSeconds) {
    Chains c;
    chain::TxJournal journal(c.dir.path() + "/journal.jsonl");
    const auto entries = send_journaled(c.original_rpc, journal, 200);
    const auto start = std::chrono::steady_clock::now();
    const auto report = core::recover_journal(c.restored_rpc, journal);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(report.resent, 200u);
    EXPECT_EQ(c.restored_rpc.get_balance(kRecipient), c.original_rpc.get_balance(kRecipient));
    std::printf("replayed %zu journaled transactions in %lld ms\n", report.resent, static_cast<long long>(ms));
    EXPECT_LT(ms, 30000);
}
