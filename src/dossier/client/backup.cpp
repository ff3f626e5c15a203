/// The client API's backup calls: create (a Client method: it archives the client's data
/// directory), verify and restore (free functions: they need no data directory to start from).
#include "base/hex.hpp"
#include "dossier/backup.hpp"
#include "dossier/client/backup_impl.hpp"
#include "dossier/client/client.hpp"
#include "dossier/client/connection.hpp"

namespace dossier::client {
namespace {

BackupSummary to_client(const core::BackupSummary& s) {
    BackupSummary out;
    out.file = s.file;
    out.digest = to_hex_raw(s.digest);
    out.archive_bytes = s.archive_bytes;
    out.entries = s.entries;
    out.content_bytes = s.content_bytes;
    out.keystores = s.keystores;
    out.blocks = s.blocks;
    out.chain_state = s.chain_state;
    out.chain_id = s.chain_id;
    out.created = s.created;
    out.not_included = s.not_included;
    return out;
}

core::BackupProgressFn bytes_progress(const ProgressFn& progress) {
    if (!progress) return {};
    return [progress](std::string_view phase, std::uint64_t done, std::uint64_t total) {
        progress(Progress{std::string(phase), done, total, total ? "bytes" : "steps"});
    };
}

}  // namespace

BackupSummary detail::create_backup(const core::Config& config, const std::filesystem::path& file,
                                    const ProgressFn& progress) {
    return to_client(core::create_backup(config, file, bytes_progress(progress)));
}

BackupSummary verify_backup(const std::filesystem::path& file, const ProgressFn& progress) {
    return detail::call([&] { return to_client(core::verify_backup(file, bytes_progress(progress))); });
}

BackupSummary restore_backup(const std::filesystem::path& file, const std::filesystem::path& data_dir,
                             const ProgressFn& progress) {
    return detail::call([&] { return to_client(core::restore_backup(file, data_dir, {}, bytes_progress(progress))); });
}

}  // namespace dossier::client
