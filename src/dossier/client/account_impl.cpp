/// The Account of account.hpp over the library's workflows: everything that signs or decrypts.
#include "dossier/client/account_impl.hpp"

#include <map>
#include <optional>
#include <shared_mutex>
#include <type_traits>

#include "base/cancel.hpp"
#include "base/hex.hpp"
#include "dossier/client/convert.hpp"
#include "dossier/client/doctor_patients.hpp"
#include "dossier/index/index_queries.hpp"
#include "dossier/keyring.hpp"
#include "dossier/record_fields.hpp"
#include "dossier/records_batch.hpp"
#include "fhir/summary.hpp"

namespace dossier::client::detail {

namespace {

namespace cv = convert;

class AccountImpl final : public Account {
private:
    struct Session {
        std::shared_ptr<core::Context> context;
        std::shared_ptr<core::Reader> reader;
    };

    /// How this account's reads are logged: each object once while it stays unlocked.
    static core::ReadOptions reading() { return core::ReadOptions{true, true}; }

    [[noreturn]] void refuse_locked() const {
        throw Error(ErrorCode::permission_denied,
                    "account " + info_.label + " " + info_.address.checksum() + " is locked: unlock it again");
    }

    void require_unlocked() const {
        const std::shared_lock lock(key_mutex_);
        if (!key_) refuse_locked();
    }

    /// The key, for a caller holding write_mutex_: only lock() resets key_, and it takes
    /// write_mutex_ first, so the reference stays valid until the caller releases it.
    const eth::PrivateKey& held_key() const {
        const std::shared_lock lock(key_mutex_);
        if (!key_) refuse_locked();
        return *key_;
    }

    /// The context and this account's Reader on it (its keyring caches epoch keys, and it
    /// remembers what was logged). A new context (the node restarted) gets a new Reader, which
    /// keeps its own copy of the key (reads in progress may hold it after a lock()).
    Session session(const std::shared_ptr<core::Context>& ctx) {
        const std::lock_guard lock(session_mutex_);
        if (session_context_ != ctx || !reader_) {
            const std::shared_lock key_lock(key_mutex_);
            if (!key_) refuse_locked();
            reader_ = std::make_shared<core::Reader>(*ctx, *key_);
            session_context_ = ctx;
        }
        return Session{session_context_, reader_};
    }

    /// A call that signs transactions: one at a time per account, so that its nonces stay in
    /// order; other accounts and every read go on meanwhile.
    template <class F>
    auto write(std::stop_token stop, F&& body) {
        return call(std::move(stop), [&] {
            const std::lock_guard guard(write_mutex_);
            const eth::PrivateKey& key = held_key();
            const auto s = session(connection_->context());
            if constexpr (std::is_invocable_v<F, core::Context&, const eth::PrivateKey&, core::Reader&>)
                return body(*s.context, key, *s.reader);
            else
                return body(*s.context, key);
        });
    }

    /// A call that decrypts (and, for a doctor, logs its reads): runs in parallel with others.
    template <class F>
    auto read(std::stop_token stop, F&& body) {
        return call(std::move(stop), [&] {
            require_unlocked();
            const auto ctx = connection_->context();
            const auto s = session(ctx);
            return body(*s.context, *s.reader);
        });
    }

    /// The kind and FHIR resource a RecordContent describes (the library maps simple fields).
    static std::pair<core::RecordKind, fhir::Json> resource_of(const RecordContent& content, const eth::Address& patient,
                                                               const eth::Address& author) {
        if (content.resource) {
            const auto kind = content.kind ? cv::to_core(*content.kind) : core::kind_of_resource(*content.resource);
            return {kind, *content.resource};
        }
        if (!content.kind || !content.fields)
            throw Error(ErrorCode::invalid_input, "a record needs a kind with its fields, or a FHIR resource");
        const auto kind = cv::to_core(*content.kind);
        return {kind, core::resource_from_fields(kind, cv::to_core(*content.fields), patient, author)};
    }

