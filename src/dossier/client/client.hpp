#pragma once
/// The one door through which a face (the `dossier` CLI, the desktop app) reaches Dossier.
///
/// make_client(Config) returns a Client for a data directory and the chain and IPFS node it names;
/// Client::unlock() returns an Account, the actor of every call that signs or decrypts. Only plain
/// values cross (types.hpp), every failure is an Error with a code (error.hpp), long calls report
/// Progress and take a std::stop_token (progress.hpp), and live changes arrive through Handlers
/// (handler.hpp). Nothing below (RPC client, contract bindings, content store, journal) is visible,
/// so it can change without touching a face.
///
/// Thread safety: a Client and its Accounts may be called from several threads at once (a GUI
/// runs reads on a worker pool while a write is in flight). Connections to the chain and the store
/// are opened on first use and shared; a Client outlives the Accounts and Handlers it made.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/client/account.hpp"
#include "dossier/client/error.hpp"
#include "dossier/client/handler.hpp"
#include "dossier/client/progress.hpp"
#include "dossier/client/types.hpp"

namespace dossier::client {

/// Where Dossier keeps its files and which chain and IPFS node it talks to (the CLI's global
/// options). Empty rpc_url / ipfs_api: the embedded node of the data directory.
struct Config {
    std::filesystem::path data_dir;  ///< empty: default_data_dir()
    std::optional<std::string> rpc_url;
    std::optional<std::uint64_t> chain_id;
    std::optional<std::string> ipfs_api;
    std::optional<std::filesystem::path> manifest_file;
    /// Read what the local index holds without syncing it with the chain first.
    bool offline = false;
    /// Entries in the last `confirmations` blocks are shown unconfirmed. Default: 0 on the
    /// embedded node (it never reorganises), 2 on a remote chain.
    std::optional<std::uint32_t> confirmations;
    /// The largest block range the index asks eth_getLogs for at once (default: 100,000, and
    /// smaller whenever the node refuses a range or a page is heavy).
    std::optional<std::uint64_t> index_page_blocks;
};

/// $DOSSIER_DATA_DIR, else $XDG_DATA_HOME/dossier, else ~/.local/share/dossier.
[[nodiscard]] std::filesystem::path default_data_dir();

/// One line about a FHIR resource, for lists ("Condition: Type 2 diabetes mellitus (active)").
[[nodiscard]] std::string summarize(const Json& resource);

/// Reads a FHIR resource from a JSON file; Error(io) if unreadable, Error(invalid_input) if not JSON.
[[nodiscard]] Json load_resource(const std::filesystem::path& path);

class Client {
public:
    virtual ~Client() = default;

    [[nodiscard]] virtual const Config& config() const noexcept = 0;
    /// True when the chain is the embedded anvil of the data directory.
    [[nodiscard]] virtual bool embedded_chain() const noexcept = 0;

    // ---- accounts --------------------------------------------------------------------------
    [[nodiscard]] virtual std::vector<AccountInfo> accounts() = 0;
    /// The account of the data directory named by label or address; Error(not_found).
    [[nodiscard]] virtual AccountInfo account(std::string_view who) = 0;
    /// The address `who` names: an account's label, or any address (a doctor knows a patient by
    /// address only). Error(not_found) for an unknown label, Error(invalid_input) for a malformed
    /// address.
    [[nodiscard]] virtual Address resolve(std::string_view who) = 0;
    /// "label (0xAbC...)" for an account of the data directory, else the checksummed address.
    [[nodiscard]] virtual std::string display_name(const Address& address) = 0;
    /// A fresh key in a keystore encrypted under `password`, funded as `funding` says.
    virtual CreatedAccount create_account(Role role, std::string_view label, std::string_view password,
                                          const FundingOptions& funding = {}) = 0;
    virtual CreatedAccount import_account(const ImportSource& source, std::string_view password, Role role,
                                          std::string_view label, const FundingOptions& funding = {}) = 0;
    /// Sends ether for gas from the embedded chain's dev account; returns the transaction hash.
    /// Error(invalid_input) on a remote chain.
    virtual std::string fund_account(const Address& address, std::uint64_t ether) = 0;
    /// Copies the encrypted keystore to `destination` (a file or an existing directory).
    virtual std::filesystem::path export_keystore(std::string_view who, const std::filesystem::path& destination) = 0;
    /// The raw private key (0x + 64 hex), after checking the password: only for an explicit request.
    [[nodiscard]] virtual std::string export_private_key(std::string_view who, std::string_view password) = 0;
    /// Decrypts the account's key (scrypt: about a second with standard parameters).
    /// Error(not_found), Error(wrong_password).
    [[nodiscard]] virtual std::unique_ptr<Account> unlock(std::string_view who, std::string_view password,
                                                          const ProgressFn& progress = {}) = 0;

