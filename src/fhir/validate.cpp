#include "fhir/validate.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "fhir/elements.hpp"

namespace dossier::fhir {
namespace {

using detail::ElementDef;
using detail::TypeDef;

const std::vector<std::string_view> kSupported = {
    "Practitioner", "Patient",      "Condition", "MedicationStatement", "AllergyIntolerance", "Appointment",
    "DocumentReference", "Observation", "MedicationRequest", "Immunization", "Procedure", "Encounter",
    "DiagnosticReport", "CarePlan",     "Binary"};

/// Elements with minimum cardinality 1 in R4 that the JSON schema leaves out of "required" because
/// they are primitives (present either as `name` or as `_name`), and required choice elements
/// (present as one of the expansions).
struct Requirement {
    std::string_view type;
    std::string_view element;                   // as written in the specification
    std::vector<std::string_view> alternatives;  // JSON property names that satisfy it
};
const std::vector<Requirement> kRequiredPrimitives = {
    {"MedicationStatement", "status", {"status", "_status"}},
    {"MedicationStatement", "medication[x]", {"medicationCodeableConcept", "medicationReference"}},
    {"Appointment", "status", {"status", "_status"}},
    {"Appointment_Participant", "status", {"status", "_status"}},
    {"DocumentReference", "status", {"status", "_status"}},
    {"DocumentReference_RelatesTo", "code", {"code", "_code"}},
    {"Observation", "status", {"status", "_status"}},
    {"MedicationRequest", "status", {"status", "_status"}},
    {"MedicationRequest", "intent", {"intent", "_intent"}},
    {"MedicationRequest", "medication[x]", {"medicationCodeableConcept", "medicationReference"}},
    {"Immunization", "status", {"status", "_status"}},
    {"Immunization", "occurrence[x]", {"occurrenceDateTime", "_occurrenceDateTime", "occurrenceString", "_occurrenceString"}},
    {"Procedure", "status", {"status", "_status"}},
    {"Encounter", "status", {"status", "_status"}},
    {"Encounter_StatusHistory", "status", {"status", "_status"}},
    {"DiagnosticReport", "status", {"status", "_status"}},
    {"CarePlan", "status", {"status", "_status"}},
    {"CarePlan", "intent", {"intent", "_intent"}},
    {"CarePlan_Detail", "status", {"status", "_status"}},
    {"Binary", "contentType", {"contentType", "_contentType"}},
    {"Patient_Link", "type", {"type", "_type"}},
    {"Annotation", "text", {"text", "_text"}},
    {"Narrative", "status", {"status", "_status"}},
};

/// Required bindings the JSON schema does not enumerate (the R4 value set of the element).
struct Binding {
    std::string_view type;
    std::string_view element;
    std::vector<std::string_view> codes;
};
const std::vector<Binding> kExtraBindings = {
    {"MedicationStatement", "status",
     {"active", "completed", "entered-in-error", "intended", "stopped", "on-hold", "unknown", "not-taken"}},
};

bool digits(std::string_view s, std::size_t pos, std::size_t n) noexcept {
    if (pos + n > s.size()) return false;
    for (std::size_t i = pos; i < pos + n; ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

int num(std::string_view s, std::size_t pos, std::size_t n) noexcept {
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
}

int days_in_month(int y, int m) noexcept {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[m - 1];
}

/// Parses the date part; returns its length (4, 7 or 10), or 0 if malformed.
std::size_t date_prefix(std::string_view s) noexcept {
    if (!digits(s, 0, 4) || num(s, 0, 4) == 0) return 0;
    if (s.size() == 4 || s[4] != '-') return 4;
    if (!digits(s, 5, 2)) return 0;
    const int m = num(s, 5, 2);
    if (m < 1 || m > 12) return 0;
    if (s.size() == 7 || s[7] != '-') return 7;
    if (!digits(s, 8, 2)) return 0;
    const int d = num(s, 8, 2);
    if (d < 1 || d > days_in_month(num(s, 0, 4), m)) return 0;
    return 10;
}

/// hh:mm:ss[.f+] at pos; returns the end position or npos.
std::size_t time_part(std::string_view s, std::size_t pos) noexcept {
    if (!digits(s, pos, 2) || num(s, pos, 2) > 23 || pos + 2 >= s.size() || s[pos + 2] != ':' ||
        !digits(s, pos + 3, 2) || num(s, pos + 3, 2) > 59 || pos + 5 >= s.size() || s[pos + 5] != ':' ||
        !digits(s, pos + 6, 2) || num(s, pos + 6, 2) > 60)
        return std::string_view::npos;
    pos += 8;
    if (pos < s.size() && s[pos] == '.') {
        const std::size_t start = ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
        if (pos == start) return std::string_view::npos;
    }
    return pos;
}

bool zone(std::string_view s, std::size_t pos) noexcept {
    if (pos + 1 == s.size() && s[pos] == 'Z') return true;
    if (pos + 6 != s.size() || (s[pos] != '+' && s[pos] != '-') || !digits(s, pos + 1, 2) || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2))
        return false;
    const int h = num(s, pos + 1, 2), m = num(s, pos + 4, 2);
    return m <= 59 && (h <= 13 || (h == 14 && m == 0));
}

bool full_date_time(std::string_view s) noexcept {
    if (date_prefix(s) != 10 || s.size() < 11 || s[10] != 'T') return false;
    const std::size_t end = time_part(s, 11);
    return end != std::string_view::npos && zone(s, end);
}

bool is_base64(std::string_view text) noexcept {
    // R4's base64Binary lets whitespace separate the groups of four (HL7's own examples wrap
    // their data in lines); the characters are checked as if it were not there.
    std::size_t n = 0, pad = 0;
    for (const char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        ++n;
        if (c == '=') {
            ++pad;
        } else if (pad > 0 || !(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/')) {
            return false;
        }
    }
    return n % 4 == 0 && pad <= 2;
}

bool is_fhir_string(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\r' && c != '\n' && c != '\t') return false;
    }
    // Not only whitespace.
    return std::any_of(s.begin(), s.end(), [](char c) { return c != ' ' && c != '\r' && c != '\n' && c != '\t'; });
}

/// True if `s` holds a Unicode space other than space, tab, CR and LF (no-break space, the
/// U+2000 spaces, line and paragraph separators, ideographic space, BOM): R4's string pattern
/// ^[ \r\n\t\S]+$ refuses them, as the schema's regular expressions read \s.
bool has_unicode_space(std::string_view s) noexcept {
    const auto b = [&](std::size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0U; };
    for (std::size_t i = 0; i < s.size(); ++i) {
        const unsigned c = b(i);
        if (c == 0xC2 && b(i + 1) == 0xA0) return true;                                  // U+00A0
        if (c == 0xE1 && b(i + 1) == 0x9A && b(i + 2) == 0x80) return true;              // U+1680
        if (c == 0xE2 && b(i + 1) == 0x80 && (b(i + 2) <= 0x8A || b(i + 2) == 0xA8 || b(i + 2) == 0xA9 || b(i + 2) == 0xAF))
            return true;                                                                 // U+2000..200A, 2028, 2029, 202F
        if (c == 0xE2 && b(i + 1) == 0x81 && b(i + 2) == 0x9F) return true;              // U+205F
        if (c == 0xE3 && b(i + 1) == 0x80 && b(i + 2) == 0x80) return true;              // U+3000
        if (c == 0xEF && b(i + 1) == 0xBB && b(i + 2) == 0xBF) return true;              // U+FEFF
    }
    return false;
}

/// Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_utf8(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if ((c & 0xe0) == 0xc0) {
            n = 1;
            cp = c & 0x1fu;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2;
            cp = c & 0x0fu;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3;
            cp = c & 0x07u;
        } else {
            return false;
        }
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= s.size()) return false;
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xc0) != 0x80) return false;
            cp = cp << 6 | (cc & 0x3fu);
        }
        static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
        if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
        i += n + 1;
    }
    return true;
}

