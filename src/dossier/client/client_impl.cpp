/// The Client of client.hpp over the library's workflows (src/dossier): accounts, the node, public
/// reads, notifications and the demo. What needs a key is in account_impl.cpp.
#include <cctype>
#include <fstream>
#include <sstream>

#include "base/hex.hpp"
#include "dossier/client/account_impl.hpp"
#include "dossier/client/backup_impl.hpp"
#include "dossier/client/client.hpp"
#include "dossier/client/connection.hpp"
#include "dossier/client/convert.hpp"
#include "dossier/client/doctor_patients.hpp"
#include "dossier/client/watcher.hpp"
#include "dossier/demo.hpp"
#include "dossier/index/index_queries.hpp"
#include "fhir/summary.hpp"

namespace dossier::client {

using detail::call;
using detail::Connection;
using detail::LocalIndex;
namespace cv = convert;

std::filesystem::path default_data_dir() { return core::default_data_dir(); }

std::string summarize(const Json& resource) { return fhir::summary(resource); }

Json load_resource(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorCode::io, "cannot read '" + path.string() + "'");
    std::stringstream ss;
    ss << in.rdbuf();
    auto json = Json::parse(ss.str(), nullptr, false);
    if (json.is_discarded()) throw Error(ErrorCode::invalid_input, "'" + path.string() + "' is not valid JSON");
    return json;
}

namespace {

class ClientImpl final : public Client {
public:
    explicit ClientImpl(Config config)
        : config_(std::move(config)), connection_(std::make_shared<Connection>(
                                    cv::to_core(config_), LocalIndex::Settings{config_.offline, config_.confirmations,
                                                                               config_.index_page_blocks})) {
        config_.data_dir = connection_->config().data_dir;
    }

    const Config& config() const noexcept override { return config_; }
    bool embedded_chain() const noexcept override { return cfg().embedded_chain(); }

    // ---- accounts ----------------------------------------------------------------------------

    std::vector<AccountInfo> accounts() override {
        return call([&] {
            std::vector<AccountInfo> out;
            for (const auto& a : core::list_accounts(cfg())) out.push_back(cv::to_client(a));
            return out;
        });
    }

    AccountInfo account(std::string_view who) override {
        return call([&] { return cv::to_client(core::find_account(cfg(), who)); });
    }

    Address resolve(std::string_view who) override {
        return call([&] {
            if (who.size() == 42 && who.substr(0, 2) == "0x") return Address::from_hex(who);
            return cv::to_client(core::find_account(cfg(), who).address);
        });
    }

    std::string display_name(const Address& address) override {
        return call([&] {
            for (const auto& a : core::list_accounts(cfg()))
                if (a.address == cv::to_eth(address)) return a.label + " (" + address.checksum() + ")";
            return address.checksum();
        });
    }

    CreatedAccount create_account(Role role, std::string_view label, std::string_view password,
                                  const FundingOptions& funding) override {
        return call([&] {
            CreatedAccount out{cv::to_client(core::create_account(cfg(), cv::to_core(role), label, password)), false, {}};
            fund_new(out, funding);
            return out;
        });
    }

    CreatedAccount import_account(const ImportSource& source, std::string_view password, Role role,
                                  std::string_view label, const FundingOptions& funding) override {
        return call([&] {
            // Each kind is parsed as what it is: a key text is never taken for a path.
            core::AccountInfo info;
            switch (source.kind) {
                case ImportSource::Kind::keystore_file:
                    info = core::import_keystore(cfg(), source.value, password, cv::to_core(role), label);
                    break;
                case ImportSource::Kind::private_key_hex:
                    info = core::import_private_key(cfg(), source.value, password, cv::to_core(role), label);
                    break;
                case ImportSource::Kind::embedded_authority:
                    if (!cfg().embedded_chain())
                        throw Error(ErrorCode::invalid_input,
                                    "the embedded chain's authority exists only on the embedded chain");
                    info = core::import_private_key(cfg(), core::kEmbeddedDevKeyHex, password, cv::to_core(role),
                                                    label);
                    break;
            }
            CreatedAccount out{cv::to_client(info), false, {}};
            fund_new(out, funding);
            return out;
        });
    }