    // ---- the node --------------------------------------------------------------------------
    /// Never throws for a node that is down: it says so (problems, healthy).
    [[nodiscard]] virtual NodeStatus node_status() = 0;
    /// Starts (or reuses) the embedded chain and IPFS gateway, replays the journal, deploys the
    /// first time. Progress phases are the steps, for people.
    virtual NodeStatus node_up(const NodeUpOptions& options = {}, const ProgressFn& progress = {},
                               std::stop_token stop = {}) = 0;
    virtual NodeDownReport node_down() = 0;
    /// Serves the embedded IPFS store on 127.0.0.1:`port` (0: any) until `stop`; `on_ready(port)`.
    virtual void serve_ipfs(int port, std::stop_token stop, const std::function<void(int)>& on_ready = {}) = 0;

    // ---- public reads (no key needed, nothing sent) ----------------------------------------
    [[nodiscard]] virtual DoctorInfo doctor(const Address& doctor) = 0;
    [[nodiscard]] virtual std::vector<DoctorInfo> doctors() = 0;
    [[nodiscard]] virtual PatientInfo patient(const Address& patient) = 0;
    /// Every registered patient, in registration order.
    [[nodiscard]] virtual std::vector<Address> patients() = 0;
    /// Every doctor that asked `patient` (or registered it), with the state of its grant.
    [[nodiscard]] virtual std::vector<AccessRequest> access_requests(const Address& patient) = 0;
    [[nodiscard]] virtual std::vector<RecordVersion> record_history(const Address& patient, std::uint32_t record_id) = 0;
    [[nodiscard]] virtual std::vector<AuditEntry> audit_trail(const Address& patient, const ProgressFn& progress = {},
                                                              std::stop_token stop = {}) = 0;
    /// Recomputes the patient's hash chain over what the node returned and compares it with the
    /// contract's head.
    [[nodiscard]] virtual AuditVerification verify_audit(const Address& patient, const ProgressFn& progress = {},
                                                         std::stop_token stop = {}) = 0;
    /// Reads back every object the chain names for `patient` (ciphertext only) and re-hashes it.
    [[nodiscard]] virtual StoreCheck check_store(const Address& patient, const ProgressFn& progress = {},
                                                 std::stop_token stop = {}) = 0;

    // ---- the local index (every read below syncs it first unless Config::offline) ----------
    [[nodiscard]] virtual IndexStatus index_status() = 0;
    /// Brings the index up to the chain's head (rolling back what a reorganisation replaced).
    virtual IndexSync sync_index(const ProgressFn& progress = {}, std::stop_token stop = {}) = 0;
    /// Empties the index and reads the whole chain again.
    virtual IndexSync rebuild_index(const ProgressFn& progress = {}, std::stop_token stop = {}) = 0;
    /// A page of history (Error(invalid_input) without a patient or an actor, or for an unknown kind).
    [[nodiscard]] virtual HistoryPage history(const HistoryQuery& query, const ProgressFn& progress = {},
                                              std::stop_token stop = {}) = 0;
    /// The patients `doctor` asked, was approved or denied by, or registered (names: see
    /// Account::doctor_patients).
    [[nodiscard]] virtual std::vector<DoctorsPatient> doctor_patients(const Address& doctor) = 0;
    /// What a patient's Home shows: pending requests, active grants, the last `recent` entries.
    [[nodiscard]] virtual PatientHome patient_home(const Address& patient, std::size_t recent = 20) = 0;
    /// verify_audit() over the index's copy of the trail instead of the node's logs.
    [[nodiscard]] virtual AuditVerification verify_audit_from_index(const Address& patient) = 0;

    // ---- notifications ---------------------------------------------------------------------
    /// Polls the chain for new blocks every `poll` (default: 250 ms on the embedded node, 2 s on a
    /// remote chain) and calls `on_event` for each event matching `filter`, from the next block on.
    [[nodiscard]] virtual std::unique_ptr<Handler> watch(const EventFilter& filter, EventFn on_event,
                                                         std::chrono::milliseconds poll = std::chrono::milliseconds{0}) = 0;

    // ---- backup ------------------------------------------------------------------------------
    /// Writes one archive of the data directory to `file` (which must not exist) while the node
    /// runs: the embedded chain's state, the journal, the manifest, accounts and keystores as they
    /// are (encrypted), and every block of the embedded store (ciphertext). Progress in bytes.
    virtual BackupSummary create_backup(const std::filesystem::path& file, const ProgressFn& progress = {},
                                        std::stop_token stop = {}) = 0;

    // ---- the demonstration -----------------------------------------------------------------
    virtual DemoResult run_demo(const DemoOptions& options, const std::function<void(const DemoStep&)>& on_step) = 0;
};

/// Checks an archive without restoring it: every entry's digest, its manifest, its final digest.
/// Error(tampered) names the damaged entry; Error(invalid_input) if it is not a Dossier backup.
BackupSummary verify_backup(const std::filesystem::path& file, const ProgressFn& progress = {});

/// Verifies, then restores an archive into `data_dir` (empty or absent, else Error(already_exists)),
/// loading the chain state into the new directory's chain. The node of `data_dir` is left down:
/// make_client() for it and node_up() to use it.
BackupSummary restore_backup(const std::filesystem::path& file, const std::filesystem::path& data_dir,
                             const ProgressFn& progress = {});

/// A client for `config` (nothing is opened until first used).
[[nodiscard]] std::unique_ptr<Client> make_client(Config config);

}  // namespace dossier::client
