#include "dossier/backup.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include <nlohmann/json.hpp>

#include "base/atomic_file.hpp"
#include "base/cancel.hpp"
#include "base/file_lock.hpp"
#include "base/hex.hpp"
#include "chain/anvil_node.hpp"
#include "chain/manifest.hpp"
#include "dossier/backup_archive.hpp"
#include "eth/http_transport.hpp"
#include "eth/rpc_client.hpp"

namespace dossier::core {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Planned {
    std::string name;  ///< entry name: the path relative to the data directory, '/'-separated
    fs::path path;
    std::uint64_t size = 0;
};

std::uint64_t size_or_zero(const fs::path& p) {
    std::error_code ec;
    const auto s = fs::file_size(p, ec);
    return ec ? 0 : s;
}

void plan_file(std::vector<Planned>& plan, const fs::path& data_dir, const fs::path& path) {
    if (!fs::is_regular_file(path)) return;
    plan.push_back({fs::relative(path, data_dir).generic_string(), path, size_or_zero(path)});
}

/// Regular files under `dir`, sorted by name, skipping what `skip` rejects.
void plan_tree(std::vector<Planned>& plan, const fs::path& data_dir, const fs::path& dir,
               const std::function<bool(const fs::path&)>& skip) {
    if (!fs::is_directory(dir)) return;
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
        if (skip(it->path())) {
            if (it->is_directory()) it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file()) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) plan_file(plan, data_dir, f);
}

std::unique_ptr<eth::RpcClient> rpc_to(const std::string& url) {
    eth::HttpOptions http;
    http.timeout = std::chrono::minutes(10);  // a large chain's dump or load takes a while
    return std::make_unique<eth::RpcClient>(std::make_unique<eth::HttpTransport>(url, http));
}

/// An entry name is a relative path that stays inside the directory it is restored into.
bool safe_name(const std::string& name) {
    if (name.empty() || name.front() == '/' || name.find('\0') != std::string::npos || name.find('\\') != std::string::npos)
        return false;
    for (const auto& part : fs::path(name))
        if (part == ".." || part == "." || part.empty()) return false;
    return true;
}

BackupSummary summary_of(const fs::path& file, const BackupContents& contents) {
    BackupSummary s;
    s.file = file;
    s.digest = contents.digest;
    s.archive_bytes = contents.archive_bytes;
    s.entries = contents.entries.size();
    for (const auto& e : contents.entries) {
        s.content_bytes += e.size;
        if (e.name.starts_with("keystore/")) ++s.keystores;
        if (e.name.starts_with("ipfs/blocks/") && e.name.ends_with(".data")) ++s.blocks;
    }
    const json j = json::parse(contents.manifest_json, nullptr, false);
    if (j.is_object()) {
        s.chain_state = j.value("chain_state", "none");
        s.created = j.value("created", std::uint64_t{0});
        if (j.contains("chain_id") && j["chain_id"].is_number_unsigned()) s.chain_id = j["chain_id"].get<std::uint64_t>();
        for (const auto& n : j.value("not_included", json::array())) s.not_included.push_back(n.get<std::string>());
    }
    return s;
}

/// Writes a restored file through a temporary beside it, renamed once complete.
class RestoredFile {
public:
    explicit RestoredFile(fs::path path) : path_(std::move(path)), tmp_(path_.string() + ".restoring") {
        fs::create_directories(path_.parent_path());
        fd_ = UniqueFd(::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
        if (fd_.get() < 0) fail("cannot create");
    }
    void write(ByteView bytes) {
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::write(fd_.get(), bytes.data() + done, bytes.size() - done);
            if (n < 0) {
                if (errno == EINTR) continue;
                fail("cannot write");
            }
            done += static_cast<std::size_t>(n);
        }
    }
    void commit() {
        if (::fsync(fd_.get()) != 0) fail("cannot fsync");
        fd_ = UniqueFd();
        if (::rename(tmp_.c_str(), path_.c_str()) != 0) fail("cannot rename");
    }

private:
    [[noreturn]] void fail(const char* what) {
        throw Error(ErrorCode::io, std::string(what) + " '" + tmp_.string() + "': " + std::strerror(errno));
    }
    fs::path path_, tmp_;
    UniqueFd fd_;
};

