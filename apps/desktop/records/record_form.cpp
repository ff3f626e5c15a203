#include "records/record_form.hpp"

#include <QByteArray>
#include <QObject>
#include <QStringList>
#include <algorithm>

#include "app/format.hpp"

namespace dossier::desktop {

namespace {

using client::Json;

const Json* member(const Json& j, const char* key) {
    if (!j.is_object()) return nullptr;
    const auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
}

QString text_of(const Json* j) {
    if (j == nullptr) return {};
    if (j->is_string()) return qstr(j->get<std::string>());
    if (j->is_number_unsigned()) return QString::number(j->get<std::uint64_t>());
    if (j->is_number_integer()) return QString::number(j->get<std::int64_t>());
    if (j->is_number_float()) return QString::number(j->get<double>(), 'f', 0);
    if (j->is_boolean()) return j->get<bool>() ? QObject::tr("yes") : QObject::tr("no");
    return {};
}

QString str(const Json& j, const char* key) { return text_of(member(j, key)); }

/// A CodeableConcept: its text, else its first coding's display, else that coding's code.
QString concept_text(const Json* c) {
    if (c == nullptr || !c->is_object()) return {};
    if (QString t = str(*c, "text"); !t.isEmpty()) return t;
    if (const Json* codings = member(*c, "coding"); codings != nullptr && codings->is_array() && !codings->empty()) {
        const Json& first = (*codings)[0];
        if (QString d = str(first, "display"); !d.isEmpty()) return d;
        return str(first, "code");
    }
    return {};
}

QString reference_text(const Json* r, const ReferenceNames& names) {
    if (r == nullptr || !r->is_object()) return {};
    const std::string ref = r->value("reference", std::string());
    if (const auto it = names.find(ref); it != names.end()) return it->second;
    if (QString d = str(*r, "display"); !d.isEmpty()) return d;
    return qstr(ref);
}

/// The values of `key` in each element of the array `list`, one per line.
template <class Get>
QString each(const Json* list, Get get) {
    if (list == nullptr || !list->is_array()) return {};
    QStringList out;
    for (const auto& item : *list)
        if (QString v = get(item); !v.isEmpty()) out << v;
    return out.join(QLatin1Char('\n'));
}

const Json* first_attachment(const Json& r) {
    const Json* content = member(r, "content");
    if (content == nullptr || !content->is_array() || content->empty()) return nullptr;
    return member((*content)[0], "attachment");
}

/// A note's text: the library writes it inline as base64 text/plain.
QString inline_text(const Json* attachment) {
    if (attachment == nullptr || !str(*attachment, "contentType").startsWith(QLatin1String("text/plain"))) return {};
    const QString data = str(*attachment, "data");
    return data.isEmpty() ? QString() : QString::fromUtf8(QByteArray::fromBase64(data.toLatin1()));
}

QString attachment_size(const Json* a) {
    if (a == nullptr) return {};
    if (const Json* s = member(*a, "size"); s != nullptr && s->is_number()) return format_size(s->get<std::uint64_t>());
    // Sizes beyond FHIR's unsignedInt travel in an extension with a decimal value.
    if (const Json* ext = member(*a, "extension"); ext != nullptr && ext->is_array())
        for (const auto& e : *ext)
            if (const Json* v = member(e, "valueDecimal"); v != nullptr && v->is_number())
                return format_size(v->get<std::uint64_t>());
    return {};
}

void add(std::vector<FormField>& out, const QString& label, const QString& value) {
    if (!value.trimmed().isEmpty()) out.push_back({label, value});
}

void collect_references(const Json& j, std::vector<std::string>& out) {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (it.key() == "reference" && it->is_string()) out.push_back(it->get<std::string>());
            else collect_references(*it, out);
        }
    } else if (j.is_array()) {
        for (const auto& item : j) collect_references(item, out);
    }
}

/// Resources the form does not know: their scalar elements by path, so nothing is hidden.
void generic_fields(const Json& j, const QString& path, std::vector<FormField>& out) {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (path.isEmpty() && (it.key() == "resourceType" || it.key() == "id" || it.key() == "meta" ||
                                   it.key() == "text"))
                continue;
            const QString key = qstr(it.key());
            generic_fields(*it, path.isEmpty() ? key : path + QLatin1Char('.') + key, out);
        }
    } else if (j.is_array()) {
        for (const auto& item : j) generic_fields(item, path, out);
    } else {
        add(out, path, text_of(&j));
    }
}

}  // namespace

