#pragma once
/// The backup calls of the client API over dossier/backup.hpp (not a face's header).
#include "dossier/client/progress.hpp"
#include "dossier/client/types.hpp"
#include "dossier/config.hpp"

namespace dossier::client::detail {

/// Client::create_backup for the data directory of `config`.
BackupSummary create_backup(const core::Config& config, const std::filesystem::path& file, const ProgressFn& progress);

}  // namespace dossier::client::detail
