#pragma once
/// What every subcommand of `dossier` shares: the global options (data directory, remote chain and
/// IPFS node, --json, password file), the client they configure, the output (human lines or one
/// JSON document) and the action the parser selected, run after parsing succeeds.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "dossier/client/client.hpp"
#include "terminal.hpp"

namespace dossier::cli {

using client::Address;

struct Session {
    // Global options, as parsed.
    std::string data_dir;
    std::string rpc_url;
    std::uint64_t chain_id = 0;
    std::string ipfs_api;
    std::string manifest;
    std::string password_file;
    bool json = false;
    bool offline = false;
    int confirmations = -1;  ///< -1: the default of the chain
    std::uint64_t index_page_blocks = 0;  ///< 0: the library's default

    /// The JSON document printed on stdout at the end with --json.
    nlohmann::json out = nlohmann::json::object();
    /// The work the chosen subcommand does (set by its parse callback, run after parsing).
    std::function<void()> action;
    /// Set by a command that completed its report but found a fault (a check that failed): the
    /// report is still printed, then this sentence as the error, and the exit status is 1.
    std::string failure;

    /// The client of the global options (made on first use).
    [[nodiscard]] client::Client& client();
    /// A password from --password-file, DOSSIER_PASSWORD or the terminal.
    [[nodiscard]] std::string password(const std::string& prompt, bool confirm = false) const;
    /// Account `who` (label or address), unlocked with the session's password; an unknown account
    /// is reported before a password is asked for.
    [[nodiscard]] std::unique_ptr<client::Account> unlock(const std::string& who);
    /// The address a label or an address names.
    [[nodiscard]] Address resolve(const std::string& who) { return client().resolve(who); }
    /// "label (0xAbc...)" for an account of the data directory, else the address.
    [[nodiscard]] std::string name(const Address& address) { return client().display_name(address); }
    /// A human line on stdout (nothing with --json).
    void say(const std::string& line) const;
    /// A progress bar on stderr (silent unless stderr is a terminal).
    [[nodiscard]] std::unique_ptr<ProgressBar> progress(const std::string& label) const;
    /// A client ProgressFn drawing into `bar`, made at the first report and labelled with its
    /// phase (for calls whose phase is known only once they run).
    [[nodiscard]] client::ProgressFn progress_into(std::unique_ptr<ProgressBar>& bar) const;

private:
    std::unique_ptr<client::Client> client_;
};

/// Sets the help footer of `cmd` to an example; returns `cmd`.
CLI::App* example(CLI::App* cmd, const std::string& text);

/// Each group of subcommands registers itself on the top-level app.
void add_node_commands(CLI::App& app, Session& s);
void add_ipfs_commands(CLI::App& app, Session& s);
void add_account_commands(CLI::App& app, Session& s);
void add_doctor_commands(CLI::App& app, Session& s);
void add_patient_commands(CLI::App& app, Session& s);
void add_access_commands(CLI::App& app, Session& s);
void add_record_commands(CLI::App& app, Session& s);
void add_file_commands(CLI::App& app, Session& s);
void add_audit_commands(CLI::App& app, Session& s);
void add_store_commands(CLI::App& app, Session& s);
void add_demo_command(CLI::App& app, Session& s);
void add_index_commands(CLI::App& app, Session& s);
void add_history_command(CLI::App& app, Session& s);
void add_backup_commands(CLI::App& app, Session& s);
void add_import_command(CLI::App& app, Session& s);
void add_export_command(CLI::App& app, Session& s);
/// `patient list` and `patient search` (after add_patient_commands).
void add_patient_list_commands(CLI::App& app, Session& s);

}  // namespace dossier::cli