/// Loads a chain dump into a temporary anvil of `data_dir`, then stops it with SIGTERM so that
/// its state file holds the chain.
void load_chain_dump(const fs::path& data_dir, const fs::path& dump, std::uint64_t chain_id, const RestoreOptions& options) {
    const fs::path node_dir = data_dir / "node";
    chain::AnvilOptions anvil;
    anvil.data_dir = node_dir;
    anvil.chain_id = chain_id;
    anvil.anvil_binary = options.anvil_binary;
    const auto running = chain::start_anvil(anvil);
    try {
        const Bytes bytes = read_file(dump);
        auto rpc = rpc_to(running.url);
        const json ok = rpc->call("anvil_loadState", json::array({to_hex(bytes)}));
        if (!ok.is_boolean() || !ok.get<bool>())
            throw Error(ErrorCode::node_unavailable, "anvil refused the backup's chain state");
    } catch (...) {
        (void)chain::kill_anvil(node_dir);
        throw;
    }
    if (!chain::stop_anvil(node_dir) || !fs::exists(node_dir / "chain" / "state.json"))
        throw Error(ErrorCode::node_unavailable, "anvil did not write the restored chain state to '" +
                                                     (node_dir / "chain" / "state.json").string() + "'");
    fs::remove(dump);
    // The temporary anvil's pid, port and log are not the restored node's.
    for (const char* f : {"anvil.pid", "anvil.port"}) fs::remove(node_dir / "chain" / f);
}

}  // namespace

BackupSummary create_backup(const Config& config, const fs::path& file, const BackupProgressFn& progress) {
    const fs::path& dir = config.data_dir;
    if (!fs::exists(dir / "accounts.json") && !fs::exists(config.keystore_dir()) && !fs::exists(config.manifest_path()))
        throw Error(ErrorCode::invalid_input, "'" + dir.string() + "' is not a Dossier data directory (no accounts, "
                                              "keystores or deployment manifest in it)");
    if (fs::exists(file)) throw Error(ErrorCode::already_exists, "'" + file.string() + "' exists already");
    const fs::path partial = file.string() + ".partial";
    const UniqueFd fd(::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0)
        throw Error(ErrorCode::io, "cannot create '" + partial.string() + "': " + std::strerror(errno));
    struct RemoveOnFailure {
        fs::path path;
        bool keep = false;
        ~RemoveOnFailure() {
            std::error_code ec;
            if (!keep) fs::remove(path, ec);
        }
    } cleanup{partial};

    json meta = {{"created", static_cast<std::uint64_t>(std::time(nullptr))}};
    json not_included = json::array();
    std::optional<std::uint64_t> chain_id = config.chain_id;
    if (fs::exists(config.manifest_path())) {
        try {
            chain_id = chain::Manifest::load(config.manifest_path()).chain_id;
        } catch (const std::exception&) {
            // An unreadable manifest is still copied as it is; the chain id stays unknown.
        }
    }

    BackupWriter out(fd.get());
    std::uint64_t done = 0;
    std::uint64_t total = 0;
    auto report = [&](std::uint64_t n) {
        throw_if_cancelled("the backup");
        done += n;
        if (progress) progress("archiving", done, std::max(done, total));
    };

    // 1. The chain state first: everything after it is a superset of what it references.
    std::string chain_state = "none";
    if (config.embedded_chain()) {
        if (const auto anvil = chain::find_anvil(config.node_dir())) {
            if (progress) progress("dumping the chain state", 0, 0);
            json dumped;
            try {
                dumped = rpc_to(anvil->url)->call("anvil_dumpState");
            } catch (const std::exception& e) {
                throw Error(ErrorCode::node_unavailable,
                            std::string("the embedded chain does not answer its state dump: ") + e.what());
            }
            const Bytes state = from_hex(dumped.get<std::string>());
            out.begin_entry(kChainDumpEntry);
            out.content(state);
            out.end_entry();
            chain_state = "anvil-dump";
        } else if (fs::exists(config.node_dir() / "chain" / "state.json")) {
            chain_state = "state-file";  // the node is down: its state file is complete and still
        }
    } else {
        not_included.push_back("the chain state: the chain at " + *config.rpc_url + " is not the embedded one");
    }
    meta["chain_state"] = chain_state;
    if (chain_id) meta["chain_id"] = *chain_id;

    std::vector<Planned> plan;
    if (chain_state == "state-file") plan_file(plan, dir, config.node_dir() / "chain" / "state.json");
    plan_file(plan, dir, config.journal_file());
    const fs::path manifest = config.manifest_path();
    if (fs::exists(manifest)) {
        const auto rel = fs::relative(manifest, dir);
        if (rel.empty() || *rel.begin() == "..")
            not_included.push_back("the deployment manifest '" + manifest.string() + "' (outside the data directory)");
        else
            plan_file(plan, dir, manifest);
    }
    for (const auto& p : plan) total += p.size;
    for (const auto& p : plan) (void)out.add_file(p.name, p.path, report);
    plan.clear();

    // 4. Accounts and keystores under the account index's lock: an account created meanwhile is
    // either wholly in (index and keystore) or wholly out.
    {
        const FileLock accounts(dir / "accounts.lock");
        plan_file(plan, dir, dir / "accounts.json");
        plan_tree(plan, dir, config.keystore_dir(), [](const fs::path&) { return false; });
        for (const auto& p : plan) total += p.size;
        for (const auto& p : plan) (void)out.add_file(p.name, p.path, report);
        plan.clear();
    }

    // 5. The content store: the pin journal before the pin snapshot (a compaction in between
    // leaves pins recorded twice, never lost), then the blocks. A block file under its final name
    // is complete (fs_block_store.hpp); one collected meanwhile is skipped.
    if (config.embedded_ipfs()) {
        const fs::path ipfs = config.ipfs_dir();
        plan_file(plan, dir, ipfs / "pins.log");
        plan_file(plan, dir, ipfs / "pins");
        plan_tree(plan, dir, ipfs / "blocks", [](const fs::path& p) { return p.filename() == ".temp"; });
        for (const auto& p : plan) total += p.size;
        for (const auto& p : plan) (void)out.add_file(p.name, p.path, report);
        plan.clear();
    } else {
        not_included.push_back("the stored objects: they are on the Kubo node at " + *config.ipfs_api);
    }
    meta["not_included"] = not_included;

    const Bytes32 digest = out.finish(meta.dump());
    if (::fsync(fd.get()) != 0) throw Error(ErrorCode::io, "cannot fsync '" + partial.string() + "'");
    if (fs::exists(file)) throw Error(ErrorCode::already_exists, "'" + file.string() + "' appeared during the backup");
    fs::rename(partial, file);
    cleanup.keep = true;
    fsync_directory(fs::absolute(file).parent_path());

    BackupContents contents;
    contents.entries = out.entries();
    contents.digest = digest;
    contents.archive_bytes = size_or_zero(file);
    contents.manifest_json = meta.dump();
    return summary_of(file, contents);
}