    std::string fund_account(const Address& address, std::uint64_t ether) override {
        return call([&] {
            if (!cfg().embedded_chain())
                throw Error(ErrorCode::invalid_input, "only the embedded chain has a dev account to fund accounts "
                                                      "from: on a remote chain, send ether from a funded wallet");
            const auto receipt = core::fund_account(*connection_->context(), cv::to_eth(address), core::ether(ether));
            return to_hex(receipt.transaction_hash);
        });
    }

    std::filesystem::path export_keystore(std::string_view who, const std::filesystem::path& destination) override {
        return call([&] { return core::export_account(cfg(), who, destination); });
    }

    std::string export_private_key(std::string_view who, std::string_view password) override {
        return call([&] { return core::export_private_key(cfg(), who, password); });
    }

    std::unique_ptr<Account> unlock(std::string_view who, std::string_view password,
                                    const ProgressFn& progress) override {
        return call([&]() -> std::unique_ptr<Account> {
            const auto info = core::find_account(cfg(), who);
            detail::step(progress, "unlocking " + info.label);
            auto key = core::unlock(cfg(), info.address.to_checksum(), password);
            return detail::make_account(connection_, cv::to_client(info), std::move(key));
        });
    }

    // ---- the node ----------------------------------------------------------------------------

    NodeStatus node_status() override {
        return call([&] { return cv::to_client(core::node_status(cfg())); });
    }

    NodeStatus node_up(const NodeUpOptions& options, const ProgressFn& progress, std::stop_token stop) override {
        return call(std::move(stop), [&] {
            core::UpOptions up;
            if (options.chain_id) up.chain_id = *options.chain_id;
            if (cfg().chain_id) up.chain_id = *cfg().chain_id;
            up.redeploy_if_lost = options.redeploy_if_lost;
            up.block_time = options.block_time;
            const auto status = core::node_up(cfg(), up, [&](std::string_view m) { detail::step(progress, std::string(m)); });
            connection_->reset();  // the next call connects to what runs now
            return cv::to_client(status);
        });
    }

    BackupSummary create_backup(const std::filesystem::path& file, const ProgressFn& progress,
                                std::stop_token stop) override {
        return call(std::move(stop), [&] { return detail::create_backup(cfg(), file, progress); });
    }

    NodeDownReport node_down() override {
        return call([&] {
            connection_->reset();
            const auto r = core::node_down(cfg());
            return NodeDownReport{r.anvil_was_running, r.gateway_was_running, r.state_saved, r.journal_compacted,
                                  r.journal_kept};
        });
    }

    void serve_ipfs(int port, std::stop_token stop, const std::function<void(int)>& on_ready) override {
        call([&] { core::serve_ipfs(cfg(), port, stop, on_ready); });
    }

    // ---- public reads ------------------------------------------------------------------------

    DoctorInfo doctor(const Address& doctor) override {
        return call([&] { return cv::to_client(core::doctor_info(*connection_->context(), cv::to_eth(doctor))); });
    }

    std::vector<DoctorInfo> doctors() override {
        return call([&] {
            std::vector<DoctorInfo> out;
            for (const auto& d : core::list_doctors(*connection_->context())) out.push_back(cv::to_client(d));
            return out;
        });
    }

    PatientInfo patient(const Address& patient) override {
        return call([&] { return cv::to_client(core::patient_info(*connection_->context(), cv::to_eth(patient))); });
    }

    std::vector<Address> patients() override {
        return call([&] {
            const auto ctx = connection_->context();
            return connection_->index()->read(*ctx, {}, [&](index::IndexDb& db) {
                std::vector<Address> out;
                for (const auto& p : index::registered_patients(db)) out.push_back(cv::to_client(p));
                return out;
            });
        });
    }

    std::vector<AccessRequest> access_requests(const Address& patient) override {
        return call([&] {
            const auto ctx = connection_->context();
            const std::uint64_t now = ctx->chain_time();
            return connection_->index()->read(*ctx, {}, [&](index::IndexDb& db) {
                std::vector<AccessRequest> out;
                for (const auto& r : index::patient_requests(db, cv::to_eth(patient), now)) out.push_back(cv::to_client(r));
                return out;
            });
        });
    }

