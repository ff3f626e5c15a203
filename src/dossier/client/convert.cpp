#include "dossier/client/convert.hpp"

#include "base/hex.hpp"
#include "fhir/summary.hpp"

namespace dossier::client::convert {

core::Config to_core(const Config& config) {
    core::Config c;
    c.data_dir = config.data_dir.empty() ? core::default_data_dir() : config.data_dir;
    c.rpc_url = config.rpc_url;
    c.chain_id = config.chain_id;
    c.ipfs_api = config.ipfs_api;
    c.manifest_file = config.manifest_file;
    return c;
}

core::Role to_core(Role role) noexcept {
    switch (role) {
        case Role::doctor: return core::Role::doctor;
        case Role::admin: return core::Role::admin;
        case Role::patient: break;
    }
    return core::Role::patient;
}

namespace {
Role role_of(core::Role role) noexcept {
    switch (role) {
        case core::Role::doctor: return Role::doctor;
        case core::Role::admin: return Role::admin;
        case core::Role::patient: break;
    }
    return Role::patient;
}

// The client's kinds are declared in the library's order, so each converts by position.
static_assert(static_cast<int>(RecordKind::file) == static_cast<int>(core::RecordKind::file));
static_assert(static_cast<int>(RecordKind::clinical) == static_cast<int>(core::RecordKind::clinical));
static_assert(static_cast<int>(DoctorStatus::suspended) == static_cast<int>(core::DoctorStatus::suspended));
static_assert(static_cast<int>(RequestState::blocked) == static_cast<int>(core::RequestState::blocked));
}  // namespace

core::RecordKind to_core(RecordKind kind) noexcept { return static_cast<core::RecordKind>(kind); }
RecordKind to_client(core::RecordKind kind) noexcept { return static_cast<RecordKind>(kind); }

AccountInfo to_client(const core::AccountInfo& a) {
    return AccountInfo{to_client(a.address), role_of(a.role), a.label, a.keystore_file, a.created};
}

Deployment to_client(const chain::Manifest& m) {
    Deployment d;
    d.chain_id = m.chain_id;
    d.patient_contract = to_client(m.patient);
    d.doctor_contract = to_client(m.doctor);
    d.audit_contract = to_client(m.audit);
    d.deployment_block = m.deployment_block;
    d.manifest = Json::parse(m.to_json());
    return d;
}

NodeStatus to_client(const core::NodeStatus& s) {
    NodeStatus n;
    n.embedded = s.embedded;
    n.anvil_running = s.anvil_running;
    n.anvil_pid = static_cast<int>(s.anvil_pid);
    n.rpc_url = s.rpc_url;
    n.rpc_ok = s.rpc_ok;
    n.chain_id = s.chain_id;
    n.block_number = s.block_number;
    n.manifest_path = s.manifest_path;
    if (s.manifest) n.deployment = to_client(*s.manifest);
    n.deployment_ok = s.deployment_ok;
    if (s.authority) n.authority = to_client(*s.authority);
    n.gateway_enabled = s.gateway_enabled;
    n.gateway_running = s.gateway_running;
    n.gateway_ok = s.gateway_ok;
    n.gateway_pid = static_cast<int>(s.gateway_pid);
    n.gateway_url = s.gateway_url;
    n.started_anvil = s.started_anvil;
    n.started_gateway = s.started_gateway;
    n.deployed = s.deployed;
    const auto& r = s.recovery;
    n.recovery = RecoveryReport{r.journaled, r.already_on_chain, r.in_flight, r.resent,     r.reverted,
                                r.superseded, r.rejected,        r.unrecoverable, r.problems};
    n.problems = s.problems;
    n.healthy = s.healthy();
    return n;
}

DoctorInfo to_client(const core::DoctorInfo& d) {
    DoctorInfo i;
    i.address = to_client(d.address);
    i.status = static_cast<DoctorStatus>(d.status);
    i.since = d.since;
    if (d.public_key) i.public_key = to_hex(d.public_key->bytes());
    if (d.profile_digest) i.profile_digest = to_hex(*d.profile_digest);
    if (d.profile) {
        i.profile = *d.profile;
        i.summary = fhir::summary(*d.profile);
    }
    return i;
}

PatientInfo to_client(const core::PatientInfo& p) {
    return PatientInfo{to_client(p.patient), p.registered, p.epoch, p.records};
}

PatientRegistration to_client(const core::PatientRegistration& r) {
    return PatientRegistration{to_client(r.patient), to_hex(r.profile.digest), to_hex(r.profile.meta), to_hex(r.tx_hash)};
}

AccessRequest to_client(const core::AccessRequest& r) {
    return AccessRequest{to_client(r.doctor), static_cast<RequestState>(r.state), r.expiry, r.epoch, r.requested_at,
                         r.updated_at};
}

RecordVersion to_client(const core::RecordVersionInfo& v) {
    return RecordVersion{v.record_id,         v.version, to_client(v.author), to_hex(v.ref.digest), to_hex(v.ref.meta),
                         to_hex(v.previous), v.block,   v.timestamp,         to_hex(v.tx_hash)};
}

RecordListing to_client(const core::RecordListing& r) {
    RecordListing l;
    l.record_id = r.record_id;
    l.latest = to_client(r.latest);
    l.attachments = r.attachments;
    if (r.kind) l.kind = to_client(*r.kind);
    l.summary = r.summary;
    l.readable = r.readable;
    l.problem = r.problem;
    return l;
}

FileListing to_client(const core::FileListing& f) {
    FileListing l;
    l.record_id = f.record_id;
    l.index = f.index;
    l.author = to_client(f.author);
    l.digest = to_hex(f.ref.digest);
    l.block = f.block;
    l.timestamp = f.timestamp;
    l.tx = to_hex(f.tx_hash);
    l.file_record_id = f.file_record_id;
    if (f.description) {
        l.name = f.description->name;
        l.content_type = f.description->content_type;
        l.size = f.description->size;
    }
    l.error = f.error;
    return l;
}

AuditEntry to_client(const core::AuditEntry& e) {
    AuditEntry a;
    a.seq = e.seq;
    a.kind = std::string(core::entry_kind_name(e.kind));
    a.actor = to_client(e.actor);
    a.timestamp = e.timestamp;
    a.block = e.block;
    a.tx = to_hex(e.tx_hash);
    a.text = core::describe(e);
    if (e.doctor) a.doctor = to_client(*e.doctor);
    a.record_id = e.record_id;
    a.expiry = e.expiry;
    return a;
}

AuditVerification to_client(const core::AuditVerification& v) {
    return AuditVerification{v.ok, v.entries, v.chain_seq, v.first_bad_seq, v.message};
}

StoreCheck to_client(const eth::Address& patient, const core::StoreCheck& c) {
    StoreCheck s;
    s.patient = to_client(patient);
    s.objects = c.objects;
    s.bytes = c.bytes;
    for (const auto& p : c.problems) s.problems.push_back(ObjectProblem{p.object, p.cid, p.problem});
    return s;
}

namespace {
/// "Gregory House" -> given "Gregory", family "House"; one word is the family name.
void split_name(const std::string& name, std::string& given, std::string& family) {
    const auto pos = name.find_last_of(' ');
    if (pos == std::string::npos) {
        family = name;
        given.clear();
    } else {
        given = name.substr(0, pos);
        family = name.substr(pos + 1);
    }
}
}  // namespace

fhir::PractitionerFields to_fhir(const DoctorProfile& p) {
    fhir::PractitionerFields f;
    split_name(p.name, f.given_name, f.family_name);
    f.specialty = p.specialty;
    f.licence_number = p.licence;
    f.phone = p.phone;
    f.email = p.email;
    return f;
}

fhir::PatientFields to_fhir(const PatientProfile& p) {
    fhir::PatientFields f;
    split_name(p.name, f.given_name, f.family_name);
    f.birth_date = p.birth_date;
    f.gender = p.gender;
    f.phone = p.phone;
    f.email = p.email;
    return f;
}

core::RecordFields to_core(const RecordFields& f) {
    return core::RecordFields{f.code, f.text, f.status, f.start, f.end, f.dosage, f.criticality, f.reaction, f.title};
}

}  // namespace dossier::client::convert
