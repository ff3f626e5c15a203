/// `dossier`: the command line of Dossier. It parses, calls src/dossier and prints; it holds no
/// business logic. Exit codes: 0 success, 1 any error (one sentence on stderr), 2 usage errors.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "dossier/client/error.hpp"
#include "dossier/client/secrets.hpp"
#include "session.hpp"

namespace {

/// The commands a person can type below `app` (hidden ones, such as `ipfs`, are left out).
std::vector<CLI::App*> visible_subcommands(CLI::App& app) {
    return app.get_subcommands([](CLI::App* sub) { return !sub->get_group().empty() && !sub->get_name().empty(); });
}

/// Finds a command word that names no command, before CLI11 parses: CLI11 would report a missing
/// subcommand or an unexpected argument instead (and `--help` after it would print the parent's
/// help and succeed). Walks the words as CLI11 would, skipping options and their values, down to
/// a command without subcommands. Returns the message, or nothing if every command word is known.
std::optional<std::string> unknown_command(CLI::App& app, int argc, char** argv) {
    std::vector<CLI::App*> chain{&app};
    std::string path;  // the command words so far, e.g. "patient"
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (word == "--") return std::nullopt;
        if (word.size() > 1 && word[0] == '-') {
            if (word.find('=') != std::string::npos) continue;
            // An option of this command or of a parent (fallthrough) that takes a value: skip it.
            for (auto it = chain.rbegin(); it != chain.rend(); ++it)
                if (const CLI::Option* opt = (*it)->get_option_no_throw(word)) {
                    if (opt->get_items_expected_max() > 0) ++i;  // flags expect none
                    break;
                }
            continue;
        }
        const auto subs = visible_subcommands(*chain.back());
        if (subs.empty()) return std::nullopt;  // a command's own arguments from here on
        CLI::App* next = nullptr;
        for (CLI::App* sub : chain.back()->get_subcommands([](CLI::App*) { return true; }))
            if (!sub->get_name().empty() && sub->check_name(word)) next = sub;
        if (next == nullptr) {
            std::string names;
            for (const CLI::App* sub : subs) names += (names.empty() ? "" : ", ") + sub->get_name();
            return "unknown command '" + (path.empty() ? word : path + " " + word) + "'; the " +
                   (path.empty() ? std::string() : path + " ") + "commands are: " + names + " (see dossier " +
                   (path.empty() ? std::string() : path + " ") + "--help)";
        }
        chain.push_back(next);
        path += (path.empty() ? "" : " ") + next->get_name();
    }
    return std::nullopt;
}

}  // namespace

namespace {

/// What to type next, for the failures whose remedy is a command: the library's messages name no
/// command (the desktop app offers a button instead), so the command line adds its own, in the
/// same sentence.
std::string hint_for(const dossier::Error& e) {
    if (e.detail() == "NodeNotRunning") return "start it with 'dossier node up'";
    if (e.detail() == "DeploymentLost") return "'dossier node up --redeploy-if-lost' starts over";
    return {};
}

}  // namespace

int main(int argc, char** argv) {
    using namespace dossier::cli;
    // Before any password, key or record is read: a crash must not write them to a core file, and
    // another process of the same user must not read them from /proc/<pid>/mem.
    try {
        dossier::client::protect_process();
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
    Session s;
    CLI::App app{"Dossier: patient-controlled medical records on Ethereum and IPFS.\n"
                 "Accounts are named by label or address. Passwords come from --password-file, the\n"
                 "DOSSIER_PASSWORD environment variable or a prompt, never from the command line;\n"
                 "so do personal data (names, birth dates, a record's fields): --fields FILE, --fields -\n"
                 "(stdin) or questions at the terminal.",
                 "dossier"};
    app.fallthrough();
    app.require_subcommand(1);
    app.footer("\nStart here:\n  dossier node up && dossier demo\n");
    app.add_option("--data-dir", s.data_dir,
                   "Keystores, deployment manifest, journal and embedded node (default: $DOSSIER_DATA_DIR, "
                   "else ~/.local/share/dossier)");
    app.add_option("--rpc-url", s.rpc_url, "Remote Ethereum JSON-RPC endpoint instead of the embedded anvil");
    app.add_option("--chain-id", s.chain_id, "Expected chain id (checked against the manifest)");
    app.add_option("--ipfs-api", s.ipfs_api, "Remote Kubo RPC API (e.g. http://127.0.0.1:5001) instead of the embedded store");
    app.add_option("--manifest", s.manifest, "Deployment manifest file (default: in the data directory)");
    app.add_flag("--json", s.json, "Machine output: one JSON document on stdout");
    app.add_option("--password-file", s.password_file, "File holding the acting account's password (else DOSSIER_PASSWORD, else a prompt)");
    app.add_flag("--offline", s.offline,
                 "Read lists and history from the local index as it is, without syncing it with the chain first");
    app.add_option("--confirmations", s.confirmations,
                   "Entries in the last N blocks are marked unconfirmed (default: 0 on the embedded node, 2 on a "
                   "remote chain)")
        ->check(CLI::Range(0, 1000));

    add_node_commands(app, s);
    add_ipfs_commands(app, s);
    add_account_commands(app, s);
    add_doctor_commands(app, s);
    add_patient_commands(app, s);
    add_patient_list_commands(app, s);
    add_access_commands(app, s);
    add_record_commands(app, s);
    add_file_commands(app, s);
    add_audit_commands(app, s);
    add_store_commands(app, s);
    add_demo_command(app, s);
    add_index_commands(app, s);
    add_history_command(app, s);
    add_backup_commands(app, s);
    add_import_command(app, s);
    add_export_command(app, s);

    if (const auto unknown = unknown_command(app, argc, argv)) {
        std::cerr << "error: " << *unknown << '\n';
        return 2;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        (void)app.exit(e);
        return 2;
    }
    try {
        if (!s.action) {
            std::cerr << "error: choose a subcommand (see dossier --help)\n";
            return 2;
        }
        s.action();
        if (s.json) std::cout << s.out.dump(2) << '\n';
        std::cout.flush();
        if (!s.failure.empty()) {
            std::cerr << "error: " << s.failure << '\n';
            return 1;
        }
        return 0;
    } catch (const std::exception& e) {
        std::string msg = e.what();
        while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
        if (const auto* error = dynamic_cast<const dossier::Error*>(&e); error && !hint_for(*error).empty())
            msg += ": " + hint_for(*error);
        std::cerr << "error: " << msg << '\n';
        return 1;
    }
}