    std::vector<RecordVersion> record_history(const Address& patient, std::uint32_t record_id) override {
        return call([&] {
            std::vector<RecordVersion> out;
            for (const auto& v : core::record_history(*connection_->context(), cv::to_eth(patient), record_id))
                out.push_back(cv::to_client(v));
            return out;
        });
    }

    std::vector<AuditEntry> audit_trail(const Address& patient, const ProgressFn& progress,
                                        std::stop_token stop) override {
        return call(std::move(stop), [&] {
            const auto ctx = connection_->context();
            const auto local = connection_->index();
            return local->read(*ctx, progress, [&](index::IndexDb& db) {
                std::vector<AuditEntry> out;
                for (const auto& e : index::patient_trail(db, cv::to_eth(patient)))
                    out.push_back(indexed(*ctx, *local, patient, e));
                return out;
            });
        });
    }

    AuditVerification verify_audit(const Address& patient, const ProgressFn& progress, std::stop_token stop) override {
        return call(std::move(stop), [&] {
            detail::step(progress, "verifying the audit trail");
            return cv::to_client(core::verify_audit(*connection_->context(), cv::to_eth(patient)));
        });
    }

    StoreCheck check_store(const Address& patient, const ProgressFn& progress, std::stop_token stop) override {
        return call(std::move(stop), [&] {
            const auto p = cv::to_eth(patient);
            return cv::to_client(p, core::check_patient_objects(*connection_->context(), p,
                                                                detail::phase(progress, "checking", "objects")));
        });
    }

    // ---- the local index ----------------------------------------------------------------------

    IndexStatus index_status() override {
        return call([&] {
            const auto ctx = connection_->context();
            return connection_->index()->status(*ctx);
        });
    }

    IndexSync sync_index(const ProgressFn& progress, std::stop_token stop) override {
        return call(std::move(stop), [&] {
            const auto ctx = connection_->context();
            return connection_->index()->sync(*ctx, progress, false);
        });
    }

    IndexSync rebuild_index(const ProgressFn& progress, std::stop_token stop) override {
        return call(std::move(stop), [&] {
            const auto ctx = connection_->context();
            return connection_->index()->sync(*ctx, progress, true);
        });
    }

    HistoryPage history(const HistoryQuery& query, const ProgressFn& progress, std::stop_token stop) override {
        return call(std::move(stop), [&] {
            index::HistoryQuery q;
            if (query.patient) q.patient = cv::to_eth(*query.patient);
            if (query.actor) q.actor = cv::to_eth(*query.actor);
            if (query.kind) q.kind = parse_entry_kind(*query.kind);
            q.since = query.since;
            q.until = query.until;
            q.after = query.after;
            q.limit = query.limit;
            const auto ctx = connection_->context();
            const auto local = connection_->index();
            return local->read(*ctx, progress, [&](index::IndexDb& db) {
                const auto page = index::history(db, q);
                HistoryPage out;
                out.next = page.next;
                for (const auto& e : page.entries) out.entries.push_back(indexed(*ctx, *local, cv::to_client(e.patient), e.entry));
                return out;
            });
        });
    }

    std::vector<DoctorsPatient> doctor_patients(const Address& doctor) override {
        return call([&] { return detail::doctor_patients(*connection_, doctor); });
    }

    PatientHome patient_home(const Address& patient, std::size_t recent) override {
        return call([&] {
            const auto ctx = connection_->context();
            const std::uint64_t now = ctx->chain_time();
            const auto local = connection_->index();
            return local->read(*ctx, {}, [&](index::IndexDb& db) {
                PatientHome home;
                for (const auto& r : index::patient_requests(db, cv::to_eth(patient), now)) {
                    if (r.state == core::RequestState::pending) home.pending.push_back(cv::to_client(r));
                    if (r.state == core::RequestState::approved) home.active.push_back(cv::to_client(r));
                }
                index::HistoryQuery q;
                q.patient = cv::to_eth(patient);
                q.limit = std::max<std::size_t>(1, recent);
                for (const auto& e : index::history(db, q).entries)
                    home.recent.push_back(indexed(*ctx, *local, patient, e.entry));
                return home;
            });
        });
    }

