#include "dossier/node.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <thread>

#include "base/atomic_file.hpp"
#include "base/daemon.hpp"
#include "chain/anvil_node.hpp"
#include "chain/contracts_client.hpp"
#include "chain/tx_journal.hpp"
#include "eth/http_transport.hpp"
#include "eth/rpc_client.hpp"
#include "eth/tx_sender.hpp"
#include "ipfs/gateway.hpp"
#include "ipfs/kubo_client.hpp"
#include "ipfs/local_content_store.hpp"

namespace dossier::core {
namespace fs = std::filesystem;

namespace {

struct GatewayFiles {
    fs::path pid, port, program, log;
    explicit GatewayFiles(const Config& config)
        : pid(config.node_dir() / "ipfs-gateway.pid"),
          port(config.node_dir() / "ipfs-gateway.port"),
          program(config.node_dir() / "ipfs-gateway.program"),
          log(config.node_dir() / "ipfs-gateway.log") {}
};

std::string read_text(const fs::path& file) {
    std::ifstream in(file);
    std::string text;
    std::getline(in, text);
    return text;
}

int read_port(const fs::path& file) {
    try {
        return std::stoi(read_text(file));
    } catch (const std::exception&) {
        return 0;
    }
}

/// What live_pid() checks the gateway's command line against: the program's file name (a pid
/// recycled by an unrelated process does not match).
std::string gateway_name_hint(const GatewayFiles& files) {
    const std::string program = read_text(files.program);
    return program.empty() ? std::string() : fs::path(program).filename().string();
}

std::optional<pid_t> live_gateway(const GatewayFiles& files) {
    const std::string hint = gateway_name_hint(files);
    if (hint.empty()) return std::nullopt;
    return live_pid(files.pid, hint);
}

std::string loopback_url(int port) { return "http://127.0.0.1:" + std::to_string(port); }

void say(const LogFn& log, const std::string& text) {
    if (log) log(text);
}

/// A short-timeout RPC client: status checks must not hang on a wedged node.
std::unique_ptr<eth::RpcClient> rpc_to(const std::string& url) {
    auto rpc = std::make_unique<eth::RpcClient>(std::make_unique<eth::HttpTransport>(url));
    rpc->set_custom_errors(chain::custom_error_signatures());
    return rpc;
}

eth::Address authority_of(chain::ContractsClient& contracts) {
    return contracts.view(contracts.manifest().doctor, chain::gen::DoctorContract::fn::owner,
                          chain::gen::DoctorContract::returns::owner, {})
        .at(0)
        .as_address();
}

bool gateway_answers(const std::string& url) {
    try {
        ipfs::KuboClientOptions options;
        options.connect_timeout = std::chrono::milliseconds(2000);
        options.stall_timeout = std::chrono::milliseconds(5000);
        ipfs::KuboClient client(url, options);
        return !client.version().empty();
    } catch (const std::exception&) {
        return false;
    }
}

/// Renames `file` to `<stem>.lost-<unix time><ext>` beside it; returns the new path.
fs::path set_aside(const fs::path& file) {
    const fs::path aside =
        file.parent_path() / (file.stem().string() + ".lost-" + std::to_string(std::time(nullptr)) + file.extension().string());
    fs::rename(file, aside);
    return aside;
}

/// Deploys from the dev account with every signed transaction journaled (a crash right after the
/// deployment must not lose it) and saves the manifest.
chain::Manifest deploy_embedded(eth::RpcClient& rpc, chain::TxJournal& journal, const fs::path& manifest_path) {
    eth::TxSenderOptions options;
    options.on_signed = [&journal](const eth::Transaction& tx, const eth::SignedTransaction& signed_tx) {
        journal.append(chain::JournalEntry{signed_tx.hash, signed_tx.from, tx.nonce, signed_tx.raw});
    };
    eth::TxSender deployer(rpc, embedded_dev_key(), std::move(options));
    chain::Manifest manifest = chain::deploy_contracts(rpc, deployer, deployer.address());
    manifest.save(manifest_path);
    return manifest;
}

/// Whether none of the manifest's contracts has code on the chain (the deployment is gone, as
/// opposed to a chain that holds something else at those addresses).
bool deployment_gone(eth::RpcClient& rpc, const chain::Manifest& m) {
    return rpc.get_code(m.audit).empty() && rpc.get_code(m.doctor).empty() && rpc.get_code(m.patient).empty();
}

/// Starts the gateway program detached unless it runs already. Returns true if it started it.
bool ensure_gateway(const Config& config, const UpOptions& options, const LogFn& log) {
    const GatewayFiles files(config);
    if (live_gateway(files)) return false;
    std::error_code ec;
    const fs::path requested = options.gateway_binary.empty() ? gateway_binary() : options.gateway_binary;
    // The real path: its file name is what live_pid() later matches against the process.
    const fs::path binary = fs::canonical(requested, ec);
    if (ec || !fs::is_regular_file(binary))
        throw Error(ErrorCode::node_unavailable,
                    "cannot start the IPFS gateway: the program '" + requested.string() + "' does not exist");
    int port = options.gateway_port;
    if (port == 0) {
        port = read_port(files.port);
        if (port == 0 || loopback_port_open(port)) port = pick_free_loopback_port();
    }
    say(log, "starting the IPFS gateway on port " + std::to_string(port));
    write_file_atomic(files.port, as_bytes(std::to_string(port) + "\n"));
    write_file_atomic(files.program, as_bytes(binary.string() + "\n"));
    const std::vector<std::string> argv = {binary.string(), "--data-dir", fs::absolute(config.data_dir).string(),
                                           "--port", std::to_string(port)};
    (void)spawn_detached(argv, files.log, files.pid);
    const auto deadline = std::chrono::steady_clock::now() + options.start_timeout;
    const std::string hint = binary.filename().string();
    while (std::chrono::steady_clock::now() < deadline) {
        if (!live_pid(files.pid, hint))
            throw Error(ErrorCode::node_unavailable,
                        "the IPFS gateway exited during start-up; its log ends with:\n" + tail_of_file(files.log));
        if (loopback_port_open(port)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    stop_process(files.pid, hint, SIGKILL, std::chrono::seconds(2));
    throw Error(ErrorCode::node_unavailable, "the IPFS gateway did not open port " + std::to_string(port) +
                                             " in time; its log ends with:\n" + tail_of_file(files.log));
}

/// Fills the chain, contract and gateway parts of `s` without throwing.
void probe(const Config& config, NodeStatus& s) {
    s.embedded = config.embedded_chain();
    s.manifest_path = config.manifest_path();
    if (s.embedded) {
        if (const auto anvil = chain::find_anvil(config.node_dir())) {
            s.anvil_running = true;
            s.anvil_pid = anvil->pid;
            s.rpc_url = anvil->url;
        } else {
            s.problems.push_back("the embedded chain is not running");
        }
    } else {
        s.rpc_url = *config.rpc_url;
    }

    std::unique_ptr<eth::RpcClient> rpc;
    if (!s.rpc_url.empty()) {
        try {
            rpc = rpc_to(s.rpc_url);
            s.chain_id = rpc->chain_id();
            s.block_number = rpc->block_number();
            s.rpc_ok = true;
            if (config.chain_id && *s.chain_id != *config.chain_id)
                s.problems.push_back("the node at " + s.rpc_url + " is chain " + std::to_string(*s.chain_id) +
                                     ", not the expected chain " + std::to_string(*config.chain_id));
        } catch (const std::exception& e) {
            s.problems.push_back("the chain at " + s.rpc_url + " does not answer: " + e.what());
        }
    }

    if (fs::exists(s.manifest_path)) {
        try {
            s.manifest = chain::Manifest::load(s.manifest_path);
        } catch (const std::exception& e) {
            s.problems.push_back(e.what());
        }
    } else {
        s.problems.push_back("no deployment manifest at '" + s.manifest_path.string() + "'");
    }

    if (s.rpc_ok && s.manifest) {
        try {
            chain::ContractsClient contracts(*rpc, *s.manifest);
            contracts.verify_deployment();
            s.deployment_ok = true;
            s.authority = authority_of(contracts);
            s.authority_is_dev_account = s.embedded && *s.authority == embedded_dev_key().address();
        } catch (const std::exception& e) {
            s.problems.push_back(e.what());
        }
    }

    if (s.embedded && config.embedded_ipfs()) {
        const GatewayFiles files(config);
        s.gateway_enabled = fs::exists(files.program);
        if (const auto pid = live_gateway(files)) {
            s.gateway_running = true;
            s.gateway_pid = *pid;
            s.gateway_url = loopback_url(read_port(files.port));
            s.gateway_ok = gateway_answers(s.gateway_url);
            if (!s.gateway_ok) s.problems.push_back("the IPFS gateway at " + s.gateway_url + " does not answer");
        } else if (s.gateway_enabled) {
            s.problems.push_back("the IPFS gateway is not running");
        }
    }
}

}  // namespace

eth::PrivateKey embedded_dev_key() { return eth::PrivateKey::from_hex(kEmbeddedDevKeyHex); }

fs::path gateway_binary() {
    constexpr const char* kName = "dossier-gateway";
    auto usable = [](const fs::path& candidate) {
        std::error_code ec;
        return fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0;
    };
    if (const char* env = std::getenv(kGatewayEnv); env && *env) {
        // An explicit choice is not second-guessed: a wrong one is an error, not a fallback.
        if (usable(env)) return env;
        throw Error(ErrorCode::node_unavailable, std::string("the IPFS gateway program named by $") + kGatewayEnv +
                                                         " ('" + env + "') is not an executable file");
    }
    std::vector<std::string> looked;
    std::error_code ec;
    if (const fs::path exe = fs::read_symlink("/proc/self/exe", ec); !ec) {
        const fs::path dir = exe.parent_path();
        for (const fs::path& candidate : {dir / kName, (dir.parent_path() / "gateway" / kName).lexically_normal()}) {
            if (usable(candidate)) return candidate;
            looked.push_back(candidate.string());
        }
    }
    if (const char* path = std::getenv("PATH"); path && *path) {
        std::string_view rest(path);
        while (!rest.empty()) {
            const auto colon = rest.find(':');
            const std::string_view entry = rest.substr(0, colon);
            rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
            if (entry.empty()) continue;
            if (const fs::path candidate = fs::path(entry) / kName; usable(candidate)) return candidate;
        }
    }
    looked.emplace_back("$PATH");
#ifdef DOSSIER_BUILD_GATEWAY
    if (const fs::path built = DOSSIER_BUILD_GATEWAY; usable(built)) return built;
    looked.emplace_back(DOSSIER_BUILD_GATEWAY);
#endif
    std::string where;
    for (const auto& p : looked) where += (where.empty() ? "" : ", ") + p;
    throw Error(ErrorCode::node_unavailable, std::string("the IPFS gateway program '") + kName +
                                                     "' was not found (looked in: " + where + "; $" + kGatewayEnv +
                                                     " can name it)");
}

NodeStatus node_up(const Config& config, const UpOptions& options, const LogFn& log) {
    if (!config.embedded_chain())
        throw Error(ErrorCode::invalid_input, "the embedded node cannot start: a remote chain is configured (" +
                                              *config.rpc_url + "), where the contracts are deployed once instead");
    fs::create_directories(config.node_dir());
    NodeStatus result;

    // (a) The chain.
    const bool was_running = chain::find_anvil(config.node_dir()).has_value();
    chain::AnvilOptions anvil_options;
    anvil_options.data_dir = config.node_dir();
    anvil_options.port = options.anvil_port;
    anvil_options.chain_id = config.chain_id.value_or(options.chain_id);
    anvil_options.block_time = options.block_time;
    anvil_options.anvil_binary = options.anvil_binary;
    anvil_options.start_timeout = options.start_timeout;
    if (!was_running) say(log, "starting the embedded chain (anvil)");
    const chain::AnvilStatus anvil = chain::start_anvil(anvil_options);
    result.started_anvil = !was_running;
    auto rpc = rpc_to(anvil.url);

    // (b) Recovery: what the journal holds and the restored chain lost is sent again. Entries the
    // freshly loaded state already settles are on disk, so they can leave the journal afterwards.
    auto journal = std::make_unique<chain::TxJournal>(config.journal_file());
    std::vector<Bytes32> settled_on_disk;
    if (result.started_anvil) settled_on_disk = settled_entries(*rpc, journal->entries());
    result.recovery = recover_journal(*rpc, *journal, log, options.recovery_timeout);
    for (const auto& p : result.recovery.problems) say(log, p);
    result.journal_compacted = compact_journal(*journal, settled_on_disk);

    // (c) The contracts.
    const fs::path manifest_path = config.manifest_path();
    if (!fs::exists(manifest_path)) {
        say(log, "deploying the Dossier contracts");
        (void)deploy_embedded(*rpc, *journal, manifest_path);
        result.deployed = true;
    } else {
        const chain::Manifest manifest = chain::Manifest::load(manifest_path);
        chain::ContractsClient contracts(*rpc, manifest);
        try {
            contracts.verify_deployment();
        } catch (const chain::ManifestError& e) {
            if (rpc->chain_id() != manifest.chain_id || !deployment_gone(*rpc, manifest))
                throw Error(ErrorCode::deployment, "the embedded chain does not match its deployment manifest '" +
                                                   manifest_path.string() + "': " + e.what());
            if (!options.redeploy_if_lost)
                throw Error(
                    ErrorCode::deployment,
                    "the embedded chain in '" + config.node_dir().string() +
                    "' no longer holds the Dossier contracts its manifest names (its state file was deleted or "
                    "replaced), so everything recorded on chain is lost; starting over needs a fresh deployment (the "
                    "old manifest and journal are then kept aside)", "DeploymentLost");
            const fs::path old_manifest = set_aside(manifest_path);
            // The journal's transactions belong to the lost chain: keep them aside, start empty.
            const fs::path journal_file = journal->path();
            const fs::path journal_aside =
                journal_file.parent_path() / ("transactions.lost-" + std::to_string(std::time(nullptr)) + ".jsonl");
            fs::copy_file(journal_file, journal_aside, fs::copy_options::overwrite_existing);
            journal->rewrite({});
            say(log, "the chain lost the previous deployment (manifest kept as '" + old_manifest.string() +
                         "'); deploying the Dossier contracts afresh");
            (void)deploy_embedded(*rpc, *journal, manifest_path);
            result.deployed = true;
        }
    }
    journal.reset();

    // (d) The IPFS gateway.
    if (config.embedded_ipfs() && options.start_gateway)
        result.started_gateway = ensure_gateway(config, options, log);

    probe(config, result);
    return result;
}

DownReport node_down(const Config& config, std::chrono::milliseconds grace) {
    DownReport report;
    if (config.embedded_ipfs()) {
        const GatewayFiles files(config);
        const std::string hint = gateway_name_hint(files);
        if (!hint.empty()) report.gateway_was_running = stop_process(files.pid, hint, SIGTERM, grace);
    }
    if (!config.embedded_chain()) return report;
    const auto anvil = chain::find_anvil(config.node_dir());
    if (!anvil) return report;
    report.anvil_was_running = true;

    // Which journal entries the chain has settled, asked before the state is written for good.
    std::vector<Bytes32> settled;
    try {
        auto rpc = rpc_to(anvil->url);
        const chain::TxJournal journal(config.journal_file());
        settled = settled_entries(*rpc, journal.entries());
    } catch (const std::exception&) {
        settled.clear();  // an unreachable node: keep the whole journal
    }
    // SIGTERM makes anvil write its state file and exit; only a clean exit makes the state durable.
    // (File times come from a coarse clock, hence the small allowance in the check below.)
    const auto asked_at = fs::file_time_type::clock::now() - std::chrono::milliseconds(50);
    ::kill(anvil->pid, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (std::chrono::steady_clock::now() < deadline && chain::find_anvil(config.node_dir()))
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    if (chain::find_anvil(config.node_dir())) {
        (void)chain::kill_anvil(config.node_dir());
        return report;
    }
    const fs::path state_file = config.node_dir() / "chain" / "state.json";
    std::error_code ec;
    const auto written = fs::last_write_time(state_file, ec);
    report.state_saved = !ec && written >= asked_at;
    chain::TxJournal journal(config.journal_file());
    if (report.state_saved) report.journal_compacted = compact_journal(journal, settled);
    report.journal_kept = journal.entries().size();
    return report;
}

std::optional<std::string> running_gateway_url(const Config& config) {
    const GatewayFiles files(config);
    if (!live_gateway(files)) return std::nullopt;
    return loopback_url(read_port(files.port));
}

NodeStatus node_status(const Config& config) {
    NodeStatus s;
    probe(config, s);
    return s;
}

chain::Manifest deploy_remote(const Config& config, const eth::PrivateKey& deployer, const eth::Address& authority,
                              bool replace, const LogFn& log) {
    if (config.embedded_chain())
        throw Error(ErrorCode::invalid_input,
                    "deploying is for a remote chain: the embedded chain is deployed when its node starts");
    const fs::path manifest_path = config.manifest_path();
    if (fs::exists(manifest_path)) {
        if (!replace)
            throw Error(ErrorCode::already_exists, "a deployment manifest already exists at '" + manifest_path.string() +
                                                   "' (deploying anew replaces it; the old manifest is kept aside)");
        say(log, "previous manifest kept as '" + set_aside(manifest_path).string() + "'");
    }
    auto rpc = rpc_to(*config.rpc_url);
    const std::uint64_t chain_id = rpc->chain_id();
    if (config.chain_id && *config.chain_id != chain_id)
        throw Error(ErrorCode::deployment, "the node at " + *config.rpc_url + " is chain " + std::to_string(chain_id) +
                                           ", not the expected chain " + std::to_string(*config.chain_id));
    say(log, "deploying the Dossier contracts on chain " + std::to_string(chain_id) + " from " +
                 deployer.address().to_checksum());
    // A TxSender owns its key; the caller keeps its own, so this one gets a copy for the
    // deployment, wiped when it returns.
    eth::TxSender sender(*rpc, deployer.clone());
    chain::Manifest manifest = chain::deploy_contracts(*rpc, sender, authority);
    fs::create_directories(manifest_path.parent_path());
    manifest.save(manifest_path);
    return manifest;
}

void serve_ipfs(const Config& config, int port, std::stop_token stop, const std::function<void(int port)>& on_ready) {
    // SIGTERM/SIGINT are blocked here (and so in every thread the gateway creates) and received by
    // a watcher thread, which turns them into a stop request: requests in progress finish cleanly.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigset_t previous;
    pthread_sigmask(SIG_BLOCK, &signals, &previous);
    struct RestoreMask {
        sigset_t mask;
        ~RestoreMask() { pthread_sigmask(SIG_SETMASK, &mask, nullptr); }
    } restore{previous};

    std::stop_source source;
    std::stop_callback forward(stop, [&source] { source.request_stop(); });
    std::jthread watcher([&source, signals](std::stop_token own) {
        while (!own.stop_requested() && !source.stop_requested()) {
            const timespec wait{0, 100'000'000};
            const int sig = sigtimedwait(&signals, nullptr, &wait);
            if (sig == SIGTERM || sig == SIGINT) source.request_stop();
        }
    });

    ipfs::LocalContentStore store(config.ipfs_dir());
    ipfs::GatewayOptions options;
    options.port = port;
    ipfs::run_gateway(store, store.blocks(), options, source.get_token(), on_ready);
}

}  // namespace dossier::core
