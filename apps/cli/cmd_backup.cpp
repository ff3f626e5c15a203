/// `dossier backup create | verify | restore`: one archive of a data directory, checked, and
/// restored on a fresh path with every patient's store and audit trail checked afterwards.
#include "format.hpp"
#include "session.hpp"

namespace dossier::cli {
namespace {

constexpr const char* kSecrets =
    "No secret leaves encrypted: the archive holds the keystores exactly as they are (encrypted under "
    "each account's password) and the content store's blocks, which are ciphertext; no key, password "
    "or plaintext record is ever written to it. Keep it as you keep the data directory.";

/// A progress bar per phase (verifying, restoring, loading the chain state...).
client::ProgressFn phased(const Session& s, std::unique_ptr<ProgressBar>& bar, std::string& phase) {
    return [&s, &bar, &phase](const client::Progress& p) {
        if (!bar || p.phase != phase) {
            if (bar) bar->finish();
            phase = p.phase;
            bar = s.progress(p.phase);
        }
        bar->update(p.done, p.total);
    };
}

nlohmann::json summary_json(const client::BackupSummary& b) {
    nlohmann::json j = {{"file", b.file.string()},       {"digest", b.digest},
                        {"archiveBytes", b.archive_bytes}, {"entries", b.entries},
                        {"contentBytes", b.content_bytes}, {"keystores", b.keystores},
                        {"blocks", b.blocks},              {"chainState", b.chain_state},
                        {"created", b.created},            {"notIncluded", b.not_included}};
    if (b.chain_id) j["chainId"] = *b.chain_id;
    return j;
}

void say_summary(const Session& s, const client::BackupSummary& b) {
    s.say(std::to_string(b.entries) + " entries (" + std::to_string(b.keystores) + " keystore(s), " +
          std::to_string(b.blocks) + " store block(s), chain state: " + b.chain_state + "), " +
          human_bytes(b.archive_bytes) + " in '" + b.file.string() + "'");
    s.say("sha-256 " + b.digest);
    for (const auto& n : b.not_included) s.say("not included: " + n);
}

}  // namespace

void add_backup_commands(CLI::App& app, Session& s) {
    auto* backup = example(app.add_subcommand("backup", std::string("One archive of the data directory: the embedded "
                                                                     "chain's state, the transaction journal, the "
                                                                     "deployment manifest, accounts and keystores, and "
                                                                     "every stored object. ") +
                                                             kSecrets),
                           "dossier backup create /backups/dossier-$(date +%F).dsbk\n"
                           "  dossier backup verify /backups/dossier-2026-12-03.dsbk\n"
                           "  dossier backup restore /backups/dossier-2026-12-03.dsbk --data-dir /srv/dossier");
    backup->require_subcommand(1);
    struct Args {
        std::string file, target;
    };
    auto a = std::make_shared<Args>();

    auto* create = example(backup->add_subcommand("create", std::string("Write the archive while the node runs (a "
                                                                         "write in flight is either wholly in it or "
                                                                         "replayed from the journal after a restore); "
                                                                         "prints its sha-256. FILE must not exist. ") +
                                                                 kSecrets),
                           "dossier backup create /backups/dossier-$(date +%F).dsbk");
    create->add_option("FILE", a->file, "The archive to write")->required();
    create->callback([&s, a] {
        s.action = [&s, a] {
            std::unique_ptr<ProgressBar> bar;
            std::string phase;
            const auto b = s.client().create_backup(a->file, phased(s, bar, phase));
            if (bar) bar->finish();
            s.out = summary_json(b);
            say_summary(s, b);
        };
    });

    auto* verify = example(backup->add_subcommand("verify", "Check an archive without restoring it: every entry's "
                                                             "sha-256, the manifest that lists them and the digest "
                                                             "of the whole (exit 1 naming the damaged entry)"),
                           "dossier backup verify /backups/dossier-2026-12-03.dsbk");
    verify->add_option("FILE", a->file, "The archive to check")->required()->check(CLI::ExistingFile);
    verify->callback([&s, a] {
        s.action = [&s, a] {
            std::unique_ptr<ProgressBar> bar;
            std::string phase;
            const auto b = client::verify_backup(a->file, phased(s, bar, phase));
            if (bar) bar->finish();
            s.out = summary_json(b);
            s.out["ok"] = true;
            say_summary(s, b);
            s.say("intact");
        };
    });

    auto* restore = example(
        backup->add_subcommand("restore", "Verify, then restore an archive into an empty or new directory (a "
                                          "non-empty one is refused), start its node, and check every patient's "
                                          "stored objects (as `store check --all`) and audit trail (as `audit "
                                          "show --verify`); exit 1 if any check fails. The restored node is left "
                                          "running."),
        "dossier backup restore /backups/dossier-2026-12-03.dsbk --data-dir /srv/dossier");
    restore->add_option("FILE", a->file, "The archive to restore")->required()->check(CLI::ExistingFile);
    restore->add_option("--data-dir", a->target, "The directory to restore into (empty or absent)")->required();
    restore->callback([&s, a] {
        s.action = [&s, a] {
            std::unique_ptr<ProgressBar> bar;
            std::string phase;
            const auto b = client::restore_backup(a->file, a->target, phased(s, bar, phase));
            if (bar) bar->finish();
            bar.reset();
            s.out = summary_json(b);
            s.say("restored into '" + a->target + "'");
            // From here on the session works on the restored directory.
            s.data_dir = a->target;
            auto& c = s.client();
            if (c.embedded_chain()) {
                const auto up = c.node_up({}, phased(s, bar, phase));
                if (bar) bar->finish();
                bar.reset();
                s.out["node"] = {{"healthy", up.healthy}, {"recovery", {{"resent", up.recovery.resent}}}};
                s.say(std::string("node of the restored directory: ") + (up.healthy ? "up" : "NOT healthy") +
                      (up.recovery.resent ? ", " + std::to_string(up.recovery.resent) +
                                                " journaled transaction(s) resent"
                                          : ""));
            }
            nlohmann::json checks = nlohmann::json::array();
            std::uint64_t failed = 0;
            for (const auto& patient : c.patients()) {
                const auto store = c.check_store(patient);
                const auto audit = c.verify_audit(patient);
                const bool good = store.problems.empty() && audit.ok;
                if (!good) ++failed;
                checks.push_back({{"patient", patient.checksum()},
                                  {"objects", store.objects},
                                  {"storeProblems", store.problems.size()},
                                  {"auditOk", audit.ok},
                                  {"auditEntries", audit.entries},
                                  {"auditMessage", audit.message}});
                s.say(s.name(patient) + ": " + std::to_string(store.objects) + " object(s) " +
                      (store.problems.empty() ? "intact" : std::to_string(store.problems.size()) + " missing or corrupt") +
                      ", audit trail " + (audit.ok ? "verified" : "NOT verified: " + audit.message));
                for (const auto& p : store.problems) s.say("  " + p.object + " " + p.cid + ": " + p.problem);
            }
            s.out["checks"] = checks;
            s.out["ok"] = failed == 0;
            if (failed)
                s.failure = std::to_string(failed) + " patient(s) of the restored directory fail their store or audit check";
            else if (c.embedded_chain())
                s.say("all checks passed; the node is running (stop it with: dossier --data-dir " + a->target +
                      " node down)");
        };
    });
}

}  // namespace dossier::cli