    AuditVerification verify_audit_from_index(const Address& patient) override {
        return call([&] {
            const auto ctx = connection_->context();
            const auto p = cv::to_eth(patient);
            // The index's copy against the contract's head at the index's tip: the same moment.
            const auto [entries, tip] = connection_->index()->read(*ctx, {}, [&](index::IndexDb& db) {
                const auto t = db.tip();
                return std::make_pair(index::patient_trail(db, p), t ? t->block : ctx->manifest().deployment_block);
            });
            const auto [seq, head] = core::chain_head_at(*ctx, p, tip);
            auto v = cv::to_client(core::verify_entries(p, entries, seq, head));
            v.message = "from the local index (to block " + std::to_string(tip) + "): " + v.message;
            return v;
        });
    }

    std::unique_ptr<Handler> watch(const EventFilter& filter, EventFn on_event, std::chrono::milliseconds poll) override {
        if (poll.count() <= 0) poll = cfg().embedded_chain() ? std::chrono::milliseconds(250) : std::chrono::milliseconds(2000);
        return detail::make_watcher(connection_, filter, std::move(on_event), poll);
    }

    DemoResult run_demo(const DemoOptions& options, const std::function<void(const DemoStep&)>& on_step) override {
        return call([&] {
            core::DemoOptions opt;
            opt.examples_dir = options.examples_dir;
            opt.start_gateway = options.start_gateway;
            opt.password = options.password;
            const auto r = core::run_demo(cfg(), opt, [&](const core::DemoStep& s) {
                if (on_step) on_step(DemoStep{s.name, s.text, s.data, s.refusal});
            });
            connection_->reset();  // the demo may have started the node
            return DemoResult{r.run, r.steps, r.expected_refusals, r.audit_verified, r.started_node, r.private_strings};
        });
    }

private:
    const core::Config& cfg() const noexcept { return connection_->config(); }

    /// An entry read from the index, as the boundary shows it (called under the index's lock).
    static AuditEntry indexed(core::Context& ctx, LocalIndex& local, const Address& patient, const core::AuditEntry& e) {
        AuditEntry a = cv::to_client(e);
        a.patient = patient;
        a.confirmed = local.confirmed(ctx, e.block);
        return a;
    }

    static core::AuditKind parse_entry_kind(const std::string& text) {
        std::string names;
        for (int k = 0; k < static_cast<int>(core::AuditKind::unknown); ++k) {
            const auto kind = static_cast<core::AuditKind>(k);
            if (core::entry_kind_name(kind) == text) return kind;
            names += (names.empty() ? "" : ", ") + std::string(core::entry_kind_name(kind));
        }
        throw Error(ErrorCode::invalid_input, "\"" + text + "\" is not a kind of audit entry (" + names + ")");
    }

    /// The funding policy of new accounts: on the embedded chain, ether from its dev account so
    /// that the account can pay for its first transaction; on a remote chain its owner funds it.
    /// The account exists whatever happens here, so a failure is reported, not thrown.
    void fund_new(CreatedAccount& created, const FundingOptions& funding) {
        if (!funding.fund || !cfg().embedded_chain()) return;
        try {
            (void)core::fund_account(*connection_->context(), cv::to_eth(created.info.address), core::ether(funding.ether));
            created.funded = true;
        } catch (const dossier::Error& e) {
            if (e.code() == ErrorCode::cancelled) throw;
            created.funding_error = "account " + created.info.label + " " + created.info.address.checksum() +
                                    " was created but not funded (" + e.what() + ")";
        }
    }

    Config config_;
    std::shared_ptr<Connection> connection_;
};

}  // namespace

std::unique_ptr<Client> make_client(Config config) { return std::make_unique<ClientImpl>(std::move(config)); }

}  // namespace dossier::client
