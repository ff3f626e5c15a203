#include "records/file_fetch.hpp"

#include <QFile>
#include <QTemporaryDir>

#include "app/format.hpp"

namespace dossier::desktop {

FetchedBytes fetch_into_memory(client::Account& account, const client::Address& patient,
                               const client::FileListing& file, const TaskIo& io) {
    QTemporaryDir dir;
    if (!dir.isValid()) throw Error(ErrorCode::io, "could not create a private temporary folder: " + dir.errorString().toStdString());
    // mkdtemp already makes it 0700; said again so that a changed umask or Qt default cannot widen it.
    QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QString path = dir.filePath(QStringLiteral("attachment"));
    FetchedBytes out;
    try {
        account.fetch_file(patient, file.record_id, file.index, path.toStdString(), true, io.progress, io.stop);
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) throw Error(ErrorCode::io, "could not read the fetched file back");
        out.data = f.readAll();
        f.close();
    } catch (...) {
        QFile::remove(path);
        throw;
    }
    QFile::remove(path);
    out.name = file.name ? qstr(*file.name) : QStringLiteral("attachment");
    out.content_type = file.content_type ? qstr(*file.content_type) : QString();
    return out;
}

}  // namespace dossier::desktop