    /// resource_of() for each record of a batch, in order.
    static std::vector<core::RecordInput> inputs_of(const std::vector<RecordContent>& contents,
                                                    const eth::Address& patient, const eth::Address& author) {
        std::vector<core::RecordInput> inputs;
        inputs.reserve(contents.size());
        for (const auto& c : contents) {
            auto [kind, resource] = resource_of(c, patient, author);
            inputs.push_back(core::RecordInput{kind, std::move(resource)});
        }
        return inputs;
    }

    static WrittenRecord written(const Address& patient, core::RecordKind kind, const core::WrittenRecord& w) {
        return WrittenRecord{patient, w.record_id, w.version, cv::to_client(kind), to_hex(w.ref.digest),
                             to_hex(w.tx_hash), w.block};
    }

    std::shared_ptr<Connection> connection_;
    AccountInfo info_;

    mutable std::shared_mutex key_mutex_;
    std::optional<eth::PrivateKey> key_;
    std::mutex write_mutex_;

    std::mutex session_mutex_;
    std::shared_ptr<core::Context> session_context_;
    std::shared_ptr<core::Reader> reader_;

    PatientDirectory directory_;

public:
    AccountImpl(std::shared_ptr<Connection> connection, AccountInfo info, eth::PrivateKey key)
        : connection_(std::move(connection)), info_(std::move(info)), key_(std::move(key)) {}

    ~AccountImpl() override { lock(); }

    const AccountInfo& info() const noexcept override { return info_; }

    void lock() noexcept override {
        // Waits for a write of this account in progress: its sender holds a copy of the key.
        // The order is every caller's: write, then session, then key (session() reads the key).
        const std::lock_guard write(write_mutex_);
        const std::lock_guard session(session_mutex_);
        const std::unique_lock key(key_mutex_);
        if (session_context_) session_context_->drop_sender(cv::to_eth(info_.address));
        reader_.reset();
        session_context_.reset();
        key_.reset();  // PrivateKey wipes its secret when destroyed
        directory_.clear();
    }

    bool locked() const noexcept override {
        const std::shared_lock lock(key_mutex_);
        return !key_.has_value();
    }

    // ---- doctors -----------------------------------------------------------------------------

    DoctorRegistration register_doctor(const DoctorProfile& profile, std::stop_token stop) override {
        return write(std::move(stop), [&](core::Context& ctx, const eth::PrivateKey& key) {
            const auto r = core::register_doctor(ctx, key, cv::to_fhir(profile));
            return DoctorRegistration{cv::to_client(r.doctor), to_hex(r.profile_digest), r.profile_cid.to_string(),
                                      to_hex(r.tx_hash)};
        });
    }

    std::string update_doctor_profile(const DoctorProfile& profile, std::stop_token stop) override {
        return write(std::move(stop), [&](core::Context& ctx, const eth::PrivateKey& key) {
            return to_hex(core::update_doctor_profile(ctx, key, cv::to_fhir(profile)));
        });
    }

    void request_access(const Address& patient, std::stop_token stop) override {
        write(std::move(stop), [&](core::Context& ctx, const eth::PrivateKey& key) {
            core::request_access(ctx, key, cv::to_eth(patient));
        });
    }

