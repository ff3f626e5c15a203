#include <gtest/gtest.h>

#include <fstream>

#include "chain/tx_journal.hpp"
#include "support/error_code.hpp"
#include "support/process.hpp"

using namespace dossier;

namespace {
chain::JournalEntry entry(std::uint64_t nonce) {
    chain::JournalEntry e;
    e.hash[0] = static_cast<std::uint8_t>(nonce);
    e.from = eth::Address::from_hex("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    e.nonce = nonce;
    e.raw = Bytes{0x02, static_cast<std::uint8_t>(nonce), 0xff};
    return e;
}
}  // namespace

TEST(TxJournal, AppendsSurviveReopenAndRewrite) {
    test::TempDir dir;
    const auto file = std::filesystem::path(dir.path()) / "journal" / "tx.jsonl";
    {
        chain::TxJournal j(file);
        for (std::uint64_t n = 0; n < 5; ++n) j.append(entry(n));
    }
    chain::TxJournal j(file);
    auto all = j.entries();
    ASSERT_EQ(all.size(), 5u);
    EXPECT_EQ(all[3], entry(3));
    j.rewrite({entry(4)});
    j.append(entry(5));
    all = j.entries();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[1], entry(5));
}

TEST(TxJournal, TornLastLineIsDroppedButCorruptionElsewhereIsAnError) {
    test::TempDir dir;
    const auto file = std::filesystem::path(dir.path()) / "tx.jsonl";
    {
        chain::TxJournal j(file);
        j.append(entry(1));
    }
    {
        std::ofstream out(file, std::ios::app);
        out << R"({"hash":"0x01","fr)";  // a crash in the middle of an append
    }
    {
        chain::TxJournal j(file);
        EXPECT_EQ(j.entries().size(), 1u);
        j.append(entry(2));
        EXPECT_EQ(j.entries().size(), 2u);
    }
    {
        std::ofstream out(file, std::ios::trunc);
        out << "garbage\n" << R"({"hash":"0x00"})" << "\n";
    }
    test::expect_code([&] { chain::TxJournal j(file); }, ErrorCode::io);
}

TEST(TxJournal, AppendFollowsAJournalCompactedByAnotherProcess) {
    test::TempDir dir;
    const auto file = std::filesystem::path(dir.path()) / "tx.jsonl";
    chain::TxJournal writer(file);
    writer.append(entry(1));
    {
        chain::TxJournal other(file);  // e.g. `node down` compacting while an app keeps its journal open
        other.rewrite({});
    }
    writer.append(entry(2));
    const auto all = chain::TxJournal(file).entries();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0], entry(2));
}