ReferenceNames name_references(client::Client& client, const client::Json& resource) {
    std::vector<std::string> refs;
    collect_references(resource, refs);
    ReferenceNames names;
    for (const auto& ref : refs) {
        if (names.contains(ref)) continue;
        const auto slash = ref.find('/');
        if (slash == std::string::npos) continue;
        if (const auto address = client::Address::parse(ref.substr(slash + 1)))
            names[ref] = qstr(client.display_name(*address));
    }
    return names;
}

std::vector<FormField> form_fields(const client::Json& r, const ReferenceNames& names) {
    std::vector<FormField> f;
    const QString type = str(r, "resourceType");
    const auto ref = [&](const char* key) { return reference_text(member(r, key), names); };
    const auto notes = [](const Json& n) { return str(n, "text"); };
    if (type == QLatin1String("Condition")) {
        add(f, QObject::tr("Condition"), concept_text(member(r, "code")));
        add(f, QObject::tr("Clinical status"), concept_text(member(r, "clinicalStatus")));
        add(f, QObject::tr("Onset"), str(r, "onsetDateTime"));
        add(f, QObject::tr("Recorded by"), ref("recorder"));
        add(f, QObject::tr("Note"), each(member(r, "note"), notes));
    } else if (type == QLatin1String("MedicationStatement")) {
        add(f, QObject::tr("Medication"), concept_text(member(r, "medicationCodeableConcept")));
        add(f, QObject::tr("Status"), str(r, "status"));
        add(f, QObject::tr("Dosage"), each(member(r, "dosage"), notes));
        if (const Json* p = member(r, "effectivePeriod")) {
            add(f, QObject::tr("Start"), str(*p, "start"));
            add(f, QObject::tr("End"), str(*p, "end"));
        }
        add(f, QObject::tr("Information from"), ref("informationSource"));
    } else if (type == QLatin1String("AllergyIntolerance")) {
        add(f, QObject::tr("Substance"), concept_text(member(r, "code")));
        add(f, QObject::tr("Clinical status"), concept_text(member(r, "clinicalStatus")));
        add(f, QObject::tr("Criticality"), str(r, "criticality"));
        add(f, QObject::tr("Reaction"), each(member(r, "reaction"), [](const Json& x) {
                return each(member(x, "manifestation"), [](const Json& m) { return concept_text(&m); });
            }));
        add(f, QObject::tr("Recorded"), str(r, "recordedDate"));
        add(f, QObject::tr("Recorded by"), ref("recorder"));
    } else if (type == QLatin1String("Appointment")) {
        add(f, QObject::tr("Description"), str(r, "description"));
        add(f, QObject::tr("Status"), str(r, "status"));
        add(f, QObject::tr("Start"), str(r, "start"));
        add(f, QObject::tr("End"), str(r, "end"));
        add(f, QObject::tr("Participants"), each(member(r, "participant"), [&names](const Json& p) {
                return reference_text(member(p, "actor"), names);
            }));
    } else if (type == QLatin1String("DocumentReference")) {
        const Json* a = first_attachment(r);
        const QString body = inline_text(a);
        const QString author = each(member(r, "author"), [&names](const Json& x) { return reference_text(&x, names); });
        if (!body.isEmpty()) {
            add(f, QObject::tr("Title"), str(r, "description").isEmpty() && a ? str(*a, "title") : str(r, "description"));
            add(f, QObject::tr("Note"), body);
        } else {
            add(f, QObject::tr("File name"), a ? str(*a, "title") : QString());
            add(f, QObject::tr("What it is"), concept_text(member(r, "type")));
            add(f, QObject::tr("Content type"), a ? str(*a, "contentType") : QString());
            add(f, QObject::tr("Size"), attachment_size(a));
            add(f, QObject::tr("Status"), str(r, "status"));
        }
        add(f, QObject::tr("Date"), str(r, "date"));
        add(f, QObject::tr("Author"), author);
    } else {
        generic_fields(r, {}, f);
    }
    return f;
}

