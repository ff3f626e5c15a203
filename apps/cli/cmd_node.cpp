/// `dossier node up|down|status` (the embedded chain and IPFS gateway) and `dossier deploy`
/// (contracts on a remote chain).
#include <filesystem>

#include "session.hpp"

namespace dossier::cli {

namespace {

nlohmann::json status_json(const client::NodeStatus& st) {
    nlohmann::json j{{"embedded", st.embedded},
                     {"healthy", st.healthy},
                     {"anvilRunning", st.anvil_running},
                     {"anvilPid", st.anvil_pid},
                     {"rpcUrl", st.rpc_url},
                     {"rpcOk", st.rpc_ok},
                     {"manifestPath", st.manifest_path.string()},
                     {"deploymentOk", st.deployment_ok},
                     {"gatewayEnabled", st.gateway_enabled},
                     {"gatewayRunning", st.gateway_running},
                     {"gatewayOk", st.gateway_ok},
                     {"gatewayPid", st.gateway_pid},
                     {"gatewayUrl", st.gateway_url},
                     {"problems", st.problems}};
    j["chainId"] = st.chain_id ? nlohmann::json(*st.chain_id) : nlohmann::json();
    j["blockNumber"] = st.block_number ? nlohmann::json(*st.block_number) : nlohmann::json();
    j["authority"] = st.authority ? nlohmann::json(st.authority->checksum()) : nlohmann::json();
    if (st.deployment) j["manifest"] = st.deployment->manifest;
    return j;
}

void print_status(const Session& s, const client::NodeStatus& st) {
    if (!st.embedded) s.say("remote chain " + st.rpc_url);
    if (st.embedded)
        s.say(st.anvil_running ? "chain:    anvil pid " + std::to_string(st.anvil_pid) + " at " + st.rpc_url
                               : "chain:    not running");
    if (st.block_number) s.say("          chain id " + std::to_string(st.chain_id.value_or(0)) + ", block " +
                               std::to_string(*st.block_number));
    if (st.deployment)
        s.say(std::string("contracts: ") + (st.deployment_ok ? "deployed" : "NOT as the manifest says") +
              " (PatientContract " + st.deployment->patient_contract.checksum() + ")");
    else
        s.say("contracts: not deployed yet");
    if (st.authority) s.say("authority: " + st.authority->checksum());
    if (st.gateway_enabled)
        s.say(st.gateway_running ? "ipfs:     gateway pid " + std::to_string(st.gateway_pid) + " at " + st.gateway_url
                                 : "ipfs:     gateway not running");
    for (const auto& p : st.problems) s.say("problem:  " + p);
}

}  // namespace

void add_node_commands(CLI::App& app, Session& s) {
    auto* node = example(app.add_subcommand("node", "Start, stop or inspect the embedded node (a local anvil chain "
                                                     "and IPFS gateway in the data directory)"),
                         "dossier node up");
    node->require_subcommand(1);

    auto* up = example(node->add_subcommand("up", "Start the embedded node (or reuse it), replay lost transactions "
                                                   "from the journal, deploy the contracts the first time"),
                       "dossier --data-dir /tmp/dossier node up");
    auto redeploy = std::make_shared<bool>(false);
    up->add_flag("--redeploy-if-lost", *redeploy,
                 "If the chain lost the contracts (state file deleted), set the old manifest aside and deploy afresh");
    auto block_time = std::make_shared<unsigned>(0);
    up->add_option("--block-time", *block_time,
                   "Seconds between blocks when the chain starts now, as on a real chain where a transaction "
                   "waits for the next block (default 0: a block per transaction, at once). A running chain "
                   "keeps its mode: `node down` first to change it")
        ->check(CLI::Range(0u, 3600u));
    up->callback([&s, redeploy, block_time] {
        s.action = [&s, redeploy, block_time] {
            client::NodeUpOptions opt;
            opt.redeploy_if_lost = *redeploy;
            opt.block_time = *block_time;
            const auto st = s.client().node_up(opt, [&s](const client::Progress& p) { s.say(p.phase); });
            s.out = status_json(st);
            s.out["startedAnvil"] = st.started_anvil;
            s.out["startedGateway"] = st.started_gateway;
            s.out["deployed"] = st.deployed;
            s.out["recovery"] = {{"journaled", st.recovery.journaled},
                                 {"alreadyOnChain", st.recovery.already_on_chain},
                                 {"resent", st.recovery.resent},
                                 {"reverted", st.recovery.reverted},
                                 {"superseded", st.recovery.superseded},
                                 {"rejected", st.recovery.rejected},
                                 {"unrecoverable", st.recovery.unrecoverable},
                                 {"problems", st.recovery.problems}};
            print_status(s, st);
            if (st.recovery.resent) s.say("re-sent " + std::to_string(st.recovery.resent) + " journaled transactions");
            s.say(st.healthy ? "node is up" : "node is up with problems");
        };
    });

    auto* down = example(node->add_subcommand("down", "Stop the embedded node (anvil saves its state first)"),
                         "dossier node down");
    down->callback([&s] {
        s.action = [&s] {
            const auto r = s.client().node_down();
            s.out = {{"anvilWasRunning", r.anvil_was_running},
                     {"gatewayWasRunning", r.gateway_was_running},
                     {"stateSaved", r.state_saved},
                     {"journalCompacted", r.journal_compacted},
                     {"journalKept", r.journal_kept}};
            s.say(r.anvil_was_running || r.gateway_was_running ? "node stopped" : "node was not running");
        };
    });

    auto* status = example(node->add_subcommand("status", "Show the node: processes, RPC url, chain, contracts. "
                                                           "Exit status 1 when anything is wrong (not running, "
                                                           "unreachable, another chain than the manifest's), so "
                                                           "that a monitoring script can use it; the report is "
                                                           "printed either way"),
                           "dossier node status --json");
    status->callback([&s] {
        s.action = [&s] {
            const auto st = s.client().node_status();
            s.out = status_json(st);
            print_status(s, st);
            if (!st.healthy)
                s.failure = st.problems.empty() ? std::string("the node is not healthy") : "the node is not healthy: " + st.problems.front();
        };
    });

    auto* deploy = example(app.add_subcommand("deploy", "Deploy the contracts on a remote chain (--rpc-url) and write "
                                                         "its manifest; the deployer is an account of this data "
                                                         "directory"),
                           "dossier --rpc-url https://chain.hospital.example:8545 deploy --as deployer --authority admin");
    auto as = std::make_shared<std::string>();
    auto authority = std::make_shared<std::string>();
    auto replace = std::make_shared<bool>(false);
    deploy->add_option("--as", *as, "Deploying account (label or address); pays the gas")->required();
    deploy->add_option("--authority", *authority,
                       "Credentialing authority (label or address; default: the deployer)");
    deploy->add_flag("--replace", *replace, "Replace an existing manifest (the old one is kept aside)");
    deploy->callback([&s, as, authority, replace] {
        s.action = [&s, as, authority, replace] {
            if (s.client().embedded_chain())
                throw Error("deploy is for a remote chain: give --rpc-url (the embedded node deploys itself at 'node up')");
            std::optional<Address> auth;
            if (!authority->empty()) auth = s.resolve(*authority);
            const auto account = s.unlock(*as);
            const auto m = [&] {
                try {
                    return account->deploy(auth, *replace, [&s](const client::Progress& p) { s.say(p.phase); });
                } catch (const Error& e) {
                    if (e.code() != ErrorCode::already_exists) throw;
                    throw Error(e.code(), std::string(e.what()) + "; give --replace to deploy anew");
                }
            }();
            s.out = m.manifest;
            s.say("deployed: PatientContract " + m.patient_contract.checksum() + ", DoctorContract " +
                  m.doctor_contract.checksum() + ", AuditContract " + m.audit_contract.checksum());
        };
    });
}

}  // namespace dossier::cli
