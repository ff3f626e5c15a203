#include "dossier/client/doctor_patients.hpp"

#include "dossier/client/convert.hpp"
#include "dossier/index/index_queries.hpp"

namespace dossier::client::detail {

namespace cv = convert;

std::vector<DoctorsPatient> doctor_patients(Connection& connection, const Address& doctor) {
    const auto ctx = connection.context();
    const std::uint64_t now = ctx->chain_time();
    return connection.index()->read(*ctx, {}, [&](index::IndexDb& db) {
        std::vector<DoctorsPatient> out;
        for (const auto& p : index::doctor_patients(db, cv::to_eth(doctor), now)) {
            DoctorsPatient d;
            d.patient = cv::to_client(p.patient);
            d.grant = cv::to_client(p.grant);
            d.registered_by_doctor = p.registered_by_doctor;
            out.push_back(std::move(d));
        }
        return out;
    });
}

namespace {

/// The display name of a FHIR Patient: its first name's text, else given names then family.
std::optional<std::string> name_of(const Json& patient) {
    const auto names = patient.find("name");
    if (names == patient.end() || !names->is_array() || names->empty()) return std::nullopt;
    const Json& n = names->front();
    if (n.contains("text") && n["text"].is_string()) return n["text"].get<std::string>();
    std::string out;
    if (n.contains("given") && n["given"].is_array())
        for (const auto& g : n["given"])
            if (g.is_string()) out += (out.empty() ? "" : " ") + g.get<std::string>();
    if (n.contains("family") && n["family"].is_string()) out += (out.empty() ? "" : " ") + n["family"].get<std::string>();
    if (out.empty()) return std::nullopt;
    return out;
}

}  // namespace

void PatientDirectory::annotate(std::vector<DoctorsPatient>& patients, const ProfileReader& read,
                                const std::function<std::optional<std::string>(const Address&)>& label_of) {
    const std::lock_guard lock(mutex_);
    for (auto& p : patients) {
        auto [it, fresh] = known_.try_emplace(p.patient);
        Known& k = it->second;
        if (fresh || (!k.name && k.state_at_read != p.grant.state)) {
            k.state_at_read = p.grant.state;
            k.label = label_of(p.patient);
            try {
                const Json profile = read(p.patient);
                k.name = name_of(profile);
                if (profile.contains("birthDate") && profile["birthDate"].is_string())
                    k.birth_date = profile["birthDate"].get<std::string>();
            } catch (const Error& e) {
                if (e.code() == ErrorCode::cancelled) throw;
                // No key for this profile (never approved, or revoked before it was written):
                // the patient is shown by address.
            }
        }
        p.name = k.name;
        p.birth_date = k.birth_date;
    }
    last_ = patients;
    keys_.clear();
    keys_.reserve(last_.size());
    for (const auto& p : last_) {
        const Known& k = known_[p.patient];
        index::SearchKey key;
        if (k.name) key.names.push_back(*k.name);
        key.birth_date = k.birth_date.value_or("");
        key.address = p.patient.hex();
        key.label = k.label.value_or("");
        keys_.push_back(index::prepare(key));
    }
}

std::vector<PatientMatch> PatientDirectory::search(std::string_view query, std::size_t limit) {
    const std::lock_guard lock(mutex_);
    std::vector<PatientMatch> out;
    for (const auto& hit : index::search(keys_, query, limit)) {
        const DoctorsPatient& p = last_[hit.index];
        const Known& k = known_[p.patient];
        PatientMatch m;
        m.patient = p.patient;
        m.name = k.name.value_or("");
        m.birth_date = k.birth_date.value_or("");
        m.label = k.label;
        m.state = p.grant.state;
        m.expiry = p.grant.expiry;
        m.score = hit.score;
        out.push_back(std::move(m));
    }
    return out;
}

void PatientDirectory::clear() {
    const std::lock_guard lock(mutex_);
    known_.clear();
    last_.clear();
    keys_.clear();
}

}  // namespace dossier::client::detail
