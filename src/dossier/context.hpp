#pragma once
/// What every workflow needs, opened once per command: the chain (JSON-RPC client and the
/// deployed contracts), the content store (embedded blockstore or a Kubo node), and a transaction
/// sender per acting account whose signed transactions are journaled on the embedded chain.
#include <map>
#include <memory>
#include <mutex>

#include "base/error.hpp"
#include "chain/contracts_client.hpp"
#include "chain/tx_journal.hpp"
#include "dossier/config.hpp"
#include "eth/keys.hpp"
#include "eth/rpc_client.hpp"
#include "eth/tx_sender.hpp"
#include "ipfs/content_store.hpp"

namespace dossier::core {

class Context {
public:
    /// Connects as `config` says. Embedded: finds the running anvil of the data directory (throws
    /// Error with code node_unavailable telling the user to run `dossier node up`) and opens the journal.
    /// Content: `ipfs_api` if set, else the embedded gateway if it runs (it holds the embedded
    /// blockstore), else the embedded blockstore itself. Then loads the manifest and checks the
    /// deployment (chain id, contract code).
    [[nodiscard]] static std::unique_ptr<Context> open(const Config& config);

    /// Assembles a context from parts (tests, and `node up` which deploys first). `journal` may be
    /// null (no journaling).
    Context(Config config, std::unique_ptr<eth::RpcClient> rpc, chain::Manifest manifest,
            std::unique_ptr<ipfs::ContentStore> store, std::unique_ptr<chain::TxJournal> journal);
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    [[nodiscard]] const Config& config() const noexcept { return config_; }
    [[nodiscard]] eth::RpcClient& rpc() noexcept { return *rpc_; }
    [[nodiscard]] chain::ContractsClient& contracts() noexcept { return contracts_; }
    [[nodiscard]] const chain::Manifest& manifest() const noexcept { return contracts_.manifest(); }
    [[nodiscard]] ipfs::ContentStore& store() noexcept { return *store_; }
    [[nodiscard]] chain::TxJournal* journal() noexcept { return journal_.get(); }

    /// The sender for `key` (created on first use, then reused so that nonces stay in order).
    /// On a journaled context every signed transaction is appended to the journal before it is sent.
    [[nodiscard]] eth::TxSender& sender(const eth::PrivateKey& key);
    /// sender() for a caller that may race with drop_sender(): a read that logs an access runs
    /// outside the account's write lock, and the account may be locked meanwhile; the sender
    /// (and its copy of the key) lives until the last holder lets go.
    [[nodiscard]] std::shared_ptr<eth::TxSender> shared_sender(const eth::PrivateKey& key);
    /// Destroys the sender of `account` (wiping its copy of the key), when the account is locked.
    /// No transaction of that account may be in progress.
    void drop_sender(const eth::Address& account);

    /// The timestamp of the latest block (the chain's clock, which expiries are compared with).
    [[nodiscard]] std::uint64_t chain_time();

private:
    Config config_;
    std::unique_ptr<eth::RpcClient> rpc_;
    chain::ContractsClient contracts_;
    std::unique_ptr<ipfs::ContentStore> store_;
    std::unique_ptr<chain::TxJournal> journal_;
    std::mutex senders_mutex_;  // senders_: a client's threads write as different accounts at once
    std::map<eth::Address, std::shared_ptr<eth::TxSender>> senders_;
};

}  // namespace dossier::core