client::RecordFields fields_of(const client::Json& r) {
    client::RecordFields out;
    const auto s = [](const QString& q) { return q.toStdString(); };
    const QString type = str(r, "resourceType");
    const auto status_code = [&](const char* key) {
        const Json* c = member(r, key);
        const Json* codings = c ? member(*c, "coding") : nullptr;
        return codings && codings->is_array() && !codings->empty() ? str((*codings)[0], "code") : concept_text(c);
    };
    if (type == QLatin1String("Condition")) {
        out.code = s(concept_text(member(r, "code")));
        out.status = s(status_code("clinicalStatus"));
        out.start = s(str(r, "onsetDateTime"));
        out.text = s(each(member(r, "note"), [](const Json& n) { return str(n, "text"); }));
    } else if (type == QLatin1String("MedicationStatement")) {
        out.code = s(concept_text(member(r, "medicationCodeableConcept")));
        out.status = s(str(r, "status"));
        out.dosage = s(each(member(r, "dosage"), [](const Json& n) { return str(n, "text"); }));
        if (const Json* p = member(r, "effectivePeriod")) {
            out.start = s(str(*p, "start"));
            out.end = s(str(*p, "end"));
        }
    } else if (type == QLatin1String("AllergyIntolerance")) {
        out.code = s(concept_text(member(r, "code")));
        out.status = s(status_code("clinicalStatus"));
        out.criticality = s(str(r, "criticality"));
        out.reaction = s(each(member(r, "reaction"), [](const Json& x) {
            return each(member(x, "manifestation"), [](const Json& m) { return concept_text(&m); });
        }));
    } else if (type == QLatin1String("Appointment")) {
        out.text = s(str(r, "description"));
        out.status = s(str(r, "status"));
        out.start = s(str(r, "start"));
        out.end = s(str(r, "end"));
    } else if (type == QLatin1String("DocumentReference")) {
        const Json* a = first_attachment(r);
        out.title = s(str(r, "description").isEmpty() && a ? str(*a, "title") : str(r, "description"));
        out.text = s(inline_text(a));
    }
    return out;
}

QString fields_html(const std::vector<FormField>& fields, const std::vector<QString>& changed) {
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='4'>");
    for (const auto& f : fields) {
        const bool is_changed = std::find(changed.begin(), changed.end(), f.label) != changed.end();
        QString value = f.value.toHtmlEscaped();
        value.replace(QLatin1Char('\n'), QLatin1String("<br>"));
        html += is_changed ? QStringLiteral("<tr style='background-color:#fff3b0; color:black'>") : QStringLiteral("<tr>");
        html += QStringLiteral("<th align='left' valign='top'>%1%2</th><td>%3</td></tr>")
                    .arg(is_changed ? QStringLiteral("\u270E ") : QString(), f.label.toHtmlEscaped(), value);
    }
    return html + QStringLiteral("</table>");
}

QString short_hash(const std::string& hash) {
    const QString h = qstr(hash);
    return h.size() <= 14 ? h : h.left(6) + QChar(0x2026) + h.right(4);
}

QString version_line(const client::RecordVersion& v, std::uint32_t latest, const QString& author) {
    QStringList parts;
    parts << QObject::tr("v%1 of %2").arg(v.version).arg(latest);
    if (!author.isEmpty()) parts << QObject::tr("by %1").arg(author);
    if (v.timestamp != 0) parts << format_time(v.timestamp);
    if (!v.tx.empty()) parts << QObject::tr("tx %1").arg(short_hash(v.tx));
    return parts.join(QStringLiteral(" \u00B7 "));
}

QString record_html(const client::Record& record, const QString& author, const ReferenceNames& names) {
    QString html = QStringLiteral("<h3>%1</h3>").arg(qstr(record.summary).toHtmlEscaped());
    html += QStringLiteral("<p><i>%1</i></p>")
                .arg(version_line(record.info, record.latest_version, author).toHtmlEscaped());
    html += fields_html(form_fields(record.resource, names));
    if (record.attachments > 0)
        html += QStringLiteral("<p>%1</p>").arg(QObject::tr("%n attached file(s), listed below.", nullptr,
                                                            static_cast<int>(record.attachments)));
    return html;
}

}  // namespace dossier::desktop
