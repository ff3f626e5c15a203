#include "fhir/summary.hpp"

#include <cstdio>
#include <vector>

#include "fhir/builders.hpp"

namespace dossier::fhir {
namespace {

std::string str(const Json& o, const char* key) {
    if (!o.is_object()) return {};
    const auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

const Json* obj(const Json& o, const char* key) {
    if (!o.is_object()) return nullptr;
    const auto it = o.find(key);
    return it != o.end() && it->is_object() ? &*it : nullptr;
}

const Json* first(const Json& o, const char* key) {
    if (!o.is_object()) return nullptr;
    const auto it = o.find(key);
    return it != o.end() && it->is_array() && !it->empty() && (*it)[0].is_object() ? &(*it)[0] : nullptr;
}

std::string concept_text(const Json* c) {
    if (c == nullptr) return {};
    if (auto t = str(*c, "text"); !t.empty()) return t;
    if (const Json* coding = first(*c, "coding")) {
        if (auto d = str(*coding, "display"); !d.empty()) return d;
        return str(*coding, "code");
    }
    return {};
}

std::string concept_code(const Json* c) {
    if (c == nullptr) return {};
    if (const Json* coding = first(*c, "coding"))
        if (auto code = str(*coding, "code"); !code.empty()) return code;
    return str(*c, "text");
}

std::string human_name(const Json& r) {
    const Json* n = first(r, "name");
    if (n == nullptr) return {};
    if (auto t = str(*n, "text"); !t.empty()) return t;
    std::string out;
    for (const char* part : {"prefix", "given"}) {
        const auto it = n->find(part);
        if (it == n->end() || !it->is_array()) continue;
        for (const auto& g : *it)
            if (g.is_string()) out += (out.empty() ? "" : " ") + g.get<std::string>();
    }
    if (auto f = str(*n, "family"); !f.empty()) out += (out.empty() ? "" : " ") + f;
    return out;
}

std::string or_unnamed(std::string s) { return s.empty() ? "(unnamed)" : s; }

/// "a, b, c" of the non-empty parts, in parentheses, or "" if none.
std::string parens(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts)
        if (!p.empty()) out += (out.empty() ? "" : ", ") + p;
    return out.empty() ? "" : " (" + out + ")";
}

std::string when(const std::string& date_time) {
    // "2025-01-10T09:00:00Z" -> "2025-01-10 09:00"; dates stay as they are.
    if (date_time.size() >= 16 && date_time[10] == 'T') return date_time.substr(0, 10) + " " + date_time.substr(11, 5);
    return date_time;
}

std::string byte_size(std::uint64_t n) {
    char buf[32];
    if (n < 1024) return std::to_string(n) + " bytes";
    const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(n) / 1024;
    int u = 0;
    while (v >= 1024 && u < 3) {
        v /= 1024;
        ++u;
    }
    std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
    return buf;
}

std::string onset(const Json& r) {
    if (auto d = str(r, "onsetDateTime"); !d.empty()) return "since " + when(d);
    if (const Json* p = obj(r, "onsetPeriod"))
        if (auto d = str(*p, "start"); !d.empty()) return "since " + when(d);
    if (auto s = str(r, "onsetString"); !s.empty()) return "onset " + s;
    return {};
}

std::string practitioner(const Json& r) {
    std::string specialty;
    if (const Json* q = first(r, "qualification")) specialty = concept_text(obj(*q, "code"));
    std::string licence;
    if (const Json* id = first(r, "identifier"))
        if (auto v = str(*id, "value"); !v.empty()) licence = "licence " + v;
    return "Practitioner: " + or_unnamed(human_name(r)) + parens({specialty, licence});
}

std::string patient(const Json& r) {
    const std::string born = str(r, "birthDate");
    return "Patient: " + or_unnamed(human_name(r)) + parens({str(r, "gender"), born.empty() ? "" : "born " + born});
}

std::string condition(const Json& r) {
    return "Condition: " + or_unnamed(concept_text(obj(r, "code"))) +
           parens({concept_code(obj(r, "clinicalStatus")), onset(r)});
}

std::string medication(const Json& r) {
    std::string name = concept_text(obj(r, "medicationCodeableConcept"));
    if (name.empty())
        if (const Json* ref = obj(r, "medicationReference")) name = str(*ref, "display");
    std::string dosage;
    if (const Json* d = first(r, "dosage")) dosage = str(*d, "text");
    return "Medication: " + or_unnamed(name) + (dosage.empty() ? "" : ", " + dosage) + parens({str(r, "status")});
}

std::string allergy(const Json& r) {
    const std::string crit = str(r, "criticality");
    std::string reaction;
    if (const Json* re = first(r, "reaction")) {
        if (const Json* m = first(*re, "manifestation")) reaction = concept_text(m);
        if (reaction.empty()) reaction = str(*re, "description");
    }
    return "Allergy: " + or_unnamed(concept_text(obj(r, "code"))) +
           parens({crit.empty() ? "" : crit + " criticality", reaction});
}

std::string appointment(const Json& r) {
    std::string what = str(r, "description");
    if (what.empty()) what = concept_text(first(r, "serviceType"));
    if (what.empty()) what = concept_text(obj(r, "appointmentType"));
    std::string time;
    const std::string start = str(r, "start"), end = str(r, "end");
    if (!start.empty()) {
        time = when(start);
        const std::string e = when(end);
        if (!e.empty()) time += e.substr(0, 10) == time.substr(0, 10) && e.size() > 11 ? "-" + e.substr(11) : " - " + e;
    }
    return "Appointment: " + or_unnamed(what) + (time.empty() ? "" : ", " + time) + parens({str(r, "status")});
}

std::string document(const Json& r) {
    const Json* c = first(r, "content");
    const Json* a = c ? obj(*c, "attachment") : nullptr;
    if (auto text = note_text(r)) {
        std::string title = a ? str(*a, "title") : "";
        if (title.empty()) title = str(r, "description");
        if (title.empty()) {
            title = text->substr(0, text->find('\n'));
            if (title.size() > 60) {
                std::size_t cut = 57;  // not inside a UTF-8 sequence
                while (cut > 0 && (static_cast<unsigned char>(title[cut]) & 0xc0) == 0x80) --cut;
                title = title.substr(0, cut) + "...";
            }
        }
        return "Clinical note: " + or_unnamed(title) + parens({when(str(r, "date"))});
    }
    std::string title = a ? str(*a, "title") : "";
    if (title.empty()) title = str(r, "description");
    if (title.empty()) title = concept_text(obj(r, "type"));
    std::string size;
    if (a != nullptr) {
        if (const auto it = a->find("size"); it != a->end() && it->is_number_unsigned())
            size = byte_size(it->get<std::uint64_t>());
        else if (const Json* ext = first(*a, "extension"); ext && ext->contains("valueDecimal") &&
                                                           (*ext)["valueDecimal"].is_number())
            size = byte_size(static_cast<std::uint64_t>((*ext)["valueDecimal"].get<double>()));
    }
    return "File: " + or_unnamed(title) + parens({a ? str(*a, "contentType") : "", size});
}

std::string observation(const Json& r) {
    std::string value;
    if (const Json* q = obj(r, "valueQuantity")) {
        if (const auto it = q->find("value"); it != q->end() && it->is_number()) {
            value = it->dump();
            const std::string unit = str(*q, "unit");
            if (!unit.empty()) value += " " + unit;
        }
    } else if (auto s = str(r, "valueString"); !s.empty()) {
        value = s;
    } else if (const Json* cc = obj(r, "valueCodeableConcept")) {
        value = concept_text(cc);
    }
    return "Observation: " + or_unnamed(concept_text(obj(r, "code"))) + (value.empty() ? "" : " = " + value) +
           parens({str(r, "status"), when(str(r, "effectiveDateTime"))});
}

/// The other clinical resources an import brings: what (their main concept), status and date.
std::string clinical(const Json& r, const std::string& type) {
    std::string what;
    for (const char* key : {"code", "vaccineCode", "medicationCodeableConcept", "category"}) {
        const Json* c = obj(r, key);
        if (c == nullptr) c = first(r, key);
        what = concept_text(c);
        if (!what.empty()) break;
    }
    if (what.empty()) what = concept_text(first(r, "type"));
    if (what.empty()) what = str(r, "title");
    if (what.empty()) what = str(r, "description");
    std::string date;
    for (const char* key : {"occurrenceDateTime", "performedDateTime", "effectiveDateTime", "authoredOn", "issued"}) {
        date = str(r, key);
        if (!date.empty()) break;
    }
    if (date.empty())
        if (const Json* p = obj(r, "period"); p != nullptr) date = str(*p, "start");
    return type + ": " + or_unnamed(what) + parens({str(r, "status"), when(date)});
}

}  // namespace

namespace {
std::string describe(const Json& r) {
    const std::string type = str(r, "resourceType");
    if (type == "Practitioner") return practitioner(r);
    if (type == "Patient") return patient(r);
    if (type == "Condition") return condition(r);
    if (type == "MedicationStatement") return medication(r);
    if (type == "AllergyIntolerance") return allergy(r);
    if (type == "Appointment") return appointment(r);
    if (type == "DocumentReference") return document(r);
    if (type == "Observation") return observation(r);
    if (type == "MedicationRequest" || type == "Immunization" || type == "Procedure" || type == "Encounter" ||
        type == "DiagnosticReport" || type == "CarePlan")
        return clinical(r, type);
    if (type == "Binary") {
        const std::string data = str(r, "data");
        return "Binary: " + or_unnamed(str(r, "contentType")) + parens({data.empty() ? "" : byte_size(data.size() / 4 * 3)});
    }
    return type.empty() ? "Unknown document" : type;
}
}  // namespace

std::string summary(const Json& r) {
    // One line: control characters from free text (a description with line breaks) become spaces.
    std::string s = describe(r);
    for (char& c : s)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    return s;
}

}  // namespace dossier::fhir
