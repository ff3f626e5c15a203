#pragma once
/// The local index's file: every Dossier event of one deployment, as the chain emitted it, in a
/// SQLite database (index.sqlite in the data directory). Only public chain data is stored here
/// (addresses, digests, envelopes, timestamps, block hashes): no decrypted field ever is (see
/// docs/architecture.md, "The local index").
///
/// Each event row carries its position pos = block << 24 | log index (unique, in chain order), its
/// block number and transaction hash. The blocks table keeps the hash of every block the index
/// saw an event in and of each synced tip, which is what reorganisations are detected against.
/// A page of logs is applied in one SQLite transaction together with the new tip, so a process
/// killed at any point leaves the index at the end of some page, never between.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "chain/manifest.hpp"
#include "dossier/index/sqlite.hpp"
#include "eth/rpc_types.hpp"

namespace dossier::index {

/// The position of a log in the chain: block << 24 | log index.
[[nodiscard]] constexpr std::int64_t position(std::uint64_t block, std::uint64_t log_index) noexcept {
    return static_cast<std::int64_t>((block << 24) | (log_index & 0xffffff));
}

struct Tip {
    std::uint64_t block = 0;
    Bytes32 hash{};
};

struct IndexStats {
    std::optional<Tip> tip;
    std::uint64_t events = 0, audit_entries = 0;
    std::uint64_t file_bytes = 0;  ///< the database and its WAL
    std::optional<std::string> last_reorg;  ///< one sentence about the last reorganisation handled
    std::uint64_t head_at_sync = 0;         ///< the chain's head when the index last synced
};

class IndexDb {
public:
    /// Opens (creating) the index at `file` for the deployment `manifest` names. An index made for
    /// another deployment (another chain id, contract addresses or deployment block) is emptied
    /// first: it describes a chain that is no longer the one in use.
    IndexDb(const std::filesystem::path& file, const chain::Manifest& manifest);

    [[nodiscard]] sql::Database& db() noexcept { return db_; }
    [[nodiscard]] const chain::Manifest& manifest() const noexcept { return manifest_; }

    /// The last block the index is complete up to (none before the first sync).
    [[nodiscard]] std::optional<Tip> tip();
    /// The stored block hash of `block`, if the index saw it.
    [[nodiscard]] std::optional<Bytes32> block_hash(std::uint64_t block);
    /// Stored block numbers in [from, to], ascending (the candidates of a common ancestor).
    [[nodiscard]] std::vector<std::uint64_t> stored_blocks(std::uint64_t from, std::uint64_t to);

    /// What apply_page found.
    struct PageResult {
        std::uint64_t events = 0;   ///< rows added
        std::uint64_t ignored = 0;  ///< logs of other events (ownership changes...)
        /// A log named a block hash other than the one stored for its number: the chain
        /// reorganised while the index was reading it. Nothing of the page was applied.
        std::optional<std::uint64_t> conflict_block;
    };
    /// Applies the logs of blocks (tip, to] and moves the tip to (to, to_hash), in one
    /// transaction. `head` is the chain's head at the time (kept for confirmations).
    PageResult apply_page(std::span<const eth::Log> logs, const Tip& to, std::uint64_t head);

    /// Removes every event and block hash after `block` and makes `block` (with `hash`) the tip;
    /// `why` and the count removed are kept as the last reorganisation's description. Returns the
    /// rows removed.
    std::uint64_t rollback_to(const std::optional<Tip>& ancestor, const std::string& why);

    /// Empties the index (rebuild).
    void clear();

    [[nodiscard]] IndexStats stats();

    [[nodiscard]] std::optional<std::string> meta(const std::string& key);
    void set_meta(const std::string& key, const std::string& value);

private:
    void create_schema();
    void bind_deployment();

    std::filesystem::path file_;
    chain::Manifest manifest_;
    sql::Database db_;
};

}  // namespace dossier::index