BackupSummary verify_backup(const fs::path& file, const BackupProgressFn& progress) {
    const auto contents = read_backup(file, {}, [&](std::uint64_t done, std::uint64_t total) {
        if (progress) progress("verifying", done, total);
    });
    for (const auto& e : contents.entries)
        if (!safe_name(e.name))
            throw Error(ErrorCode::tampered, "the backup '" + file.string() + "' names a file outside its directory: '" +
                                                 e.name + "'");
    return summary_of(file, contents);
}

BackupSummary restore_backup(const fs::path& file, const fs::path& data_dir, const RestoreOptions& options,
                             const BackupProgressFn& progress) {
    if (fs::exists(data_dir) && (!fs::is_directory(data_dir) || !fs::is_empty(data_dir)))
        throw Error(ErrorCode::already_exists, "'" + data_dir.string() + "' is not empty: a backup is restored only "
                                               "into an empty or new directory");
    // A damaged archive is refused before anything is written.
    const BackupSummary summary = verify_backup(file, progress);
    fs::create_directories(data_dir);
    fs::permissions(data_dir, fs::perms::owner_all, fs::perm_options::replace);
    // The directory was empty: if the restore fails half-way (the archive changed between the two
    // passes, the disk filled, anvil did not start), it is emptied again so that the restore can
    // simply be run again.
    struct EmptyOnFailure {
        fs::path dir;
        bool done = false;
        ~EmptyOnFailure() {
            if (done) return;
            std::error_code ec;
            try {
                (void)chain::kill_anvil(dir / "node");
            } catch (const std::exception&) {
                // nothing was started, or it is gone already
            }
            for (const auto& entry : fs::directory_iterator(dir, ec)) fs::remove_all(entry.path(), ec);
        }
    } undo{data_dir};

    std::unique_ptr<RestoredFile> current;
    read_backup(
        file,
        BackupSink{
            [&](const std::string& name) {
                if (!safe_name(name)) throw Error(ErrorCode::tampered, "the backup names a file outside its directory");
                current = std::make_unique<RestoredFile>(data_dir / name);
                return true;
            },
            [&](ByteView bytes) { current->write(bytes); },
            [&](const BackupEntryInfo&) {
                current->commit();
                current.reset();
            }},
        [&](std::uint64_t done, std::uint64_t total) {
            if (progress) progress("restoring", done, total);
        });

    if (summary.chain_state == "anvil-dump") {
        if (progress) progress("loading the chain state", 0, 0);
        load_chain_dump(data_dir, data_dir / kChainDumpEntry, summary.chain_id.value_or(31337), options);
        std::error_code ec;
        fs::remove(data_dir / "chain", ec);  // the now empty directory of the dump entry
    }
    undo.done = true;
    return summary;
}

}  // namespace dossier::core