    AddedPatient add_patient(const NewPatient& patient, const ProgressFn& progress, std::stop_token stop) override {
        return write(std::move(stop), [&](core::Context& ctx, const eth::PrivateKey& key) {
            const auto& cfg = connection_->config();
            // Checked first, so that a refused doctor leaves no patient account behind.
            if (const auto status = core::doctor_status(ctx, key.address()); status != core::DoctorStatus::verified)
                core::refuse_unverified(status, "doctor " + info_.address.checksum() +
                                                    " is not verified and may not add patients");
            const auto fields = cv::to_fhir(patient.profile);
            (void)fhir::patient(fields);  // invalid fields are refused before an account exists
            step(progress, "creating the patient's account");
            const auto created = core::create_account(cfg, core::Role::patient, patient.label, patient.password);
            const auto patient_key = core::unlock(cfg, created.address.to_checksum(), patient.password);
            if (cfg.embedded_chain()) {
                step(progress, "funding the patient's account");
                (void)core::fund_account(ctx, created.address, core::ether(10));
            }
            step(progress, "registering the patient with their consent");
            const auto expiry = ctx.chain_time() + std::uint64_t{patient.days} * 86400u;
            const auto r = core::register_patient_by_doctor(ctx, key, patient_key, fields, expiry);
            return AddedPatient{cv::to_client(created), cv::to_client(r), info_.address, expiry};
        });
    }

    // ---- the authority -----------------------------------------------------------------------

    void verify_doctor(const Address& doctor, std::stop_token stop) override {
        write(std::move(stop), [&](core::Context& ctx, const eth::PrivateKey& key) {
            core::verify_doctor(ctx, key, cv::to_eth(doctor));
        });
    }

    void suspend_doctor(const Address& doctor, std::stop_token stop) override {
        write(std::move(stop), [&](core::Context& ctx, const eth::PrivateKey& key) {
            core::suspend_doctor(ctx, key, cv::to_eth(doctor));
        });
    }

    Deployment deploy(std::optional<Address> authority, bool replace, const ProgressFn& progress) override {
        return call([&] {
            const auto& cfg = connection_->config();
            if (cfg.embedded_chain())
                throw Error(ErrorCode::invalid_input,
                            "deploying is for a remote chain: the embedded node deploys the contracts itself when it "
                            "starts");
            const std::lock_guard guard(write_mutex_);
            const eth::PrivateKey& key = held_key();
            const auto auth = authority ? cv::to_eth(*authority) : key.address();
            const auto m = core::deploy_remote(cfg, key, auth, replace,
                                               [&](std::string_view msg) { step(progress, std::string(msg)); });
            connection_->reset();  // a new manifest: reconnect on the next call
            return cv::to_client(m);
        });
    }

    // ---- patients ----------------------------------------------------------------------------

    PatientRegistration register_patient(const PatientProfile& profile, std::stop_token stop) override {
        return write(std::move(stop), [&](core::Context& ctx, const eth::PrivateKey& key) {
            return cv::to_client(core::register_patient(ctx, key, cv::to_fhir(profile)));
        });
    }

    std::vector<DoctorsPatient> doctor_patients(const ProgressFn& progress, std::stop_token stop) override {
        require_unlocked();
        return call(std::move(stop), [&] {
            auto patients = detail::doctor_patients(*connection_, info_.address);
            std::map<Address, std::string> labels;
            for (const auto& a : core::list_accounts(connection_->config())) labels[cv::to_client(a.address)] = a.label;
            std::uint64_t done = 0;
            directory_.annotate(
                patients,
                [&](const Address& patient) {
                    throw_if_cancelled("reading the patients' profiles");
                    if (progress) progress(Progress{"reading the patients' profiles", ++done, patients.size(), "patients"});
                    return patient_profile(patient);
                },
                [&](const Address& patient) -> std::optional<std::string> {
                    const auto it = labels.find(patient);
                    if (it == labels.end()) return std::nullopt;
                    return it->second;
                });
            return patients;
        });
    }

    std::vector<PatientMatch> search_patients(std::string_view query, std::size_t limit, const ProgressFn& progress,
                                              std::stop_token stop) override {
        (void)doctor_patients(progress, stop);
        return call([&] { return directory_.search(query, limit); });
    }

    Json patient_profile(const Address& patient) override {
        return read({}, [&](core::Context& ctx, core::Reader& reader) {
            return core::read_profile(ctx, reader.keyring(), cv::to_eth(patient));
        });
    }

