#pragma once
/// The embedded node: `dossier node up | down | status`, and `dossier deploy` for a remote chain.
///
/// Up starts (or finds) the local anvil of the data directory, replays the transaction journal
/// onto it (recovery.hpp), deploys the contracts the first time (from anvil's first dev account,
/// which is also the doctors' credentialing authority on the embedded chain) or checks the
/// recorded deployment afterwards, and starts the loopback IPFS gateway as a detached process
/// (the `dossier-gateway` program, found by gateway_binary()). Every step reuses what already
/// runs, so a second `up` changes nothing. Nothing here needs the `dossier` command: any program
/// linking this library (the CLI, the desktop app, a test) brings the same node up.
///
/// Files in <data_dir>/node/: chain/ (anvil's state.json, pid, port, log; chain/anvil_node.hpp),
/// manifest.json, ipfs-gateway.pid, ipfs-gateway.port, ipfs-gateway.program, ipfs-gateway.log.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "chain/manifest.hpp"
#include "dossier/config.hpp"
#include "dossier/recovery.hpp"
#include "eth/address.hpp"
#include "eth/keys.hpp"

namespace dossier::core {

/// anvil's first default dev account (funded with 10,000 ETH on every anvil chain): the deployer
/// and credentialing authority of the embedded chain, and the source of fund_account(). Its key is
/// public knowledge, which is why it is only ever used on the embedded chain.
inline constexpr std::string_view kEmbeddedDevKeyHex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
[[nodiscard]] eth::PrivateKey embedded_dev_key();

/// The environment variable that names the gateway program, ahead of every other place.
inline constexpr const char* kGatewayEnv = "DOSSIER_GATEWAY";

/// The IPFS gateway daemon node_up() starts, as `<program> --data-dir D --port P`. Looked for, in
/// this order: $DOSSIER_GATEWAY; `dossier-gateway` in the running executable's directory (an
/// installation keeps the programs together); in ../gateway/ beside it (the build tree, where
/// apps/cli/dossier has apps/gateway/dossier-gateway as its neighbour); on $PATH; and last the
/// gateway this library was built with (so test programs anywhere in the build tree find it).
/// Throws Error(ErrorCode::node_unavailable) naming every place it looked if none is there.
[[nodiscard]] std::filesystem::path gateway_binary();

struct UpOptions {
    /// Start the IPFS gateway daemon (embedded IPFS only). Without it, only this process can use
    /// the embedded store while it runs, which is what single-process tools want.
    bool start_gateway = true;
    /// The gateway program; empty: gateway_binary() finds it.
    std::filesystem::path gateway_binary;
    /// anvil's chain id when the chain is created (Config::chain_id, if set, takes precedence).
    std::uint64_t chain_id = 31337;
    /// Seconds between blocks of a chain started now (0: a block per transaction).
    unsigned block_time = 0;
    int anvil_port = 0;    ///< 0: the previous run's port if free, else a free one
    int gateway_port = 0;  ///< 0: the previous run's port if free, else a free one
    std::filesystem::path anvil_binary;  ///< empty: chain::resolve_anvil_binary()
    std::chrono::milliseconds start_timeout{20000};
    std::chrono::seconds recovery_timeout{60};
    /// When the chain no longer holds the manifest's contracts: false (default) throws Error with
    /// code deployment, saying the state file was lost; true sets the old manifest aside
    /// (manifest.lost-<time>.json) and deploys afresh.
    bool redeploy_if_lost = false;
};

struct NodeStatus {
    bool embedded = true;  ///< false: Config::rpc_url names a remote chain (no anvil, no gateway)

    // Chain
    bool anvil_running = false;  ///< embedded: a live anvil process for the data directory
    pid_t anvil_pid = -1;
    std::string rpc_url;                        ///< the JSON-RPC endpoint ("" when down)
    bool rpc_ok = false;                        ///< the endpoint answered eth_chainId
    std::optional<std::uint64_t> chain_id;      ///< as the node reports it
    std::optional<std::uint64_t> block_number;  ///< latest block

