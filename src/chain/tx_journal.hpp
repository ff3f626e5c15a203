#pragma once
/// A write-ahead journal of signed transactions for the embedded chain.
///
/// anvil persists its state once a second, so a kill -9 can lose the last second of blocks. Every
/// signed transaction is appended here (and fsync'd) before it is sent; after a crash,
/// `dossier node up` re-sends, in order, every journaled transaction the restored chain no longer
/// knows. Signed transactions are deterministic bytes with fixed nonces, so a re-send reproduces
/// exactly the lost write. File format: one JSON object per line; a torn last line (a crash during
/// append) is ignored, a torn line anywhere else is an error.
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/error.hpp"
#include "eth/address.hpp"

namespace dossier::chain {

struct JournalEntry {
    Bytes32 hash{};
    eth::Address from;
    std::uint64_t nonce = 0;
    Bytes raw;  ///< the signed transaction as sent to eth_sendRawTransaction
    bool operator==(const JournalEntry&) const = default;
};

class TxJournal {
public:
    /// Opens (creating if needed) the journal file.
    explicit TxJournal(std::filesystem::path file);
    TxJournal(const TxJournal&) = delete;
    TxJournal& operator=(const TxJournal&) = delete;
    ~TxJournal();

    /// Appends and fsyncs one entry; returns only once it is durable. Thread-safe.
    void append(const JournalEntry& entry);
    /// Every entry in append order.
    [[nodiscard]] std::vector<JournalEntry> entries() const;
    /// Atomically replaces the journal with `keep` (used after the chain was verified to hold
    /// the other entries durably, e.g. after a clean `node down`).
    void rewrite(const std::vector<JournalEntry>& keep);
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return file_; }

private:
    std::filesystem::path file_;
    int fd_ = -1;
    mutable std::mutex mutex_;
};

}  // namespace dossier::chain