bool no_whitespace(std::string_view s) noexcept {
    return std::none_of(s.begin(), s.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
}

std::string json_kind(const Json& v) {
    switch (v.type()) {
        case Json::value_t::null: return "null";
        case Json::value_t::object: return "an object";
        case Json::value_t::array: return "an array";
        case Json::value_t::string: return "a string";
        case Json::value_t::boolean: return "a boolean";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned: return "an integer";
        case Json::value_t::number_float: return "a number";
        default: return "an unsupported JSON value";
    }
}

class Validator {
public:
    std::vector<Issue> issues;

    void resource(const Json& r) {
        if (!r.is_object()) {
            add("", "a FHIR resource must be a JSON object, not " + json_kind(r));
            return;
        }
        const auto rt = r.find("resourceType");
        if (rt == r.end()) {
            add("resourceType", "is missing");
            return;
        }
        if (!rt->is_string()) {
            add("resourceType", "must be a string, not " + json_kind(*rt));
            return;
        }
        const std::string type = rt->get<std::string>();
        if (!is_supported_resource_type(type)) {
            add("resourceType", "'" + type + "' is not a supported resource type");
            return;
        }
        object(r, *detail::find_type(type), type);
    }

private:
    void add(std::string path, std::string message) { issues.push_back({std::move(path), std::move(message)}); }

    void object(const Json& o, const TypeDef& type, const std::string& path) {
        if (o.empty()) add(path, "must not be an empty object");
        for (const auto& [key, value] : o.items()) {
            const std::string p = path + "." + key;
            const ElementDef* e = detail::find_element(type, key);
            if (e == nullptr) {
                add(p, "is not an element of " + std::string(type.name));
                continue;
            }
            element(value, *e, p);
            for (const auto& b : kExtraBindings)
                if (b.type == type.name && b.element == key && value.is_string() &&
                    std::find(b.codes.begin(), b.codes.end(), value.get<std::string>()) == b.codes.end())
                    add(p, "'" + value.get<std::string>() + "' is not a valid " + std::string(b.type) + "." +
                               std::string(b.element) + " code");
        }
        for (const auto& req : type.required)
            if (!o.contains(std::string(req))) add(path + "." + std::string(req), "is required");
        for (const auto& r : kRequiredPrimitives) {
            if (r.type != type.name) continue;
            const bool present = std::any_of(r.alternatives.begin(), r.alternatives.end(),
                                             [&](std::string_view a) { return o.contains(std::string(a)); });
            if (!present) add(path + "." + std::string(r.element), "is required");
        }
    }

    void element(const Json& v, const ElementDef& e, const std::string& path) {
        if (e.array) {
            if (!v.is_array()) {
                add(path, "must be an array, not " + json_kind(v));
                return;
            }
            if (v.empty()) add(path, "must not be an empty array (leave the element out instead)");
            for (std::size_t i = 0; i < v.size(); ++i) {
                const std::string p = path + "[" + std::to_string(i) + "]";
                // Arrays of primitives keep their _name arrays aligned with nulls.
                if (v[i].is_null() && e.type == "Element") continue;
                single(v[i], e, p);
            }
            return;
        }
        if (v.is_array()) {
            add(path, "must be a single value, not an array");
            return;
        }
        single(v, e, path);
    }

    void single(const Json& v, const ElementDef& e, const std::string& path) {
        const std::string_view t = e.type;
        if (t == "const") {
            if (!v.is_string() || v.get<std::string>() != e.values.front())
                add(path, "must be \"" + std::string(e.values.front()) + "\"");
            return;
        }
        if (const TypeDef* deep = detail::find_type(t)) {
            if (!v.is_object())
                add(path, "must be an object (" + std::string(t) + "), not " + json_kind(v));
            else
                object(v, *deep, path);
            return;
        }
        if (primitive(v, t, path) && !e.values.empty()) {
            const std::string s = v.get<std::string>();
            if (std::find(e.values.begin(), e.values.end(), s) == e.values.end()) {
                std::string allowed;
                for (const auto& a : e.values) allowed += (allowed.empty() ? "" : ", ") + std::string(a);
                add(path, "'" + s + "' is not one of the allowed codes (" + allowed + ")");
            }
        }
    }

    /// Checks a primitive or an object-only type; returns true if `v` is a well-formed string
    /// (so that code values can be checked against their value set).
    bool primitive(const Json& v, std::string_view t, const std::string& path) {
        const auto need_string = [&]() {
            if (!v.is_string()) {
                add(path, "must be a string (" + std::string(t) + "), not " + json_kind(v));
                return false;
            }
            if (!is_utf8(v.get_ref<const std::string&>())) {
                add(path, "is not valid UTF-8");
                return false;
            }
            return true;
        };
        const auto bad = [&](std::string_view what) {
            add(path, "'" + v.get<std::string>() + "' is not a valid " + std::string(what));
            return false;
        };
        if (t == "boolean") {
            if (!v.is_boolean()) add(path, "must be true or false, not " + json_kind(v));
            return false;
        }
        if (t == "integer" || t == "positiveInt" || t == "unsignedInt") {
            if (!v.is_number_integer()) {
                add(path, "must be an integer (" + std::string(t) + "), not " + json_kind(v));
            } else if (t == "positiveInt" && !(v.is_number_unsigned() ? v.get<std::uint64_t>() > 0 : v.get<std::int64_t>() > 0)) {
                add(path, "must be a positive integer");
            } else if (t == "unsignedInt" && !v.is_number_unsigned() && v.get<std::int64_t>() < 0) {
                add(path, "must not be negative");
            } else if (v.is_number_unsigned() ? v.get<std::uint64_t>() > 2147483647u
                                              : v.get<std::int64_t>() > 2147483647 || v.get<std::int64_t>() < -2147483648LL) {
                add(path, "is outside the 32-bit range of FHIR integers");
            }
            return false;
        }
        if (t == "decimal") {
            if (!v.is_number()) add(path, "must be a number, not " + json_kind(v));
            return false;
        }
        if (t == "string" || t == "markdown" || t == "xhtml") {
            if (need_string()) {
                const std::string& text = v.get_ref<const std::string&>();
                if (!is_fhir_string(text)) {
                    bad(t == "xhtml" ? "xhtml" : "string (empty or control characters)");
                } else if (t != "xhtml" && has_unicode_space(text)) {
                    add(path, "holds a Unicode space other than space, tab or line break (R4 strings refuse them)");
                }
            }
            return false;
        }
        if (t == "code") return need_string() && (is_code(v.get<std::string>()) || bad("code"));
        if (t == "id") return need_string() && (is_id(v.get<std::string>()) || bad("id"));
        if (t == "uri" || t == "url" || t == "canonical" || t == "oid" || t == "uuid")
            return need_string() && (( !v.get<std::string>().empty() && no_whitespace(v.get<std::string>())) || bad(t));
        if (t == "date") return need_string() && (is_date(v.get<std::string>()) || bad("date (YYYY, YYYY-MM or YYYY-MM-DD)"));
        if (t == "dateTime")
            return need_string() && (is_date_time(v.get<std::string>()) || bad("dateTime (a date, or YYYY-MM-DDThh:mm:ss with a time zone)"));
        if (t == "instant")
            return need_string() && (is_instant(v.get<std::string>()) || bad("instant (YYYY-MM-DDThh:mm:ss with a time zone)"));
        if (t == "time") {
            if (need_string()) {
                const std::string s = v.get<std::string>();
                if (time_part(s, 0) != s.size()) bad("time (hh:mm:ss)");
            }
            return false;
        }
        if (t == "base64Binary") {
            if (need_string() && !is_base64(v.get<std::string>())) bad("base64Binary");
            return false;
        }
        if (t == "ResourceList") {
            if (!v.is_object() || !v.contains("resourceType") || !v["resourceType"].is_string())
                add(path, "must be a resource (an object with a resourceType)");
            return false;
        }
        // Element, Extension and the data types not checked in depth.
        if (!v.is_object()) add(path, "must be an object (" + std::string(t) + "), not " + json_kind(v));
        return false;
    }
};

}  // namespace