    // Contracts
    std::filesystem::path manifest_path;
    std::optional<chain::Manifest> manifest;  ///< absent: none written yet (or unreadable, see problem)
    bool deployment_ok = false;               ///< chain id and contract code match the manifest
    std::optional<eth::Address> authority;    ///< the credentialing authority (DoctorContract owner)
    bool authority_is_dev_account = false;    ///< embedded: the authority is anvil's first dev account

    // IPFS gateway (embedded IPFS only)
    bool gateway_enabled = false;  ///< a gateway is configured for this data directory
    bool gateway_running = false;  ///< its process is alive
    bool gateway_ok = false;       ///< it answered /api/v0/version
    pid_t gateway_pid = -1;
    std::string gateway_url;  ///< http://127.0.0.1:<port> ("" when down)

    // Set by node_up only
    bool started_anvil = false;    ///< this call started anvil (false: it was running)
    bool started_gateway = false;  ///< this call started the gateway
    bool deployed = false;         ///< this call deployed the contracts
    RecoveryReport recovery;       ///< journal replay
    std::size_t journal_compacted = 0;  ///< entries dropped because the restored state holds them

    /// One sentence per thing that is wrong (empty when healthy).
    std::vector<std::string> problems;

    /// Everything this mode needs is up and consistent, and nothing reported a problem (another
    /// chain than the expected one is a problem even when the manifest matches it).
    [[nodiscard]] bool healthy() const noexcept {
        return problems.empty() && rpc_ok && deployment_ok && (!embedded || !gateway_enabled || gateway_ok);
    }
};

/// Starts or reuses the embedded node as described above and returns its status. Throws Error
/// with one sentence if a step fails (node_unavailable: anvil or the gateway does not start;
/// deployment: the chain does not hold the manifest's contracts); in remote mode
/// (Config::rpc_url) it refuses (invalid_input): a remote chain is deployed with deploy_remote().
NodeStatus node_up(const Config& config, const UpOptions& options = {}, const LogFn& log = {});

struct DownReport {
    bool gateway_was_running = false;
    bool anvil_was_running = false;
    bool state_saved = false;            ///< anvil exited on SIGTERM (writing its state) in time
    std::size_t journal_compacted = 0;   ///< journal entries dropped (the saved state holds them)
    std::size_t journal_kept = 0;
};

/// Stops the gateway (SIGTERM) and anvil (SIGTERM: anvil writes its state file, then exits), then
/// drops from the journal the entries that saved state now holds. Nothing running is not an error.
DownReport node_down(const Config& config, std::chrono::milliseconds grace = std::chrono::seconds(15));

/// The node's status; never throws for a node that is down or unreachable (it says so).
[[nodiscard]] NodeStatus node_status(const Config& config);

/// Deploys the contracts on the remote chain Config::rpc_url from `deployer` with `authority` as
/// the credentialing authority, and writes the manifest at Config::manifest_path(). Refuses if a
/// manifest is already there, unless `replace` (the old one is then renamed aside).
chain::Manifest deploy_remote(const Config& config, const eth::PrivateKey& deployer, const eth::Address& authority,
                              bool replace = false, const LogFn& log = {});

/// The URL of the running embedded IPFS gateway of `config`, if one runs. The embedded blockstore
/// admits one process at a time, and the gateway holds it while it runs: other commands must then
/// reach the store through this URL (ipfs::KuboClient speaks the gateway's Kubo RPC subset).
[[nodiscard]] std::optional<std::string> running_gateway_url(const Config& config);

/// The body of `dossier-gateway` (and of `dossier ipfs serve`): serves the embedded blockstore of
/// `config` (Config::ipfs_dir) on 127.0.0.1:`port` (0: any) until `stop` is requested or the
/// process receives SIGTERM or SIGINT; `on_ready(port)` is called once it listens. Throws
/// ipfs::IpfsError (io) if it cannot bind.
void serve_ipfs(const Config& config, int port, std::stop_token stop, const std::function<void(int port)>& on_ready = {});

}  // namespace dossier::core
