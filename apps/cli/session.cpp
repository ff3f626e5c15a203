#include "session.hpp"

#include <iostream>

#include "dossier/accounts.hpp"

namespace dossier::cli {

core::Config Session::config() const {
    core::Config c;
    c.data_dir = data_dir.empty() ? core::default_data_dir() : std::filesystem::path(data_dir);
    if (!rpc_url.empty()) c.rpc_url = rpc_url;
    if (chain_id != 0) c.chain_id = chain_id;
    if (!ipfs_api.empty()) c.ipfs_api = ipfs_api;
    if (!manifest.empty()) c.manifest_file = manifest;
    return c;
}

std::unique_ptr<core::Context> Session::open() const { return core::Context::open(config()); }

std::string Session::password(const std::string& prompt, bool confirm) const {
    PasswordSource src;
    if (!password_file.empty()) src.file = password_file;
    return read_password(src, prompt, confirm);
}

eth::PrivateKey Session::unlock(const std::string& who) const {
    const auto cfg = config();
    (void)core::find_account(cfg, who);  // an unknown account is reported before asking a password
    return core::unlock(cfg, who, password("password for " + who + ": "));
}

void Session::say(const std::string& line) const {
    if (!json) std::cout << line << '\n' << std::flush;
}

std::unique_ptr<ProgressBar> Session::progress(const std::string& label) const {
    return std::make_unique<ProgressBar>(label);
}

CLI::App* example(CLI::App* cmd, const std::string& text) {
    cmd->footer("\nExample:\n  " + text + "\n");
    return cmd;
}

}  // namespace dossier::cli