InvalidResourceError::InvalidResourceError(std::vector<Issue> issues)
    : DecodeError(issues.empty() ? "invalid FHIR resource" : "invalid FHIR resource: " + issues.front().to_string()),
      issues_(std::move(issues)) {}

const std::vector<std::string_view>& supported_resource_types() { return kSupported; }

bool is_supported_resource_type(std::string_view type) noexcept {
    return std::find(kSupported.begin(), kSupported.end(), type) != kSupported.end();
}

std::vector<Issue> validate(const Json& resource) {
    Validator v;
    v.resource(resource);
    return std::move(v.issues);
}

void check(const Json& resource) {
    auto issues = validate(resource);
    if (!issues.empty()) throw InvalidResourceError(std::move(issues));
}

bool is_date(std::string_view s) noexcept {
    const std::size_t n = date_prefix(s);
    return n != 0 && n == s.size();
}

bool is_date_time(std::string_view s) noexcept { return is_date(s) || full_date_time(s); }

bool is_instant(std::string_view s) noexcept { return full_date_time(s); }

bool is_code(std::string_view s) noexcept {
    // [^\s]+(\s[^\s]+)*: no leading, trailing or double whitespace.
    if (s.empty()) return false;
    bool prev_space = true;
    for (const char c : s) {
        const bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
        if (space && (prev_space || c != ' ')) return false;
        prev_space = space;
    }
    return !prev_space;
}

bool is_id(std::string_view s) noexcept {
    if (s.empty() || s.size() > 64) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.';
    });
}

}  // namespace dossier::fhir
