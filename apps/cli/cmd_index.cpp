/// `dossier index status|sync|rebuild`: the local index that lists, history and search read.
#include "format.hpp"
#include "session.hpp"

namespace dossier::cli {

namespace {

nlohmann::json sync_json(const client::IndexSync& r) {
    nlohmann::json j = {{"from", r.from}, {"to", r.to},         {"head", r.head},
                        {"events", r.events}, {"pages", r.pages}, {"complete", r.complete}};
    if (r.reorg) j["reorg"] = *r.reorg;
    return j;
}

void report_sync(Session& s, const client::IndexSync& r) {
    s.out = sync_json(r);
    if (r.reorg) s.say("reorganisation: " + *r.reorg);
    s.say("indexed " + std::to_string(r.events) + " events up to block " + std::to_string(r.to) + " (head " +
          std::to_string(r.head) + ")");
}


}  // namespace

void add_index_commands(CLI::App& app, Session& s) {
    auto* index = example(app.add_subcommand("index", "The local index: the chain's Dossier events in a SQLite file "
                                                       "of the data directory, which lists, history and search "
                                                       "read. Every read command brings it up to date first (unless "
                                                       "--offline); it holds only public chain data"),
                          "dossier index status");
    index->require_subcommand(1);

    auto* status = example(index->add_subcommand("status", "Where the index stands: its last block, how far behind "
                                                            "the chain it is, its size, the last reorganisation it "
                                                            "handled"),
                           "dossier index status --json");
    status->callback([&s] {
        s.action = [&s] {
            const auto st = s.client().index_status();
            s.out = {{"file", st.file.string()},
                     {"head", st.head},
                     {"lag", st.lag},
                     {"events", st.events},
                     {"auditEntries", st.audit_entries},
                     {"bytes", st.bytes},
                     {"confirmations", st.confirmations}};
            s.out["tip"] = st.tip ? nlohmann::json(*st.tip) : nlohmann::json(nullptr);
            s.out["lastReorg"] = st.last_reorg ? nlohmann::json(*st.last_reorg) : nlohmann::json(nullptr);
            s.say("index:        " + st.file.string());
            s.say("tip:          " + (st.tip ? "block " + std::to_string(*st.tip) : std::string("not synced yet")) +
                  " (chain head " + std::to_string(st.head) + ", " + std::to_string(st.lag) + " behind)");
            s.say("events:       " + std::to_string(st.events) + " (" + std::to_string(st.audit_entries) +
                  " audit entries), " + std::to_string(st.bytes / 1024) + " KiB");
            s.say("confirmations: " + std::to_string(st.confirmations));
            s.say("last reorg:   " + st.last_reorg.value_or("none seen"));
        };
    });

    auto* sync = example(index->add_subcommand("sync", "Bring the index up to the chain's head now (with progress; "
                                                        "resumes where it stopped if interrupted)"),
                         "dossier index sync");
    sync->add_option("--page-blocks", s.index_page_blocks,
                    "Ask the node for at most this many blocks of logs at once (for a node that limits "
                    "eth_getLogs; default 100,000, reduced automatically when refused)")
        ->check(CLI::Range(1, 100000));
    sync->callback([&s] {
        s.action = [&s] {
            std::unique_ptr<ProgressBar> bar;
            report_sync(s, s.client().sync_index(s.progress_into(bar)));
        };
    });

    auto* rebuild = example(index->add_subcommand("rebuild", "Empty the index and read the whole chain again (after "
                                                              "a damaged file, or to start afresh)"),
                            "dossier index rebuild");
    rebuild->add_option("--page-blocks", s.index_page_blocks,
                    "Ask the node for at most this many blocks of logs at once (for a node that limits "
                    "eth_getLogs; default 100,000, reduced automatically when refused)")
        ->check(CLI::Range(1, 100000));
    rebuild->callback([&s] {
        s.action = [&s] {
            std::unique_ptr<ProgressBar> bar;
            report_sync(s, s.client().rebuild_index(s.progress_into(bar)));
        };
    });
}

}  // namespace dossier::cli
