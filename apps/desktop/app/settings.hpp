#pragma once
/// What the app remembers between runs (QSettings): the chain and IPFS node to use (the CLI's
/// global options), the idle-lock delay, the last account, the window geometry. Options given on
/// the command line win over the stored ones for that run.
#include <QString>
#include <optional>

#include "dossier/client/client.hpp"

namespace dossier::desktop {

struct AppSettings {
    QString data_dir;     ///< empty: the default data directory
    bool remote = false;  ///< false: the embedded node of the data directory
    QString rpc_url, ipfs_api, manifest;
    std::optional<quint64> chain_id;
    int idle_lock_minutes = 10;
    QString last_account;

    static AppSettings load();
    void save() const;
    /// The client configuration these settings name.
    [[nodiscard]] client::Config config() const;
};

}  // namespace dossier::desktop
