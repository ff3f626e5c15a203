#pragma once
/// Where Dossier keeps its files and which chain and IPFS node it talks to.
///
/// Embedded mode (the default): a local anvil and IPFS store under the data directory, started by
/// `dossier node up`. Remote mode: `rpc_url` (any Ethereum JSON-RPC endpoint) with a deployment
/// manifest, and `ipfs_api` (a Kubo RPC API base URL). The same workflows run on either.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace dossier::core {

struct Config {
    std::filesystem::path data_dir;         ///< keystores, manifest, journal, embedded node
    std::optional<std::string> rpc_url;     ///< remote chain; empty: the embedded anvil
    std::optional<std::uint64_t> chain_id;  ///< expected chain id (checked against the node)
    std::optional<std::string> ipfs_api;    ///< remote Kubo RPC API; empty: the embedded store
    std::optional<std::filesystem::path> manifest_file;  ///< default: see manifest_path()

    [[nodiscard]] bool embedded_chain() const noexcept { return !rpc_url.has_value(); }
    [[nodiscard]] bool embedded_ipfs() const noexcept { return !ipfs_api.has_value(); }
    [[nodiscard]] std::filesystem::path manifest_path() const;
    [[nodiscard]] std::filesystem::path keystore_dir() const { return data_dir / "keystore"; }
    [[nodiscard]] std::filesystem::path node_dir() const { return data_dir / "node"; }
    [[nodiscard]] std::filesystem::path ipfs_dir() const { return data_dir / "ipfs"; }
    /// The local index (SQLite; its -wal and -shm files beside it).
    [[nodiscard]] std::filesystem::path index_file() const { return data_dir / "index" / "events.sqlite"; }
    [[nodiscard]] std::filesystem::path journal_file() const { return data_dir / "journal" / "transactions.jsonl"; }
};

/// The default data directory: $DOSSIER_DATA_DIR, else $XDG_DATA_HOME/dossier, else
/// ~/.local/share/dossier.
[[nodiscard]] std::filesystem::path default_data_dir();

}  // namespace dossier::core
