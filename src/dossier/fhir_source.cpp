#include "dossier/fhir_source.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include "base/error.hpp"
#include "base/hex.hpp"
#include "fhir/base64.hpp"
#include "ipfs/sha256.hpp"

namespace dossier::core {

namespace {

using fhir::Json;

const char* const kBundleTypes[] = {"collection", "transaction", "batch", "searchset", "document"};

bool importable_bundle_type(const std::string& type) {
    for (const char* t : kBundleTypes)
        if (type == t) return true;
    return false;
}

/// A Bundle's entries (nested Bundles flattened: a searchset may hold a document).
void flatten(const Json& bundle, const std::string& prefix, std::vector<SourceResource>& out) {
    const std::string type = bundle.value("type", std::string());
    if (!importable_bundle_type(type))
        throw Error(ErrorCode::invalid_input, "a Bundle of type '" + type +
                                                  "' is not imported (collection, transaction, batch, searchset "
                                                  "and document are)");
    const auto entries = bundle.find("entry");
    if (entries == bundle.end()) return;
    if (!entries->is_array()) throw Error(ErrorCode::invalid_input, "the Bundle's entry is not an array");
    for (std::size_t i = 0; i < entries->size(); ++i) {
        const Json& e = (*entries)[i];
        SourceResource s;
        s.where = prefix + "entry " + std::to_string(i + 1);
        if (e.is_object()) s.full_url = e.value("fullUrl", std::string());
        const auto r = e.is_object() ? e.find("resource") : e.end();
        if (!e.is_object() || r == e.end() || !r->is_object() || !r->contains("resourceType") ||
            !(*r)["resourceType"].is_string()) {
            // A transaction's DELETE entries carry no resource: nothing to import, nothing to refuse.
            if (e.is_object() && e.contains("request") && r == e.end()) continue;
            s.error = "the entry holds no resource with a resourceType";
            out.push_back(std::move(s));
            continue;
        }
        if ((*r)["resourceType"] == "Bundle") {
            flatten(*r, s.where + ", ", out);
            continue;
        }
        s.resource = *r;
        out.push_back(std::move(s));
    }
}

/// base64Binary with the whitespace R4 allows between groups taken out.
std::optional<std::string> decode_data(const std::string& text) {
    std::string s;
    s.reserve(text.size());
    for (const char c : text)
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') s += c;
    return fhir::base64_decode(s);
}

std::string read_all(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(ErrorCode::io, "cannot read " + file.string());
    std::stringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw Error(ErrorCode::io, "cannot read " + file.string());
    return ss.str();
}

std::string reference_of(const Json& ref) {
    if (!ref.is_object()) return {};
    if (const auto r = ref.find("reference"); r != ref.end() && r->is_string()) return r->get<std::string>();
    if (const auto id = ref.find("identifier"); id != ref.end() && id->is_object() && id->contains("value")) {
        const std::string value = id->value("value", std::string());
        const std::string system = id->value("system", std::string());
        return "identifier:" + (system.empty() ? value : system + "|" + value);
    }
    return {};
}

void find_attachments(const Json& v, const std::string& path, const std::string& owner, std::vector<InlineFile>& out) {
    if (v.is_object()) {
        const auto data = v.find("data");
        if (data != v.end() && data->is_string() && !path.empty()) {
            auto bytes = decode_data(data->get<std::string>());
            if (!bytes) throw Error(ErrorCode::invalid_input, path + ".data is not base64");
            InlineFile f;
            f.path = path;
            f.content_type = v.value("contentType", std::string());
            f.name = v.value("title", std::string());
            if (f.name.empty()) f.name = owner + "-" + path;
            f.bytes = std::move(*bytes);
            out.push_back(std::move(f));
        }
        for (const auto& [k, child] : v.items())
            find_attachments(child, path.empty() ? k : path + "." + k, owner, out);
    } else if (v.is_array()) {
        for (std::size_t i = 0; i < v.size(); ++i)
            find_attachments(v[i], path + "[" + std::to_string(i) + "]", owner, out);
    }
}

}  // namespace

std::vector<SourceResource> read_fhir_source(const std::filesystem::path& file) {
    const std::string text = read_all(file);
    std::vector<SourceResource> out;
    // A whole-file JSON document first (a Bundle or one resource, pretty-printed or not).
    Json whole = Json::parse(text, nullptr, false);
    if (!whole.is_discarded()) {
        if (!whole.is_object() || !whole.contains("resourceType") || !whole["resourceType"].is_string())
            throw Error(ErrorCode::invalid_input, file.string() + " is JSON but not a FHIR resource (no resourceType)");
        if (whole["resourceType"] == "Bundle") {
            flatten(whole, "", out);
        } else {
            out.push_back(SourceResource{"the file", "", std::move(whole), ""});
        }
        return out;
    }
    // NDJSON: one resource a line; blank lines are allowed (a trailing newline is common).
    std::size_t line_no = 0, start = 0, json_lines = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + start, end - start);
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find_first_not_of(" \t") != std::string_view::npos) {
            SourceResource s;
            s.where = "line " + std::to_string(line_no);
            Json j = Json::parse(line, nullptr, false);
            if (j.is_discarded()) {
                s.error = "not JSON";
            } else if (!j.is_object() || !j.contains("resourceType") || !j["resourceType"].is_string()) {
                s.error = "not a FHIR resource (no resourceType)";
                ++json_lines;
            } else {
                s.resource = std::move(j);
                ++json_lines;
            }
            out.push_back(std::move(s));
        }
        start = end + 1;
    }
    if (json_lines == 0)
        throw Error(ErrorCode::invalid_input,
                    file.string() + " is neither a FHIR JSON document (a Bundle) nor NDJSON (one resource a line)");
    return out;
}

