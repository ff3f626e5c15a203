#pragma once
/// `dossier backup create | verify | restore`: one archive (backup_archive.hpp) of a data
/// directory, taken while the node runs, and its restoration into an empty directory.
///
/// What an archive holds, in the order it is taken (each part references only what the parts
/// after it hold, so a write in flight never lands half in it):
///   1. the embedded chain's state: anvil_dumpState of the running anvil (entry
///      kChainDumpEntry), or its state file when the node is down (node/chain/state.json);
///   2. the transaction journal (signed transactions: whatever was signed after the dump is
///      replayed by `node up` after a restore);
///   3. the deployment manifest;
///   4. accounts.json and the keystores, as they are (encrypted under each account's password),
///      copied while holding the account index's lock;
///   5. the embedded content store's pin set, then every block file (ciphertext only: every
///      object Dossier stores is sealed before it is stored). A block is written before the
///      transaction that names it is signed, so every object the chain state or the journal
///      names is in the archive.
/// Not in it: the local index (rebuilt from the chain on first use), pid/port/log files, locks.
/// A remote chain or Kubo node is not in it either: back those up with their own tools.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "dossier/config.hpp"

namespace dossier::core {

/// The entry holding anvil_dumpState's bytes (restored with anvil_loadState).
inline constexpr std::string_view kChainDumpEntry = "chain/anvil-state.dump";

/// phase ("archiving", "verifying", "restoring", "loading the chain state"), done, total (bytes).
using BackupProgressFn = std::function<void(std::string_view phase, std::uint64_t done, std::uint64_t total)>;

struct BackupSummary {
    std::filesystem::path file;
    Bytes32 digest{};                ///< the archive's final digest
    std::uint64_t archive_bytes = 0;
    std::uint64_t entries = 0;       ///< without the manifest
    std::uint64_t content_bytes = 0; ///< sum of the entries' sizes
    std::uint64_t keystores = 0;
    std::uint64_t blocks = 0;        ///< content-store block files
    std::string chain_state;         ///< "anvil-dump", "state-file" or "none"
    std::optional<std::uint64_t> chain_id;
    std::uint64_t created = 0;       ///< unix time
    std::vector<std::string> not_included;  ///< one sentence per part left out (remote chain or IPFS)
};

/// Writes the archive of `config`'s data directory to `file` (which must not exist; written as
/// <file>.partial, then renamed). Throws Error(already_exists), Error(io), Error(node_unavailable)
/// if the running anvil does not answer its state dump, Error(invalid_input) if the directory is
/// not a Dossier data directory.
BackupSummary create_backup(const Config& config, const std::filesystem::path& file,
                            const BackupProgressFn& progress = {});

/// Reads the archive and checks every entry's digest, the manifest and the final digest, without
/// writing anything. Throws Error(tampered) naming the damaged entry.
BackupSummary verify_backup(const std::filesystem::path& file, const BackupProgressFn& progress = {});

struct RestoreOptions {
    std::filesystem::path anvil_binary;  ///< empty: chain::resolve_anvil_binary()
};

/// Verifies the archive, then restores it into `data_dir`, which must be empty or absent
/// (Error(already_exists) otherwise). A chain dump is loaded into a temporary anvil of the new
/// directory, which is then stopped (writing its state file), so that `node up` on the new
/// directory finds the chain as it was. The node is left down. If it fails after writing began,
/// the directory is emptied again.
BackupSummary restore_backup(const std::filesystem::path& file, const std::filesystem::path& data_dir,
                             const RestoreOptions& options = {}, const BackupProgressFn& progress = {});

}  // namespace dossier::core
