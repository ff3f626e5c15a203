#include "dossier/record_document.hpp"

#include <array>
#include <chrono>
#include <utility>

#include "base/hex.hpp"

namespace dossier::core {

namespace {

struct KindInfo {
    RecordKind kind;
    std::string_view name;
    std::string_view resource_type;
};

constexpr std::array<KindInfo, 7> kKinds{{
    {RecordKind::condition, "condition", "Condition"},
    {RecordKind::medication, "medication", "MedicationStatement"},
    {RecordKind::allergy, "allergy", "AllergyIntolerance"},
    {RecordKind::appointment, "appointment", "Appointment"},
    {RecordKind::note, "note", "DocumentReference"},
    {RecordKind::file, "file", "DocumentReference"},
    {RecordKind::clinical, "clinical", "Observation"},  // and every type of kClinicalTypes
}};

/// The resource types a clinical record holds: what an EHR exports beyond the typed kinds, kept
/// as the source wrote it (the validator checks each of them in depth).
constexpr std::array<std::string_view, 7> kClinicalTypes{
    "Observation", "MedicationRequest", "Immunization", "Procedure", "Encounter",
    "DiagnosticReport", "CarePlan"};

bool is_clinical_type(std::string_view type) noexcept {
    for (const auto t : kClinicalTypes)
        if (t == type) return true;
    return false;
}

const KindInfo& info(RecordKind kind) noexcept {
    for (const auto& k : kKinds)
        if (k.kind == kind) return k;
    return kKinds[4];
}

const fhir::Json* first_attachment(const fhir::Json& r) {
    if (!r.is_object()) return nullptr;
    const auto type = r.find("resourceType");
    if (type == r.end() || !type->is_string() || type->get<std::string>() != "DocumentReference") return nullptr;
    const auto c = r.find("content");
    if (c == r.end() || !c->is_array() || c->empty() || !(*c)[0].is_object()) return nullptr;
    const auto a = (*c)[0].find("attachment");
    return a != (*c)[0].end() && a->is_object() ? &*a : nullptr;
}

}  // namespace

std::string_view kind_name(RecordKind kind) noexcept { return info(kind).name; }

RecordKind parse_kind(std::string_view name) {
    for (const auto& k : kKinds)
        if (k.name == name) return k.kind;
    throw InvalidRecordDocumentError(
        "'" + std::string(name) + "' is not a record kind (condition, medication, allergy, appointment, note, file, clinical)");
}

std::string_view resource_type_of(RecordKind kind) noexcept { return info(kind).resource_type; }

RecordKind kind_of_resource(const fhir::Json& resource) {
    if (!resource.is_object() || !resource.contains("resourceType") || !resource["resourceType"].is_string())
        throw InvalidRecordDocumentError("the resource is not a JSON object with a resourceType");
    const std::string type = resource["resourceType"].get<std::string>();
    if (type == "DocumentReference") return file_object_meta(resource) ? RecordKind::file : RecordKind::note;
    for (const auto& k : kKinds)
        if (k.kind != RecordKind::clinical && k.resource_type == type) return k.kind;
    if (is_clinical_type(type)) return RecordKind::clinical;
    throw InvalidRecordDocumentError("a " + type +
                                     " is not a record Dossier keeps (Condition, MedicationStatement, "
                                     "AllergyIntolerance, Appointment, DocumentReference, Observation, "
                                     "MedicationRequest, Immunization, Procedure, Encounter, DiagnosticReport, CarePlan)");
}

void check_record_resource(RecordKind kind, const fhir::Json& resource) {
    fhir::check(resource);
    const std::string type = resource["resourceType"].get<std::string>();
    if (kind == RecordKind::clinical) {
        if (!is_clinical_type(type))
            throw InvalidRecordDocumentError("a clinical record holds an Observation, MedicationRequest, Immunization, "
                                             "Procedure, Encounter, DiagnosticReport or CarePlan, not a " + type);
        return;
    }
    if (type != resource_type_of(kind))
        throw InvalidRecordDocumentError("a " + std::string(kind_name(kind)) + " record holds a " +
                                         std::string(resource_type_of(kind)) + ", not a " + type);
    if (kind == RecordKind::file && !file_object_meta(resource))
        throw InvalidRecordDocumentError(
            "a file record's DocumentReference must name its file with a dossier-object: attachment url");
}

std::string build_record_document(const RecordDocument& doc) {
    check_record_resource(doc.kind, doc.resource);
    fhir::Json j;
    j["format"] = kRecordFormat;
    j["kind"] = kind_name(doc.kind);
    j["resource"] = doc.resource;
    j["author"] = doc.author.to_hex();
    j["created"] = doc.created;
    std::string text = j.dump(-1, ' ', false, fhir::Json::error_handler_t::strict);
    pad_document(text);
    return text;
}

void pad_document(std::string& text) {
    if (text.size() >= kMaxPaddedDocument) return;
    std::size_t bucket = 1024;
    while (bucket < text.size()) bucket *= 2;
    text.append(bucket - text.size(), ' ');
}

RecordDocument parse_record_document(ByteView bytes) {
    fhir::Json j = fhir::Json::parse(as_chars(bytes), nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw InvalidRecordDocumentError("the record document is not a JSON object");
    const auto format = j.find("format");
    if (format == j.end() || !format->is_string() || format->get<std::string>() != kRecordFormat)
        throw InvalidRecordDocumentError("the record document is not of format " + std::string(kRecordFormat));
    const auto kind = j.find("kind");
    if (kind == j.end() || !kind->is_string()) throw InvalidRecordDocumentError("the record document has no kind");
    const auto resource = j.find("resource");
    if (resource == j.end() || !resource->is_object())
        throw InvalidRecordDocumentError("the record document has no resource object");
    const auto author = j.find("author");
    if (author == j.end() || !author->is_string())
        throw InvalidRecordDocumentError("the record document has no author");
    const auto created = j.find("created");
    if (created == j.end() || !created->is_number_unsigned())
        throw InvalidRecordDocumentError("the record document has no creation time");
    RecordDocument doc;
    doc.kind = parse_kind(kind->get<std::string>());
    try {
        doc.author = eth::Address::from_hex(author->get<std::string>());
    } catch (const DecodeError&) {
        throw InvalidRecordDocumentError("the record document's author is not an address");
    }
    doc.created = created->get<std::uint64_t>();
    doc.resource = std::move(*resource);
    check_record_resource(doc.kind, doc.resource);
    return doc;
}

std::string object_url(const Bytes32& meta) { return std::string(kObjectUrlScheme) + to_hex_raw(meta); }

std::optional<Bytes32> file_object_meta(const fhir::Json& resource) {
    const fhir::Json* a = first_attachment(resource);
    if (a == nullptr) return std::nullopt;
    const auto url = a->find("url");
    if (url == a->end() || !url->is_string()) return std::nullopt;
    const std::string text = url->get<std::string>();
    if (text.rfind(kObjectUrlScheme, 0) != 0 || text.size() != kObjectUrlScheme.size() + 64) return std::nullopt;
    try {
        return from_hex_fixed<32>(std::string_view(text).substr(kObjectUrlScheme.size()));
    } catch (const DecodeError&) {
        return std::nullopt;
    }
}

std::optional<FileDescription> describe_file(const fhir::Json& resource) {
    const auto meta = file_object_meta(resource);
    if (!meta) return std::nullopt;
    const fhir::Json& a = *first_attachment(resource);
    FileDescription d;
    d.meta = *meta;
    if (const auto t = a.find("title"); t != a.end() && t->is_string()) d.name = t->get<std::string>();
    if (const auto c = a.find("contentType"); c != a.end() && c->is_string()) d.content_type = c->get<std::string>();
    if (const auto s = a.find("size"); s != a.end() && s->is_number_unsigned()) {
        d.size = s->get<std::uint64_t>();
    } else if (const auto ext = a.find("extension"); ext != a.end() && ext->is_array()) {
        // Sizes beyond R4's unsignedInt travel in an extension (fhir::file_reference).
        for (const auto& e : *ext) {
            if (!e.is_object()) continue;
            const auto v = e.find("valueDecimal");
            if (v != e.end() && v->is_number_unsigned()) d.size = v->get<std::uint64_t>();
        }
    }
    return d;
}

std::uint64_t now_seconds() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

}  // namespace dossier::core
