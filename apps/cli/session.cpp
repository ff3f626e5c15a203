#include "session.hpp"

#include <iostream>

namespace dossier::cli {

client::Client& Session::client() {
    if (!client_) {
        client::Config c;
        if (!data_dir.empty()) c.data_dir = data_dir;
        if (!rpc_url.empty()) c.rpc_url = rpc_url;
        if (chain_id != 0) c.chain_id = chain_id;
        if (!ipfs_api.empty()) c.ipfs_api = ipfs_api;
        if (!manifest.empty()) c.manifest_file = manifest;
        c.offline = offline;
        if (index_page_blocks > 0) c.index_page_blocks = index_page_blocks;
        if (confirmations >= 0) c.confirmations = static_cast<std::uint32_t>(confirmations);
        client_ = client::make_client(std::move(c));
    }
    return *client_;
}

client::ProgressFn Session::progress_into(std::unique_ptr<ProgressBar>& bar) const {
    return [this, &bar](const client::Progress& p) {
        if (!bar) bar = std::make_unique<ProgressBar>(p.phase, p.unit.empty() ? "bytes" : p.unit);
        if (bar) bar->update(p.done, p.total);
    };
}

std::string Session::password(const std::string& prompt, bool confirm) const {
    PasswordSource src;
    if (!password_file.empty()) src.file = password_file;
    return read_password(src, prompt, confirm);
}

std::unique_ptr<client::Account> Session::unlock(const std::string& who) {
    (void)client().account(who);  // an unknown account is reported before asking a password
    return client().unlock(who, password("password for " + who + ": "));
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