    std::vector<AuditEntry> audit_trail(const Address& patient, const ProgressFn& progress,
                                        std::stop_token stop) override {
        return read(std::move(stop), [&](core::Context& ctx, core::Reader& reader) {
            const auto p = cv::to_eth(patient);
            // A reader without any of the patient's keys (a doctor never approved, or one whose
            // keys were not shared) sees the trail as anyone does: reads logged, not named.
            std::optional<crypto::SecretKey32> log_key;
            try {
                log_key = core::access_log_key(reader.keyring().key(p, 1), p);
            } catch (const core::NoAccessError&) {
            }
            const auto local = connection_->index();
            return local->read(ctx, progress, [&](index::IndexDb& db) {
                std::vector<AuditEntry> out;
                for (const auto& e : index::patient_trail(db, p, log_key ? &*log_key : nullptr)) {
                    AuditEntry a = cv::to_client(e);
                    a.patient = patient;
                    a.confirmed = local->confirmed(ctx, e.block);
                    out.push_back(std::move(a));
                }
                return out;
            });
        });
    }

    std::uint64_t approve(const Address& doctor, unsigned days, std::stop_token stop) override {
        return write(std::move(stop), [&](core::Context& ctx, const eth::PrivateKey& key) {
            const auto expiry = ctx.chain_time() + std::uint64_t{days} * 86400u;
            core::approve(ctx, key, cv::to_eth(doctor), expiry);
            return expiry;
        });
    }

    void deny(const Address& doctor, std::stop_token stop) override {
        write(std::move(stop), [&](core::Context& ctx, const eth::PrivateKey& key) {
            core::deny(ctx, key, cv::to_eth(doctor));
        });
    }

    RevokeResult revoke(const Address& doctor, std::stop_token stop) override {
        return write(std::move(stop), [&](core::Context& ctx, const eth::PrivateKey& key) {
            const auto r = core::revoke(ctx, key, cv::to_eth(doctor));
            RevokeResult out{r.new_epoch, {}};
            for (const auto& k : r.kept) out.kept.push_back(cv::to_client(k));
            return out;
        });
    }

    RevokeResult rotate_key(std::stop_token stop) override {
        return write(std::move(stop), [&](core::Context& ctx, const eth::PrivateKey& key) {
            const auto r = core::rotate_patient_key(ctx, key);
            RevokeResult out{r.new_epoch, {}};
            for (const auto& k : r.kept) out.kept.push_back(cv::to_client(k));
            return out;
        });
    }

    void block_requests(const Address& doctor, std::stop_token stop) override {
        write(std::move(stop), [&](core::Context& ctx, const eth::PrivateKey& key) {
            core::block_requests(ctx, key, cv::to_eth(doctor));
        });
    }

    void unblock_requests(const Address& doctor, std::stop_token stop) override {
        write(std::move(stop), [&](core::Context& ctx, const eth::PrivateKey& key) {
            core::unblock_requests(ctx, key, cv::to_eth(doctor));
        });
    }

    // ---- records and files -------------------------------------------------------------------

    WrittenRecord add_record(const Address& patient, const RecordContent& content, std::stop_token stop) override {
        return write(std::move(stop), [&](core::Context& ctx, const eth::PrivateKey& key, core::Reader& reader) {
            const auto p = cv::to_eth(patient);
            const auto [kind, resource] = resource_of(content, p, key.address());
            return written(patient, kind, core::add_record(ctx, key, reader.keyring(), p, kind, resource));
        });
    }

    std::vector<WrittenRecord> add_records(const Address& patient, const std::vector<RecordContent>& contents,
                                           std::size_t in_flight, const ProgressFn& progress,
                                           std::stop_token stop) override {
        return write(std::move(stop), [&](core::Context& ctx, const eth::PrivateKey& key) {
            const auto p = cv::to_eth(patient);
            const auto inputs = inputs_of(contents, p, key.address());
            const auto added = core::add_records(ctx, key, p, inputs, std::max<std::size_t>(in_flight, 1),
                                                 phase(progress, "adding records", "records"));
            std::vector<WrittenRecord> out;
            out.reserve(added.size());
            for (std::size_t i = 0; i < added.size(); ++i) out.push_back(written(patient, inputs[i].kind, added[i].written));
            return out;
        });
    }