std::string canonical_json(const fhir::Json& resource) {
    // nlohmann::json keeps object members in a std::map: dump() writes keys in byte order.
    return resource.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string resource_digest(const fhir::Json& resource) {
    const std::string text = canonical_json(resource);
    return to_hex_raw(ipfs::sha256(as_bytes(text)));
}

std::optional<std::string> patient_reference(const fhir::Json& resource) {
    if (!resource.is_object()) return std::nullopt;
    for (const char* key : {"subject", "patient"}) {
        const auto r = resource.find(key);
        if (r == resource.end()) continue;
        const std::string text = reference_of(*r);
        if (!text.empty()) return text;
    }
    if (const auto parts = resource.find("participant"); parts != resource.end() && parts->is_array())
        for (const auto& p : *parts) {
            const std::string text = p.is_object() && p.contains("actor") ? reference_of(p["actor"]) : std::string();
            if (text.rfind("Patient/", 0) == 0 || (!text.empty() && p["actor"].value("type", "") == "Patient"))
                return text;
        }
    return std::nullopt;
}

std::vector<std::string> patient_aliases(const fhir::Json& patient, const std::string& full_url) {
    std::vector<std::string> out;
    const std::string id = patient.value("id", std::string());
    if (!id.empty()) {
        out.push_back("Patient/" + id);
        out.push_back(id);
    }
    if (!full_url.empty()) out.push_back(full_url);
    if (const auto ids = patient.find("identifier"); ids != patient.end() && ids->is_array())
        for (const auto& i : *ids) {
            if (!i.is_object() || !i.contains("value") || !i["value"].is_string()) continue;
            const std::string value = i["value"].get<std::string>();
            const std::string system = i.value("system", std::string());
            if (!system.empty()) out.push_back("identifier:" + system + "|" + value);
            out.push_back("identifier:" + value);
        }
    return out;
}

std::vector<InlineFile> inline_files(const fhir::Json& resource) {
    std::vector<InlineFile> out;
    const std::string type = resource.value("resourceType", std::string());
    const std::string id = resource.value("id", std::string());
    const std::string owner = id.empty() ? type : type + "-" + id;
    if (type == "Binary") {
        const auto data = resource.find("data");
        if (data == resource.end() || !data->is_string()) return out;
        auto bytes = decode_data(data->get<std::string>());
        if (!bytes) throw Error(ErrorCode::invalid_input, "Binary.data is not base64");
        out.push_back(InlineFile{"Binary", owner, resource.value("contentType", std::string()), std::move(*bytes)});
        return out;
    }
    find_attachments(resource, "", owner, out);
    // Names are how a resumed import recognises the files it attached: make them unique.
    std::set<std::string> names;
    for (auto& f : out) {
        std::string name = f.name;
        for (int n = 2; !names.insert(name).second; ++n) name = f.name + " (" + std::to_string(n) + ")";
        f.name = std::move(name);
    }
    return out;
}

}  // namespace dossier::core
