#include "app/settings.hpp"

#include <QSettings>

namespace dossier::desktop {

AppSettings AppSettings::load() {
    QSettings s;
    AppSettings a;
    a.data_dir = s.value(QStringLiteral("node/dataDir")).toString();
    a.remote = s.value(QStringLiteral("node/remote"), false).toBool();
    a.rpc_url = s.value(QStringLiteral("node/rpcUrl")).toString();
    a.ipfs_api = s.value(QStringLiteral("node/ipfsApi")).toString();
    a.manifest = s.value(QStringLiteral("node/manifest")).toString();
    if (s.contains(QStringLiteral("node/chainId"))) a.chain_id = s.value(QStringLiteral("node/chainId")).toULongLong();
    a.idle_lock_minutes = s.value(QStringLiteral("security/idleLockMinutes"), 10).toInt();
    a.last_account = s.value(QStringLiteral("session/lastAccount")).toString();
    return a;
}

void AppSettings::save() const {
    QSettings s;
    s.setValue(QStringLiteral("node/dataDir"), data_dir);
    s.setValue(QStringLiteral("node/remote"), remote);
    s.setValue(QStringLiteral("node/rpcUrl"), rpc_url);
    s.setValue(QStringLiteral("node/ipfsApi"), ipfs_api);
    s.setValue(QStringLiteral("node/manifest"), manifest);
    if (chain_id) {
        s.setValue(QStringLiteral("node/chainId"), *chain_id);
    } else {
        s.remove(QStringLiteral("node/chainId"));
    }
    s.setValue(QStringLiteral("security/idleLockMinutes"), idle_lock_minutes);
    s.setValue(QStringLiteral("session/lastAccount"), last_account);
}

client::Config AppSettings::config() const {
    client::Config c;
    if (!data_dir.isEmpty()) c.data_dir = data_dir.toStdString();
    if (remote) {
        if (!rpc_url.isEmpty()) c.rpc_url = rpc_url.toStdString();
        if (!ipfs_api.isEmpty()) c.ipfs_api = ipfs_api.toStdString();
        if (!manifest.isEmpty()) c.manifest_file = manifest.toStdString();
        c.chain_id = chain_id;
    }
    return c;
}

}  // namespace dossier::desktop
