#pragma once
/// An attachment fetched into memory for the viewer. The client writes decrypted files to a path
/// only, so the bytes pass through a private temporary directory (0700) and the file is removed
/// as soon as it is read: no decrypted copy stays on disk after the call, even when it fails.
#include <QByteArray>
#include <QString>

#include "app/task.hpp"
#include "dossier/client/account.hpp"

namespace dossier::desktop {

struct FetchedBytes {
    QByteArray data;
    QString name;
    QString content_type;
};

/// Calls the client: only from a worker. Throws what fetch_file throws, Error(io) for the
/// temporary directory.
[[nodiscard]] FetchedBytes fetch_into_memory(client::Account& account, const client::Address& patient,
                                             const client::FileListing& file, const TaskIo& io);

}  // namespace dossier::desktop
