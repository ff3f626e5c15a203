// export_fhir: a patient's records (latest versions) out as a FHIR Bundle (with provenance and
// files), NDJSON, an International Patient Summary or a PDF summary, read through the Account as
// one audited access (Account::read_for_export).
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>

#include "base/atomic_file.hpp"
#include "dossier/client/connection.hpp"
#include "dossier/client/export_parts.hpp"
#include "dossier/client/fhir_io.hpp"
#include "dossier/fhir_source.hpp"
#include "dossier/record_document.hpp"
#include "fhir/base64.hpp"

namespace dossier::client {

namespace {

using detail::ExportEntry;

/// A directory for the plaintext of files while an export runs (mode 0700), removed after.
class Scratch {
public:
    explicit Scratch(const std::filesystem::path& beside) {
        path_ = beside / (".dossier-export-" + std::to_string(::getpid()));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
        std::filesystem::permissions(path_, std::filesystem::perms::owner_all);
    }
    ~Scratch() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

std::string read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// A plain file name from what a file's description says (no directories, no dot files).
std::string safe_name(const std::string& name) {
    std::string out;
    for (const char c : name) out += (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 32) ? '_' : c;
    while (!out.empty() && out.front() == '.') out.erase(0, 1);
    return out.empty() ? "file" : out;
}

std::filesystem::path absolute_of(const std::filesystem::path& p) {
    return std::filesystem::absolute(p).lexically_normal();
}

/// The collection Bundle: Patient, records, files, and the Provenance of each write.
Json collection_bundle(Client& client, const ExportOptions& options, const PatientExport& data,
                       ExportReport& report) {
    const Address& patient = options.patient;
    Json entries = Json::array();
    const auto add = [&](const std::string& url, Json resource) {
        entries.push_back(Json{{"fullUrl", url}, {"resource", std::move(resource)}});
    };
    if (data.profile) add(detail::entry_url(patient, "patient"), *data.profile);
    std::vector<Json> provenances;
    const auto written_by = [&](detail::ChainWrite w) {
        w.author_name = client.display_name(w.author);
        provenances.push_back(detail::provenance(w));
    };
    std::map<std::uint32_t, const Record*> by_id;
    for (const auto& r : data.records) by_id[r.info.record_id] = &r;
    const bool beside = !options.files_dir.empty();
    // Files: a Binary each (or a file in files_dir); one inside its record's resource stays there.
    std::map<std::uint32_t, std::string> file_url;  // file record id -> where its file went
    for (const auto& f : data.files) {
        const std::string bytes = read_bytes(f.path);
        std::filesystem::remove(f.path);
        const auto it = by_id.find(f.listing.record_id);
        if (it != by_id.end() && it->second->kind != RecordKind::file) {
            const auto inline_files = core::inline_files(it->second->resource);
            if (std::any_of(inline_files.begin(), inline_files.end(), [&](const auto& i) { return i.bytes == bytes; }))
                continue;
        }
        const std::string what = "file/" + std::to_string(f.listing.record_id) + "/" + std::to_string(f.listing.index);
        std::string url = detail::entry_url(patient, what);
        const std::string content_type = f.listing.content_type.value_or("application/octet-stream");
        if (beside) {
            const auto name = std::to_string(f.listing.record_id) + "-" + std::to_string(f.listing.index) + "-" +
                              safe_name(f.listing.name.value_or("file"));
            const auto target = options.files_dir / name;
            write_file_atomic(target, ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 0600,
                              options.overwrite ? Overwrite::allow : Overwrite::forbid);
            url = absolute_of(target).lexically_relative(absolute_of(options.out).parent_path()).generic_string();
        } else {
            add(url, Json{{"resourceType", "Binary"},
                          {"id", "file-" + std::to_string(f.listing.record_id) + "-" + std::to_string(f.listing.index)},
                          {"contentType", content_type},
                          {"data", fhir::base64_encode(bytes)}});
            written_by(detail::ChainWrite{"file-" + std::to_string(f.listing.record_id) + "-" +
                                              std::to_string(f.listing.index),
                                          url, "file " + std::to_string(f.listing.index) + " of record " +
                                                   std::to_string(f.listing.record_id),
                                          f.listing.author, {}, f.listing.timestamp, f.listing.tx, true});
        }
        if (f.listing.file_record_id) file_url[*f.listing.file_record_id] = url;
        ++report.files;
    }
    // Records: a file record (a DocumentReference naming a file object of this store) is kept
    // only when its file is beside the bundle, naming it there; otherwise its Binary stands in.
    for (const auto& r : data.records) {
        Json resource = r.resource;
        if (r.kind == RecordKind::file) {
            const auto it = file_url.find(r.info.record_id);
            if (!beside || it == file_url.end()) continue;
            for (auto& c : resource["content"])
                if (c.contains("attachment")) c["attachment"]["url"] = it->second;
        }
        const std::string url = detail::entry_url(patient, "record/" + std::to_string(r.info.record_id));
        add(url, std::move(resource));
        for (const auto& v : client.record_history(patient, r.info.record_id))
            written_by(detail::ChainWrite{"record-" + std::to_string(v.record_id) + "-v" + std::to_string(v.version),
                                          url, "record " + std::to_string(v.record_id) + " version " +
                                                   std::to_string(v.version),
                                          v.author, {}, v.timestamp, v.tx, v.version == 1});
    }
    report.provenances = provenances.size();
    for (auto& p : provenances) {
        const std::string url = detail::entry_url(patient, "provenance/" + p.value("id", std::string()));
        add(url, std::move(p));
    }
    return Json{{"resourceType", "Bundle"},
                {"type", "collection"},
                {"timestamp", detail::iso_instant(static_cast<std::uint64_t>(std::time(nullptr)))},
                {"entry", std::move(entries)}};
}

/// The IPS document Bundle: Composition, Patient, then the resources its sections list.
Json ips_bundle(Client& client, Account& account, const ExportOptions& options, const PatientExport& data) {
    const Address& patient = options.patient;
    const auto now = static_cast<std::uint64_t>(std::time(nullptr));
    const std::string patient_url = detail::entry_url(patient, "patient");
    Json patient_resource = data.profile.value_or(
        Json{{"resourceType", "Patient"},
             {"identifier", Json::array({Json{{"system", detail::kAccountSystem}, {"value", patient.checksum()}}})}});
    std::vector<ExportEntry> entries;
    for (const auto& r : data.records)
        if (detail::in_ips_section(r.resource))
            entries.push_back(ExportEntry{detail::entry_url(patient, "record/" + std::to_string(r.info.record_id)),
                                          r.resource});
    const std::string composition_url = detail::entry_url(patient, "ips/" + std::to_string(now));
    Json bundle = {{"resourceType", "Bundle"},
                   {"identifier", {{"system", "urn:ietf:rfc:3986"}, {"value", composition_url}}},
                   {"type", "document"},
                   {"timestamp", detail::iso_instant(now)},
                   {"entry", Json::array()}};
    bundle["entry"].push_back(
        Json{{"fullUrl", composition_url},
             {"resource", detail::ips_composition(patient_url, account.address(),
                                                  client.display_name(account.address()), entries, now)}});
    bundle["entry"].push_back(Json{{"fullUrl", patient_url}, {"resource", std::move(patient_resource)}});
    for (auto& e : entries) bundle["entry"].push_back(Json{{"fullUrl", e.url}, {"resource", std::move(e.resource)}});
    return bundle;
}

}  // namespace

std::string_view export_format_name(ExportFormat format) noexcept {
    switch (format) {
        case ExportFormat::bundle: return "bundle";
        case ExportFormat::ndjson: return "ndjson";
        case ExportFormat::pdf: return "pdf";
        case ExportFormat::ips: return "ips";
    }
    return "bundle";
}

ExportFormat parse_export_format(std::string_view text) {
    for (const auto f : {ExportFormat::bundle, ExportFormat::ndjson, ExportFormat::pdf, ExportFormat::ips})
        if (export_format_name(f) == text) return f;
    throw Error(ErrorCode::invalid_input,
                "'" + std::string(text) + "' is not an export format (bundle, ndjson, pdf, ips)");
}

ExportReport export_fhir(Client& client, Account& account, const ExportOptions& options, const ProgressFn& progress,
                         std::stop_token stop) {
    return detail::call(stop, [&] {
        if (options.out.empty()) throw Error(ErrorCode::invalid_input, "an export needs the file to write");
        if (!options.overwrite && std::filesystem::exists(options.out))
            throw Error(ErrorCode::already_exists, options.out.string() + " exists; choose another file or overwrite it");
        const bool with_files = options.format == ExportFormat::bundle;
        if (!options.files_dir.empty()) {
            if (!with_files) throw Error(ErrorCode::invalid_input, "--files-dir goes with the bundle format only");
            std::filesystem::create_directories(options.files_dir);
            std::filesystem::permissions(options.files_dir, std::filesystem::perms::owner_all);
        }
        std::optional<Scratch> scratch;
        if (with_files) scratch.emplace(absolute_of(options.out).parent_path());
        const PatientExport data =
            account.read_for_export(options.patient, scratch ? scratch->path() : std::filesystem::path(), progress, stop);
        ExportReport report;
        report.out = options.out;
        report.format = options.format;
        report.records = data.records.size();
        report.unreadable = data.unreadable;

        std::string bytes;
        switch (options.format) {
            case ExportFormat::pdf: bytes = detail::summary_pdf_of(client, options.patient, data.profile, data.records); break;
            case ExportFormat::ndjson:
                if (data.profile) bytes += data.profile->dump(-1, ' ', false, Json::error_handler_t::strict) + "\n";
                for (const auto& r : data.records) bytes += r.resource.dump(-1, ' ', false, Json::error_handler_t::strict) + "\n";
                break;
            case ExportFormat::ips:
                bytes = ips_bundle(client, account, options, data).dump(1, ' ', false, Json::error_handler_t::strict) + "\n";
                break;
            case ExportFormat::bundle:
                bytes = collection_bundle(client, options, data, report)
                            .dump(1, ' ', false, Json::error_handler_t::strict) +
                        "\n";
                break;
        }
        write_file_atomic(options.out, ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 0600,
                          options.overwrite ? Overwrite::allow : Overwrite::forbid);
        report.bytes = bytes.size();
        return report;
    });
}

}  // namespace dossier::client