    std::vector<WrittenRecord> add_records_batched(const Address& patient, const std::vector<RecordContent>& contents,
                                                   std::size_t per_transaction, std::size_t in_flight,
                                                   const ProgressFn& progress,
                                                   const RecordsLandedFn& landed, std::stop_token stop) override {
        return write(std::move(stop), [&](core::Context& ctx, const eth::PrivateKey& key) {
            const auto p = cv::to_eth(patient);
            const auto inputs = inputs_of(contents, p, key.address());
            core::BatchLandedFn on_landed;
            if (landed)
                on_landed = [&](std::size_t first, std::span<const core::WrittenRecord> w) {
                    std::vector<WrittenRecord> converted;
                    converted.reserve(w.size());
                    for (std::size_t i = 0; i < w.size(); ++i)
                        converted.push_back(written(patient, inputs[first + i].kind, w[i]));
                    landed(first, converted);
                };
            const auto added = core::add_records_batched(ctx, key, p, inputs, per_transaction, on_landed,
                                                         phase(progress, "adding records", "records"), in_flight);
            std::vector<WrittenRecord> out;
            out.reserve(added.size());
            for (std::size_t i = 0; i < added.size(); ++i) out.push_back(written(patient, inputs[i].kind, added[i]));
            return out;
        });
    }

    WrittenRecord update_record(const Address& patient, std::uint32_t record_id, const RecordContent& content,
                                std::optional<std::uint32_t> expected_version, std::stop_token stop) override {
        return write(std::move(stop), [&](core::Context& ctx, const eth::PrivateKey& key) {
            const auto p = cv::to_eth(patient);
            const auto [kind, resource] = resource_of(content, p, key.address());
            if (expected_version) {
                const auto latest = core::record_history(ctx, p, record_id).back().version;
                if (latest != *expected_version)
                    throw Error(ErrorCode::conflict, "record " + std::to_string(record_id) + " is at version " +
                                                         std::to_string(latest) + ", not " +
                                                         std::to_string(*expected_version) +
                                                         ": someone changed it meanwhile; read it again");
            }
            return written(patient, kind, core::update_record(ctx, key, p, record_id, resource));
        });
    }

    Record show_record(const Address& patient, std::uint32_t record_id, std::optional<std::uint32_t> version) override {
        return read({}, [&](core::Context& ctx, core::Reader& reader) {
            const auto r = core::show_record(ctx, reader, cv::to_eth(patient), record_id, version, reading());
            return Record{cv::to_client(r.info),         r.latest_version,      r.attachments,
                          cv::to_client(r.document.kind), r.document.resource, r.document.created,
                          fhir::summary(r.document.resource)};
        });
    }

    std::vector<RecordListing> list_records(const Address& patient, const ProgressFn& progress,
                                            std::stop_token stop) override {
        return read(std::move(stop), [&](core::Context& ctx, core::Reader& reader) {
            std::vector<RecordListing> out;
            for (const auto& r : core::list_records(ctx, reader, cv::to_eth(patient), reading(),
                                                    phase(progress, "opening records", "records")))
                out.push_back(cv::to_client(r));
            return out;
        });
    }

    AttachedFile attach_file(const Address& patient, const AttachRequest& request, const ProgressFn& progress,
                             std::stop_token stop) override {
        return write(std::move(stop), [&](core::Context& ctx, const eth::PrivateKey& key) {
            core::AttachOptions opt;
            opt.name = request.name;
            opt.content_type = request.content_type;
            opt.type_text = request.type_text;
            opt.progress = phase(progress, "encrypting", "bytes");
            const auto f = core::attach_file(ctx, key, cv::to_eth(patient), request.record_id, request.path, opt);
            return AttachedFile{f.record_id, f.index,   f.file_record_id, to_hex(f.ref.digest), to_hex(f.ref.meta),
                                f.size,      f.name,    f.content_type, to_hex(f.tx_hash)};
        });
    }

