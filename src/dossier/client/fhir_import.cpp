// import_fhir: a FHIR Bundle or NDJSON in, records out, through the Account's own calls (the
// same writes as `record add` and `file attach`), with a journal so that nothing is added twice.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <fstream>
#include <set>

#include "base/atomic_file.hpp"
#include "dossier/client/connection.hpp"
#include "dossier/client/fhir_io.hpp"
#include "dossier/fhir_source.hpp"
#include "dossier/import_journal.hpp"
#include "dossier/record_document.hpp"
#include "fhir/validate.hpp"

namespace dossier::client {

namespace {

using Clock = std::chrono::steady_clock;

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string label_of(const Json& r) {
    const std::string type = r.value("resourceType", std::string());
    const std::string id = r.value("id", std::string());
    return id.empty() ? type : type + "/" + id;
}

/// The family names and the birth date and gender a Patient resource gives.
struct PersonFacts {
    std::set<std::string> families;
    std::string birth_date, gender;
};

PersonFacts facts_of(const Json& patient) {
    PersonFacts f;
    if (const auto names = patient.find("name"); names != patient.end() && names->is_array())
        for (const auto& n : *names)
            if (n.is_object() && n.contains("family") && n["family"].is_string())
                f.families.insert(lower(n["family"].get<std::string>()));
    f.birth_date = patient.value("birthDate", std::string());
    f.gender = patient.value("gender", std::string());
    return f;
}

/// Why the Patient resource of the input is not the patient registered as `profile`; "" if it is.
/// Only what both say is compared: a source without a birth date is not a mismatch.
std::string mismatch(const Json& input, const Json& profile) {
    const PersonFacts a = facts_of(input), b = facts_of(profile);
    if (!a.birth_date.empty() && !b.birth_date.empty() && a.birth_date != b.birth_date)
        return "born " + a.birth_date + ", the patient " + b.birth_date;
    if (!a.gender.empty() && !b.gender.empty() && a.gender != "unknown" && b.gender != "unknown" && a.gender != b.gender)
        return "gender " + a.gender + ", the patient " + b.gender;
    if (!a.families.empty() && !b.families.empty()) {
        bool shared = false;
        for (const auto& n : a.families) shared = shared || b.families.count(n) > 0;
        if (!shared) return "family name " + *a.families.begin() + ", the patient " + *b.families.begin();
    }
    return {};
}

/// Where a reference leads: a patient to import for, or the refusal of every resource naming it.
struct Target {
    std::optional<Address> patient;
    RefusalReason reason = RefusalReason::unknown_patient;
    std::string message;
};

enum class Role { record, binary };

/// One resource on its way in.
struct Item {
    std::size_t index = 0;  ///< in the input
    std::string where, label, digest;
    Json resource;
    Role role = Role::record;
    Address patient;
    std::vector<core::InlineFile> files;
};

/// The temporary plaintext of an inline file while it is attached (the import's input holds
/// the same bytes in the clear already): mode 0600 in the data directory, removed after.
class TempFile {
public:
    TempFile(const std::filesystem::path& dir, const std::string& bytes) {
        static std::atomic<unsigned> counter{0};
        path_ = dir / ("attach-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        write_file_atomic(path_, ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 0600);
    }
    ~TempFile() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

/// The most records one transaction holds: PatientContract.MAX_BATCH.
constexpr std::size_t kMaxBatch = 256;
/// Transactions' worth of records handed to the library at once: enough for its pipeline (a few
/// transactions in flight) to stay full, few enough that the journal's "sending" lines stay short.
constexpr std::size_t kTransactionsPerWrite = 32;

/// The one place records are written: addRecords transactions of `batch` records each, reported
/// to `landed` as each is confirmed, or with `per_record` the pipelined addRecord per record,
/// reported together at the end. The journal brackets it: what `landed` is given is journaled
/// as added.
void write_records(Account& account, const Address& patient, const std::vector<Item*>& items,
                   const ImportOptions& options, const ProgressFn& progress, const Account::RecordsLandedFn& landed) {
    std::vector<RecordContent> contents;
    contents.reserve(items.size());
    for (const Item* item : items) contents.push_back(RecordContent{std::nullopt, std::nullopt, item->resource});
    if (options.per_record) {
        landed(0, account.add_records(patient, contents, options.in_flight ? options.in_flight : 16, progress));
        return;
    }
    (void)account.add_records_batched(patient, contents, std::clamp<std::size_t>(options.batch, 1, kMaxBatch),
                                      options.in_flight ? options.in_flight : 8, progress, landed);
}

class Importer {
public:
    Importer(Client& client, Account& account, const ImportOptions& options, const ProgressFn& progress)
        : client_(client), account_(account), options_(options), progress_(progress) {}

    ImportReport run() {
        const auto started = Clock::now();
        report_.dry_run = options_.dry_run;
        const std::filesystem::path dir =
            (client_.config().data_dir.empty() ? default_data_dir() : client_.config().data_dir) / "import";
        journal_ = std::make_unique<core::ImportJournal>(dir / "journal.jsonl");
        temp_dir_ = dir;
        report_.journal = journal_->file();

        const auto source = core::read_fhir_source(options_.file);
        report_.resources = source.size();
        total_ = source.size();
        resolve_patients(source);
        classify(source);
        if (!options_.dry_run) {
            settle_in_doubt();
            write();
        } else {
            for (const auto& item : items_) {
                if (journal_->find(item.patient.hex(), item.digest)) {
                    ++report_.skipped;
                } else {
                    ++report_.added;
                    report_.files += item.files.size();
                }
                tick();
            }
        }
        report_.seconds = std::chrono::duration<double>(Clock::now() - started).count();
        return report_;
    }

private:
    void tick(std::size_t n = 1) {
        done_ += n;
        if (progress_) progress_(Progress{options_.dry_run ? "checking" : "importing", done_, total_, "records"});
    }

    void refuse(const std::string& where, const std::string& label, RefusalReason reason, std::string message) {
        report_.refused.push_back(ImportRefusal{where, label, reason, std::move(message)});
        tick();
    }

    /// The Patient resources of the input, each checked against the patient it is imported for;
    /// every text another resource may use to name it then leads there (or to its refusal).
    void resolve_patients(const std::vector<core::SourceResource>& source) {
        for (const auto& [ref, address] : options_.patients) refs_[ref] = Target{address, {}, {}};
        for (const auto& s : source) {
            if (!s.resource || s.resource->value("resourceType", "") != "Patient") continue;
            const Json& p = *s.resource;
            const auto aliases = core::patient_aliases(p, s.full_url);
            has_patients_ = true;
            std::optional<Address> target;
            if (options_.patients.empty()) {
                target = options_.patient;
            } else {
                for (const auto& a : aliases)
                    if (const auto it = options_.patients.find(a); it != options_.patients.end()) target = it->second;
            }
            Target t;
            if (!target) {
                t.message = "names " + label_of(p) + ", which the patient mapping does not name";
            } else if (const auto issues = fhir::validate(p); !issues.empty()) {
                t.reason = RefusalReason::invalid_resource;
                t.message = "names " + label_of(p) + ", an invalid Patient (" + issues.front().to_string() + ")";
            } else {
                try {
                    const Json profile = profile_of(*target);
                    const std::string why = mismatch(p, profile);
                    if (why.empty()) {
                        t.patient = target;
                    } else {
                        t.reason = RefusalReason::patient_mismatch;
                        t.message = label_of(p) + " is not " + client_.display_name(*target) + ": " + why;
                    }
                } catch (const Error& e) {
                    t.reason = RefusalReason::no_access;
                    t.message = "cannot read the profile of " + client_.display_name(*target) + ": " + e.what();
                }
            }
            for (const auto& a : aliases) refs_[a] = t;
            // The Patient resource itself is not a record: checked, or refused with its reason.
            if (t.patient) {
                ++report_.patients_checked;
                tick();
            } else {
                refuse(s.where, label_of(p), t.reason, t.message);
            }
        }
    }

    Json profile_of(const Address& patient) {
        auto it = profiles_.find(patient);
        if (it == profiles_.end()) it = profiles_.emplace(patient, account_.patient_profile(patient)).first;
        return it->second;
    }

    /// The patient `resource` goes to, or why it goes nowhere.
    Target target_of(const Json& resource) {
        std::optional<std::string> ref = core::patient_reference(resource);
        if (!ref && resource.value("resourceType", "") == "Binary" && resource.contains("securityContext"))
            ref = resource["securityContext"].value("reference", std::string());
        if (ref && !ref->empty()) {
            if (const auto it = refs_.find(*ref); it != refs_.end()) return it->second;
            // "http://server/fhir/Patient/1" names what "Patient/1" does.
            if (const auto pos = ref->rfind("/Patient/"); pos != std::string::npos)
                if (const auto it = refs_.find(ref->substr(pos + 1)); it != refs_.end()) return it->second;
            if (!options_.patients.empty())
                return Target{std::nullopt, RefusalReason::unknown_patient,
                              "names " + *ref + ", which the patient mapping does not name"};
            if (has_patients_)
                return Target{std::nullopt, RefusalReason::unknown_patient,
                              "names " + *ref + ", not the Patient of this file"};
        }
        if (options_.patient) return Target{options_.patient, {}, {}};
        return Target{std::nullopt, RefusalReason::unknown_patient, "names no patient the mapping knows"};
    }

    void classify(const std::vector<core::SourceResource>& source) {
        std::set<std::pair<Address, std::string>> seen;  // the same resource twice in one file
        for (std::size_t i = 0; i < source.size(); ++i) {
            const auto& s = source[i];
            if (!s.resource) {
                refuse(s.where, "", RefusalReason::invalid_resource, s.error);
                continue;
            }
            const Json& r = *s.resource;
            const std::string type = r.value("resourceType", "");
            if (type == "Patient") continue;  // resolve_patients() counted it
            Item item;
            item.index = i;
            item.where = s.where;
            item.label = label_of(r);
            if (type == "Binary") {
                item.role = Role::binary;
                if (!r.contains("data")) {
                    refuse(s.where, item.label, RefusalReason::not_a_record, "a Binary without data holds nothing to keep");
                    continue;
                }
            } else {
                try {
                    const auto kind = core::kind_of_resource(r);
                    if (kind == core::RecordKind::file) {
                        refuse(s.where, item.label, RefusalReason::not_a_record,
                               "a reference to a file object of another Dossier store; export files with their content");
                        continue;
                    }
                } catch (const core::InvalidRecordDocumentError& e) {
                    refuse(s.where, item.label, RefusalReason::not_a_record, e.what());
                    continue;
                }
            }
            if (const auto issues = fhir::validate(r); !issues.empty()) {
                std::string message = issues.front().to_string();
                if (issues.size() > 1) message += " (and " + std::to_string(issues.size() - 1) + " more)";
                refuse(s.where, item.label, RefusalReason::invalid_resource, message);
                continue;
            }
            try {
                item.files = core::inline_files(r);
            } catch (const Error& e) {
                refuse(s.where, item.label, RefusalReason::invalid_resource, e.what());
                continue;
            }
            const Target t = target_of(r);
            if (!t.patient) {
                refuse(s.where, item.label, t.reason, t.message);
                continue;
            }
            item.patient = *t.patient;
            item.digest = core::resource_digest(r);
            item.resource = r;
            if (!seen.insert({item.patient, item.digest}).second) {
                ++report_.skipped;
                tick();
                continue;
            }
            items_.push_back(std::move(item));
        }
    }

    /// Digests journaled as sending but never confirmed: the process died between sending and
    /// journaling the receipt. The records the importer wrote after the batch's `before` are read
    /// back; those whose resource has a digest in doubt are journaled as added, not sent again.
    void settle_in_doubt() {
        std::set<Address> patients;
        for (const auto& item : items_) patients.insert(item.patient);
        for (const auto& patient : patients) {
            const auto doubt = journal_->in_doubt(patient.hex());
            if (doubt.empty()) continue;
            std::uint32_t from = UINT32_MAX;
            for (const auto& [digest, e] : doubt) from = std::min(from, e.before);
            // Binary resources are files: their file record names the file as the import did.
            std::map<std::string, std::string> binary_names;  // file name -> digest
            for (const auto& item : items_)
                if (item.patient == patient && item.role == Role::binary && doubt.count(item.digest))
                    binary_names[binary_name(item)] = item.digest;
            const std::uint32_t count = client_.patient(patient).records;
            std::vector<std::pair<std::string, std::uint32_t>> found;
            for (std::uint32_t id = from + 1; id <= count; ++id) {
                const auto history = client_.record_history(patient, id);
                if (history.empty() || history.front().author != account_.address()) continue;
                const Record record = account_.show_record(patient, id, 1);
                if (record.kind == RecordKind::file) {
                    const auto file = core::describe_file(record.resource);
                    if (const auto it = binary_names.find(file ? file->name : std::string()); it != binary_names.end())
                        found.emplace_back(it->second, id);
                    continue;
                }
                const std::string digest = core::resource_digest(record.resource);
                if (doubt.count(digest)) found.emplace_back(digest, id);
            }
            if (!found.empty()) journal_->added(patient.hex(), found);
            report_.settled += found.size();
        }
    }

    static std::string binary_name(const Item& item) {
        return item.files.empty() ? item.label : item.files.front().name + "-" + item.digest.substr(0, 12);
    }

    void write() {
        // Per patient, in input order, `batch` records at a time.
        std::map<Address, std::vector<Item*>> by_patient;
        for (auto& item : items_) by_patient[item.patient].push_back(&item);
        for (auto& entry : by_patient) {
            // Named copies, not structured bindings: a lambda below captures them (C++20 allows
            // capturing bindings, clang 14 does not).
            const Address& patient = entry.first;
            std::vector<Item*>& items = entry.second;
            std::vector<Item*> pending;
            bool denied = false;
            std::string denial;
            const auto flush = [&] {
                if (pending.empty()) return;
                if (denied) {
                    for (Item* item : pending) refuse(item->where, item->label, RefusalReason::no_access, denial);
                    pending.clear();
                    return;
                }
                std::size_t landed = 0;
                try {
                    landed = write_batch(patient, pending);
                } catch (const BatchFailed& f) {
                    landed = f.landed;
                    if (f.code != ErrorCode::permission_denied && f.code != ErrorCode::access_expired &&
                        f.code != ErrorCode::suspended)
                        std::rethrow_exception(f.error);
                    denied = true;
                    denial = f.message;
                    for (std::size_t i = landed; i < pending.size(); ++i)
                        refuse(pending[i]->where, pending[i]->label, RefusalReason::no_access, denial);
                }
                pending.clear();
            };
            for (Item* item : items) {
                const auto* known = journal_->find(patient.hex(), item->digest);
                if (known && known->state == core::ImportJournal::Entry::State::added) {
                    // Added before; its inline files may not all be (killed between two attaches).
                    if (!denied && item->role == Role::record && known->files.size() < item->files.size())
                        attach_inline(patient, *item, known->record_id, known->files, true);
                    ++report_.skipped;
                    tick();
                    continue;
                }
                if (item->role == Role::binary) {
                    flush();
                    if (denied) {
                        refuse(item->where, item->label, RefusalReason::no_access, denial);
                        continue;
                    }
                    try {
                        write_binary(patient, *item);
                    } catch (const Error& e) {
                        if (e.code() != ErrorCode::permission_denied) throw;
                        denied = true;
                        denial = e.what();
                        refuse(item->where, item->label, RefusalReason::no_access, denial);
                    }
                    continue;
                }
                pending.push_back(item);
                if (pending.size() >= std::clamp<std::size_t>(options_.batch, 1, kMaxBatch) * kTransactionsPerWrite)
                    flush();
            }
            flush();
        }
    }

    /// A write of many records failed after `landed` of them (in input order) were confirmed and
    /// journaled.
    struct BatchFailed {
        std::exception_ptr error;
        ErrorCode code;
        std::string message;
        std::size_t landed;
    };

    /// Writes `items` (journaled as sending first, as added as each transaction lands), then
    /// attaches their inline files. Returns how many landed (all); throws BatchFailed.
    std::size_t write_batch(const Address& patient, const std::vector<Item*>& items) {
        std::vector<std::string> digests;
        for (const Item* item : items) digests.push_back(item->digest);
        journal_->sending(patient.hex(), digests, client_.patient(patient).records);
        const std::size_t base = done_;
        std::vector<std::uint32_t> ids;  // of the items landed so far, in input order
        try {
            write_records(
                account_, patient, items, options_,
                [&](const Progress& p) {
                    if (progress_) progress_(Progress{"importing", base + p.done, total_, "records"});
                },
                [&](std::size_t first, const std::vector<WrittenRecord>& written) {
                    std::vector<std::pair<std::string, std::uint32_t>> added;
                    for (std::size_t i = 0; i < written.size(); ++i) {
                        added.emplace_back(items[first + i]->digest, written[i].record_id);
                        ids.push_back(written[i].record_id);
                    }
                    journal_->added(patient.hex(), added);
                });
        } catch (const Error& e) {
            report_landed(patient, items, ids);
            throw BatchFailed{std::current_exception(), e.code(), e.what(), ids.size()};
        }
        report_landed(patient, items, ids);
        return ids.size();
    }

    /// Counts the first ids.size() items as added and attaches their inline files.
    void report_landed(const Address& patient, const std::vector<Item*>& items, const std::vector<std::uint32_t>& ids) {
        for (std::size_t i = 0; i < ids.size(); ++i) {
            Item& item = *items[i];
            report_.records.push_back(ImportedRecord{item.where, item.label, patient, ids[i], 0});
            ++report_.added;
            if (!item.files.empty()) attach_inline(patient, item, ids[i], {}, false);
            tick();
        }
    }

    /// The inline files of an added record, each attached once: the journal names those attached,
    /// and after an interruption the record's attachments on chain are compared by name too.
    void attach_inline(const Address& patient, const Item& item, std::uint32_t record_id, std::set<std::string> have,
                       bool resumed) {
        if (resumed)  // an attach may have been mined after the last journaled one
            for (const auto& f : account_.list_files(patient, record_id))
                if (f.name) have.insert(*f.name);
        std::size_t attached = 0;
        for (const auto& f : item.files) {
            if (have.count(f.name)) continue;
            const TempFile temp(temp_dir_, f.bytes);
            AttachRequest request;
            request.record_id = record_id;
            request.path = temp.path();
            request.name = f.name;
            request.content_type = f.content_type;
            request.type_text = "Imported from " + item.label;
            (void)account_.attach_file(patient, request);
            journal_->file_attached(patient.hex(), item.digest, f.name);
            have.insert(f.name);
            ++attached;
        }
        report_.files += attached;
        if (!report_.records.empty() && report_.records.back().record_id == record_id)
            report_.records.back().files += attached;
    }

    void write_binary(const Address& patient, Item& item) {
        journal_->sending(patient.hex(), {item.digest}, client_.patient(patient).records);
        const auto& f = item.files.front();
        const TempFile temp(temp_dir_, f.bytes);
        AttachRequest request;
        request.path = temp.path();
        request.name = binary_name(item);
        request.content_type = f.content_type;
        request.type_text = "Imported from " + item.label;
        const AttachedFile attached = account_.attach_file(patient, request);
        journal_->added(patient.hex(), {{item.digest, attached.file_record_id}});
        report_.records.push_back(ImportedRecord{item.where, item.label, patient, attached.file_record_id, 1});
        ++report_.added;
        ++report_.files;
        tick();
    }

    Client& client_;
    Account& account_;
    const ImportOptions& options_;
    const ProgressFn& progress_;
    ImportReport report_;
    std::unique_ptr<core::ImportJournal> journal_;
    std::filesystem::path temp_dir_;
    std::map<std::string, Target> refs_;
    std::map<Address, Json> profiles_;
    bool has_patients_ = false;
    std::vector<Item> items_;
    std::size_t done_ = 0, total_ = 0;
};

}  // namespace

std::string_view refusal_name(RefusalReason reason) noexcept {
    switch (reason) {
        case RefusalReason::invalid_resource: return "invalid-resource";
        case RefusalReason::unknown_patient: return "unknown-patient";
        case RefusalReason::patient_mismatch: return "patient-mismatch";
        case RefusalReason::no_access: return "no-access";
        case RefusalReason::not_a_record: return "not-a-record";
    }
    return "invalid-resource";
}

ImportReport import_fhir(Client& client, Account& account, const ImportOptions& options, const ProgressFn& progress,
                         std::stop_token stop) {
    return detail::call(std::move(stop), [&] {
        if (!options.patient && options.patients.empty())
            throw Error(ErrorCode::invalid_input, "an import needs the patient it is for, or a patient mapping");
        return Importer(client, account, options, progress).run();
    });
}

std::map<std::string, Address> load_patient_mapping(Client& client, const std::filesystem::path& file) {
    return detail::call([&] {
        std::ifstream in(file);
        if (!in) throw Error(ErrorCode::io, "cannot read the patient mapping " + file.string());
        const Json j = Json::parse(in, nullptr, false);
        if (j.is_discarded() || !j.is_object() || j.empty())
            throw Error(ErrorCode::invalid_input,
                        file.string() + " is not a patient mapping: a JSON object such as "
                                        "{\"Patient/123\": \"alice\", \"urn:uuid:...\": \"0x...\"}");
        std::map<std::string, Address> out;
        for (const auto& [ref, who] : j.items()) {
            if (!who.is_string())
                throw Error(ErrorCode::invalid_input, "the patient mapping's " + ref + " is not a label or an address");
            out[ref] = client.resolve(who.get<std::string>());
        }
        return out;
    });
}

}  // namespace dossier::client
