#include "fhir/builders.hpp"

#include <sstream>

#include "fhir/base64.hpp"

namespace dossier::fhir {
namespace {

constexpr std::uint64_t kMaxUnsignedInt = 2147483647;  // R4 unsignedInt is a 32-bit signed range
constexpr std::string_view kFileSizeExtension = "urn:dossier:fhir:file-size";
constexpr std::string_view kNoteContentType = "text/plain; charset=utf-8";

[[noreturn]] void fail(std::string path, std::string message) {
    throw InvalidResourceError({Issue{std::move(path), std::move(message)}});
}

void set_if(Json& j, const char* key, const std::string& value) {
    if (!value.empty()) j[key] = value;
}

Json name_of(const std::string& given, const std::string& family) {
    Json n = Json::object();
    set_if(n, "family", family);
    std::istringstream words(given);
    Json g = Json::array();
    for (std::string w; words >> w;) g.push_back(w);
    if (!g.empty()) n["given"] = g;
    return n;
}

Json telecom_of(const std::string& phone, const std::string& email) {
    Json t = Json::array();
    if (!phone.empty()) t.push_back({{"system", "phone"}, {"value", phone}});
    if (!email.empty()) t.push_back({{"system", "email"}, {"value", email}});
    return t;
}

Json reference(const std::string& ref) { return Json{{"reference", ref}}; }

Json text_concept(const std::string& text) { return Json{{"text", text}}; }

Json coded_concept(std::string_view system, const std::string& code) {
    return Json{{"coding", Json::array({Json{{"system", system}, {"code", code}}})}};
}

void require_text(const std::string& value, const std::string& path) {
    if (value.find_first_not_of(" \t\r\n") == std::string::npos) fail(path, "is required");
}

void require_one_of(const std::string& value, std::initializer_list<std::string_view> codes, const std::string& path) {
    for (auto c : codes)
        if (value == c) return;
    std::string allowed;
    for (auto c : codes) allowed += (allowed.empty() ? "" : ", ") + std::string(c);
    fail(path, "'" + value + "' is not one of the allowed codes (" + allowed + ")");
}

Json finish(Json r) {
    check(r);
    return r;
}

}  // namespace

std::string reference_to(std::string_view type, std::string_view id) {
    if (!is_id(id)) fail(std::string(type) + ".id", "'" + std::string(id) + "' is not a valid id");
    return std::string(type) + "/" + std::string(id);
}

Json practitioner(const PractitionerFields& f) {
    Json r{{"resourceType", "Practitioner"}};
    set_if(r, "id", f.id);
    if (!f.licence_number.empty())
        r["identifier"] = Json::array({Json{{"system", f.licence_system}, {"value", f.licence_number}}});
    Json name = name_of(f.given_name, f.family_name);
    if (!name.empty()) r["name"] = Json::array({name});
    Json telecom = telecom_of(f.phone, f.email);
    if (!telecom.empty()) r["telecom"] = telecom;
    if (!f.specialty.empty()) r["qualification"] = Json::array({Json{{"code", text_concept(f.specialty)}}});
    return finish(std::move(r));
}

Json patient(const PatientFields& f) {
    Json r{{"resourceType", "Patient"}};
    set_if(r, "id", f.id);
    Json name = name_of(f.given_name, f.family_name);
    if (!name.empty()) r["name"] = Json::array({name});
    Json telecom = telecom_of(f.phone, f.email);
    if (!telecom.empty()) r["telecom"] = telecom;
    set_if(r, "gender", f.gender);
    set_if(r, "birthDate", f.birth_date);
    return finish(std::move(r));
}

Json condition(const ConditionFields& f) {
    require_text(f.code_text, "Condition.code.text");
    Json r{{"resourceType", "Condition"}};
    set_if(r, "id", f.id);
    if (!f.clinical_status.empty()) {
        require_one_of(f.clinical_status, {"active", "recurrence", "relapse", "inactive", "remission", "resolved"},
                       "Condition.clinicalStatus");
        r["clinicalStatus"] =
            coded_concept("http://terminology.hl7.org/CodeSystem/condition-clinical", f.clinical_status);
    }
    r["code"] = text_concept(f.code_text);
    r["subject"] = reference(f.subject);
    set_if(r, "onsetDateTime", f.onset);
    if (!f.recorder.empty()) r["recorder"] = reference(f.recorder);
    if (!f.note.empty()) r["note"] = Json::array({Json{{"text", f.note}}});
    return finish(std::move(r));
}

Json medication_statement(const MedicationFields& f) {
    require_text(f.medication_text, "MedicationStatement.medicationCodeableConcept.text");
    Json r{{"resourceType", "MedicationStatement"}};
    set_if(r, "id", f.id);
    r["status"] = f.status;
    r["medicationCodeableConcept"] = text_concept(f.medication_text);
    r["subject"] = reference(f.subject);
    if (!f.effective_start.empty() || !f.effective_end.empty()) {
        Json p = Json::object();
        set_if(p, "start", f.effective_start);
        set_if(p, "end", f.effective_end);
        r["effectivePeriod"] = p;
    }
    if (!f.information_source.empty()) r["informationSource"] = reference(f.information_source);
    if (!f.dosage_text.empty()) r["dosage"] = Json::array({Json{{"text", f.dosage_text}}});
    return finish(std::move(r));
}

Json allergy_intolerance(const AllergyFields& f) {
    require_text(f.substance_text, "AllergyIntolerance.code.text");
    Json r{{"resourceType", "AllergyIntolerance"}};
    set_if(r, "id", f.id);
    if (!f.clinical_status.empty()) {
        require_one_of(f.clinical_status, {"active", "inactive", "resolved"}, "AllergyIntolerance.clinicalStatus");
        r["clinicalStatus"] =
            coded_concept("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", f.clinical_status);
    }
    set_if(r, "criticality", f.criticality);
    r["code"] = text_concept(f.substance_text);
    r["patient"] = reference(f.patient);
    set_if(r, "recordedDate", f.recorded_date);
    if (!f.recorder.empty()) r["recorder"] = reference(f.recorder);
    if (!f.reaction_text.empty())
        r["reaction"] = Json::array({Json{{"manifestation", Json::array({text_concept(f.reaction_text)})}}});
    return finish(std::move(r));
}

Json appointment(const AppointmentFields& f) {
    if (f.participants.empty()) fail("Appointment.participant", "is required");
    // R4 invariants app-2 and app-3: start and end come together, and only proposed, cancelled or
    // waitlisted appointments may lack them.
    if (f.start.empty() != f.end.empty()) fail("Appointment.end", "start and end must both be given, or neither");
    if (f.start.empty() && f.status != "proposed" && f.status != "cancelled" && f.status != "waitlist")
        fail("Appointment.start", "is required unless the appointment is proposed, cancelled or waitlisted");
    if (!f.start.empty() && is_instant(f.start) && is_instant(f.end) && f.end < f.start &&
        f.start.substr(19) == f.end.substr(19))
        fail("Appointment.end", "is before the start");
    Json r{{"resourceType", "Appointment"}};
    set_if(r, "id", f.id);
    r["status"] = f.status;
    set_if(r, "description", f.description);
    set_if(r, "start", f.start);
    set_if(r, "end", f.end);
    Json parts = Json::array();
    for (const auto& p : f.participants) {
        Json actor = reference(p.actor);
        set_if(actor, "display", p.display);
        parts.push_back({{"actor", actor}, {"status", p.status}});
    }
    r["participant"] = parts;
    return finish(std::move(r));
}

Json file_reference(const FileFields& f) {
    require_text(f.cid, "DocumentReference.content[0].attachment.url");
    require_text(f.content_type, "DocumentReference.content[0].attachment.contentType");
    Json r{{"resourceType", "DocumentReference"}};
    set_if(r, "id", f.id);
    r["status"] = f.status;
    if (!f.type_text.empty()) r["type"] = text_concept(f.type_text);
    r["subject"] = reference(f.subject);
    set_if(r, "date", f.date);
    if (!f.author.empty()) r["author"] = Json::array({reference(f.author)});
    Json att{{"contentType", f.content_type}, {"url", "ipfs://" + f.cid}};
    if (f.size <= kMaxUnsignedInt) {
        att["size"] = f.size;
    } else {
        // R4's unsignedInt stops at 2^31-1; larger sizes travel in an extension.
        att["extension"] = Json::array({Json{{"url", kFileSizeExtension}, {"valueDecimal", f.size}}});
    }
    set_if(att, "title", f.title);
    r["content"] = Json::array({Json{{"attachment", att}}});
    return finish(std::move(r));
}

Json clinical_note(const NoteFields& f) {
    require_text(f.text, "DocumentReference.content[0].attachment.data");
    Json r{{"resourceType", "DocumentReference"}};
    set_if(r, "id", f.id);
    r["status"] = "current";
    r["type"] = Json{{"coding", Json::array({Json{{"system", "http://loinc.org"},
                                                  {"code", "11506-3"},
                                                  {"display", "Progress note"}}})},
                     {"text", "Clinical note"}};
    r["subject"] = reference(f.subject);
    set_if(r, "date", f.date);
    if (!f.author.empty()) r["author"] = Json::array({reference(f.author)});
    set_if(r, "description", f.title);
    Json att{{"contentType", kNoteContentType}, {"data", base64_encode(f.text)}};
    set_if(att, "title", f.title);
    r["content"] = Json::array({Json{{"attachment", att}}});
    return finish(std::move(r));
}

namespace {
const Json* first_attachment(const Json& r) {
    if (!r.is_object() || r.value("resourceType", "") != "DocumentReference") return nullptr;
    const auto c = r.find("content");
    if (c == r.end() || !c->is_array() || c->empty() || !(*c)[0].is_object()) return nullptr;
    const auto a = (*c)[0].find("attachment");
    return a != (*c)[0].end() && a->is_object() ? &*a : nullptr;
}
}  // namespace

std::optional<std::string> note_text(const Json& resource) {
    const Json* a = first_attachment(resource);
    if (a == nullptr || !a->contains("data") || !(*a)["data"].is_string()) return std::nullopt;
    const std::string ct = a->value("contentType", "");
    if (ct.rfind("text/plain", 0) != 0) return std::nullopt;
    return base64_decode((*a)["data"].get<std::string>());
}

std::optional<std::string> file_cid(const Json& resource) {
    const Json* a = first_attachment(resource);
    if (a == nullptr || !a->contains("url") || !(*a)["url"].is_string()) return std::nullopt;
    const std::string url = (*a)["url"].get<std::string>();
    if (url.rfind("ipfs://", 0) != 0 || url.size() == 7) return std::nullopt;
    return url.substr(7);
}

}  // namespace dossier::fhir