    std::vector<FileListing> list_files(const Address& patient, std::optional<std::uint32_t> record_id) override {
        return read({}, [&](core::Context& ctx, core::Reader& reader) {
            std::vector<FileListing> out;
            for (const auto& f : core::list_files(ctx, reader, cv::to_eth(patient), record_id, reading()))
                out.push_back(cv::to_client(f));
            return out;
        });
    }

    PatientExport read_for_export(const Address& patient, const std::filesystem::path& files_to,
                                  const ProgressFn& progress, std::stop_token stop) override {
        return read(stop, [&](core::Context& ctx, core::Reader& reader) {
            const auto p = cv::to_eth(patient);
            // The one logged access (refused here without an active grant), then quiet reads.
            core::log_read(ctx, reader, p, core::AccessTarget::exported, 0, core::record_count(ctx, p),
                           core::ReadOptions{true, false});
            const core::ReadOptions quiet{false, false};
            PatientExport out;
            try {
                out.profile = core::read_profile(ctx, reader.keyring(), p);
            } catch (const Error&) {
                // A reader without the profile's key still exports the records it can open.
            }
            const auto listing = core::list_records(ctx, reader, p, quiet, {});
            std::size_t done = 0;
            for (const auto& l : listing) {
                if (stop.stop_requested()) throw Error(ErrorCode::cancelled, "the export was cancelled");
                if (progress) progress(Progress{"reading records", ++done, listing.size(), "records"});
                if (!l.readable) {
                    ++out.unreadable;
                    continue;
                }
                const auto r = core::show_record(ctx, reader, p, l.record_id, std::nullopt, quiet);
                out.records.push_back(Record{cv::to_client(r.info), r.latest_version, r.attachments,
                                             cv::to_client(r.document.kind), r.document.resource, r.document.created,
                                             fhir::summary(r.document.resource)});
            }
            const auto files = core::list_files(ctx, reader, p, std::nullopt, quiet);
            done = 0;
            for (const auto& f : files) {
                if (stop.stop_requested()) throw Error(ErrorCode::cancelled, "the export was cancelled");
                if (progress) progress(Progress{"decrypting files", ++done, files.size(), "files"});
                if (!f.description) {
                    ++out.unreadable_files;
                    continue;
                }
                if (files_to.empty()) continue;
                core::FetchOptions opt;
                opt.log_access = false;
                const auto path = files_to / (std::to_string(f.record_id) + "-" + std::to_string(f.index));
                (void)core::fetch_file(ctx, reader, p, f.record_id, f.index, path, opt);
                out.files.push_back(ExportedFile{cv::to_client(f), path});
            }
            return out;
        });
    }

    FetchedFile fetch_file(const Address& patient, std::uint32_t record_id, std::uint32_t index,
                           const std::filesystem::path& destination, bool overwrite, const ProgressFn& progress,
                           std::stop_token stop) override {
        return read(std::move(stop), [&](core::Context& ctx, core::Reader& reader) {
            core::FetchOptions opt;
            opt.overwrite = overwrite;
            opt.log_once = true;
            opt.progress = phase(progress, "decrypting", "bytes");
            const auto f = core::fetch_file(ctx, reader, cv::to_eth(patient), record_id, index, destination, opt);
            return FetchedFile{f.path, f.size, to_hex(f.ref.digest)};
        });
    }

};

}  // namespace

std::unique_ptr<Account> make_account(std::shared_ptr<Connection> connection, AccountInfo info, eth::PrivateKey key) {
    return std::make_unique<AccountImpl>(std::move(connection), std::move(info), std::move(key));
}

}  // namespace dossier::client::detail
