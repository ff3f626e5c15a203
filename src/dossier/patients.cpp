#include "dossier/patients.hpp"

#include <algorithm>
#include <string>

#include "base/hex.hpp"
#include "dossier/key_rotation.hpp"
#include "dossier/record_document.hpp"
#include "eth/keccak.hpp"
#include "eth/uint256.hpp"

namespace dossier::core {
namespace abi = eth::abi;
namespace gen = chain::gen;

namespace {

/// A sealed profile must stay one raw block: plaintext plus the sealed-object overhead (145-byte
/// header, 16 bytes per 64 KiB segment) under 256 KiB.
constexpr std::size_t kMaxPatientProfileBytes = 255 * 1024;

std::string profile_json(const eth::Address& patient, const fhir::PatientFields& fields) {
    fhir::PatientFields f = fields;
    if (f.id.empty()) f.id = patient.to_hex();
    std::string text = fhir::patient(f).dump();
    if (text.size() > kMaxPatientProfileBytes)
        throw RefusedError(ErrorCode::invalid_input,
                           "the patient's profile is " + std::to_string(text.size()) + " bytes, more than the " +
                           std::to_string(kMaxPatientProfileBytes) + " a profile may have");
    pad_document(text);
    return text;
}

ObjectRef seal_profile(Context& ctx, const EpochKey& key, const eth::Address& patient, const std::string& text) {
    auto source = ipfs::source_from_bytes(as_bytes(text));
    const ObjectRef ref = store_sealed(ctx, key, patient, patient_profile_object_id(), 0, *source, text.size());
    if (ref.meta[31] != ipfs::kCodecRaw) throw Error("the sealed profile was not stored as a single raw block");
    return ref;
}

void require_unregistered(Context& ctx, const eth::Address& patient) {
    if (patient_info(ctx, patient).registered)
        throw RefusedError(ErrorCode::already_exists,
                           "account " + patient.to_checksum() + " is already registered as a patient");
}

}  // namespace

Bytes32 patient_profile_object_id() {
    Bytes32 id = eth::keccak256(as_bytes("dossier/patient-profile"));
    id[31] = 0;
    return id;
}

PatientRegistration register_patient(Context& ctx, const eth::PrivateKey& patient, const fhir::PatientFields& fields) {
    const eth::Address address = patient.address();
    require_unregistered(ctx, address);
    const std::string text = profile_json(address, fields);
    const EpochKey key{1, new_data_key()};
    const ObjectRef ref = seal_profile(ctx, key, address, text);
    const Bytes envelope = wrap_epoch_key(key.key, address, 1, patient.public_key());
    const eth::PublicKey pub = patient.public_key();
    const abi::Value args[] = {abi::Value::bytes(Bytes(pub.bytes().begin(), pub.bytes().end())), abi::Value::bytes32(ref.digest),
                               abi::Value::bytes(envelope)};
    eth::Receipt receipt;
    try {
        receipt = ctx.contracts().transact(ctx.sender(patient), ctx.manifest().patient,
                                           gen::PatientContract::fn::registerPatient, args);
    } catch (const eth::RevertedError& e) {
        if (reverted_with(e, "AlreadyRegistered"))
            refuse(e, "account " + address.to_checksum() + " is already registered as a patient");
        throw;
    }
    return PatientRegistration{address, ref, receipt.transaction_hash};
}

eth::eip712::TypedData consent_typed_data(Context& ctx, const Consent& c) {
    eth::eip712::TypedData td;
    td.types["Consent"] = {{"doctor", "address"},         {"profile", "bytes32"}, {"patientEnvelope", "bytes"},
                           {"doctorEnvelope", "bytes"}, {"expiry", "uint40"},   {"deadline", "uint40"}};
    td.primary_type = "Consent";
    td.domain = {{"name", "Dossier"},
                 {"version", "1"},
                 {"chainId", ctx.manifest().chain_id},
                 {"verifyingContract", ctx.manifest().patient.to_hex()}};
    td.message = {{"doctor", c.doctor.to_hex()},
                  {"profile", to_hex(c.profile.digest)},
                  {"patientEnvelope", to_hex(c.patient_envelope)},
                  {"doctorEnvelope", to_hex(c.doctor_envelope)},
                  {"expiry", c.expiry},
                  {"deadline", c.deadline}};
    return td;
}

Consent sign_consent(Context& ctx, const eth::PrivateKey& patient, const eth::Address& doctor,
                     const fhir::PatientFields& fields, std::uint64_t expiry, std::uint64_t deadline) {
    const eth::Address address = patient.address();
    require_unregistered(ctx, address);
    const std::uint64_t now = ctx.chain_time();
    if (expiry <= now || expiry >= (std::uint64_t{1} << 40))
        throw RefusedError(ErrorCode::invalid_input,
                           "the grant's expiry " + std::to_string(expiry) + " is not a future time");
    if (deadline < now || deadline >= (std::uint64_t{1} << 40))
        throw RefusedError(ErrorCode::invalid_input,
                           "the consent's deadline " + std::to_string(deadline) + " is not a future time");
    const DoctorStatus status = doctor_status(ctx, doctor);
    if (status != DoctorStatus::verified)
        refuse_unverified(status, "doctor " + doctor.to_checksum() + " is not verified (status: " + to_string(status) +
                                      ") and may not register patients");
    const eth::PublicKey doctor_key = doctor_public_key(ctx, doctor);

    Consent c;
    c.patient = address;
    c.doctor = doctor;
    c.expiry = expiry;
    c.deadline = deadline;
    const std::string text = profile_json(address, fields);
    const EpochKey key{1, new_data_key()};
    c.profile = seal_profile(ctx, key, address, text);
    c.public_key = patient.public_key().bytes();
    c.patient_envelope = wrap_epoch_key(key.key, address, 1, patient.public_key());
    c.doctor_envelope = wrap_epoch_key(key.key, address, 1, doctor_key);
    c.signature = eth::eip712::sign(patient, consent_typed_data(ctx, c)).to_bytes();
    return c;
}

PatientRegistration submit_consent(Context& ctx, const eth::PrivateKey& doctor, const Consent& c) {
    const eth::Address sender = doctor.address();
    if (sender != c.doctor)
        throw RefusedError(ErrorCode::permission_denied,
                           "the consent names doctor " + c.doctor.to_checksum() + ", not " + sender.to_checksum());
    const abi::Value args[] = {abi::Value::address(c.patient),
                               abi::Value::bytes(Bytes(c.public_key.begin(), c.public_key.end())),
                               abi::Value::bytes32(c.profile.digest),
                               abi::Value::bytes(c.patient_envelope),
                               abi::Value::bytes(c.doctor_envelope),
                               abi::Value::uint(c.expiry),
                               abi::Value::uint(c.deadline),
                               abi::Value::bytes(Bytes(c.signature.begin(), c.signature.end()))};
    eth::Receipt receipt;
    try {
        receipt = ctx.contracts().transact(ctx.sender(doctor), ctx.manifest().patient,
                                           gen::PatientContract::fn::registerPatientFor, args);
    } catch (const eth::RevertedError& e) {
        if (reverted_with(e, "InvalidConsent"))
            refuse(e, "the consent was not signed by patient " + c.patient.to_checksum() +
                          " for these terms and doctor " + sender.to_checksum());
        if (reverted_with(e, "ConsentExpired"))
            refuse(e, "the patient's consent expired at " + std::to_string(c.deadline));
        if (reverted_with(e, "InvalidExpiry"))
            refuse(e, "the grant's expiry " + std::to_string(c.expiry) + " is not a future time");
        if (reverted_with(e, "NotVerified"))
            refuse_unverified(doctor_status(ctx, sender),
                              "doctor " + sender.to_checksum() + " is not verified and may not register patients",
                              e.detail());
        if (reverted_with(e, "AlreadyRegistered"))
            refuse(e, "account " + c.patient.to_checksum() + " is already registered as a patient");
        throw;
    }
    return PatientRegistration{c.patient, c.profile, receipt.transaction_hash};
}

PatientRegistration register_patient_by_doctor(Context& ctx, const eth::PrivateKey& doctor,
                                               const eth::PrivateKey& patient, const fhir::PatientFields& fields,
                                               std::uint64_t expiry, std::optional<std::uint64_t> deadline) {
    const std::uint64_t dl = deadline ? *deadline : ctx.chain_time() + 3600;
    const Consent consent = sign_consent(ctx, patient, doctor.address(), fields, expiry, dl);
    return submit_consent(ctx, doctor, consent);
}

ObjectRef update_profile(Context& ctx, Keyring& patient_keyring, const eth::PrivateKey& patient,
                         const fhir::PatientFields& fields) {
    const eth::Address address = patient.address();
    if (patient_keyring.reader() != address)
        throw RefusedError(ErrorCode::permission_denied,
                           "only patient " + address.to_checksum() + " may update its profile");
    if (!patient_info(ctx, address).registered)
        throw RefusedError(ErrorCode::not_found, "account " + address.to_checksum() + " is not a registered patient");
    const std::string text = profile_json(address, fields);
    return write_sealed(ctx, patient, patient_keyring, address, [&](const EpochKey& key) {
        const ObjectRef ref = seal_profile(ctx, key, address, text);
        const abi::Value args[] = {abi::Value::bytes32(ref.digest), abi::Value::uint(key.epoch)};
        (void)ctx.contracts().transact(ctx.sender(patient), ctx.manifest().patient,
                                       gen::PatientContract::fn::updateProfile, args);
        return ref;
    });
}

PatientInfo patient_info(Context& ctx, const eth::Address& patient) {
    const abi::Value args[] = {abi::Value::address(patient)};
    const auto r = ctx.contracts().view(ctx.manifest().patient, gen::PatientContract::fn::patientOf,
                                        gen::PatientContract::returns::patientOf, args);
    PatientInfo info;
    info.patient = patient;
    info.epoch = static_cast<std::uint32_t>(eth::to_u64(r.at(0).as_uint()));
    info.records = static_cast<std::uint32_t>(eth::to_u64(r.at(1).as_uint()));
    const Bytes& c = r.at(2).as_fixed_bytes().data;
    std::copy_n(c.begin(), std::min(c.size(), info.profile_commitment.size()), info.profile_commitment.begin());
    info.seal_until = eth::to_u64(r.at(3).as_uint());
    info.suspensions = static_cast<std::uint32_t>(eth::to_u64(r.at(4).as_uint()));
    info.grantees = static_cast<std::uint32_t>(eth::to_u64(r.at(5).as_uint()));
    info.registered = info.epoch != 0;
    return info;
}

ObjectRef profile_ref(Context& ctx, const eth::Address& patient) {
    const PatientInfo info = patient_info(ctx, patient);
    if (!info.registered)
        throw RefusedError(ErrorCode::not_found, "account " + patient.to_checksum() + " is not a registered patient");
    std::optional<Bytes32> digest;
    for (const auto& e : patient_entries(ctx, patient))
        if (e.kind == EntryKind::registered || e.kind == EntryKind::profile_updated) digest = e.data;
    if (!digest || !std::equal(info.profile_commitment.begin(), info.profile_commitment.end(), digest->begin()))
        throw Error(ErrorCode::tampered, "the audit entries of patient " + patient.to_checksum() +
                                         " do not match its on-chain profile commitment");
    ObjectRef ref;
    ref.digest = *digest;
    ref.meta = patient_profile_object_id();
    ref.meta[31] = static_cast<std::uint8_t>(ipfs::kCodecRaw);
    return ref;
}

fhir::Json read_profile(Context& ctx, Keyring& keyring, const eth::Address& patient) {
    const ObjectRef ref = profile_ref(ctx, patient);
    Bytes plain = open_sealed_bytes(ctx, keyring, patient, 0, ref, kMaxPatientProfileBytes);
    auto json = fhir::Json::parse(as_chars(plain), nullptr, false);
    crypto::wipe(plain);
    if (json.is_discarded() || !json.is_object() || json.value("resourceType", "") != "Patient")
        throw DecodeError("the profile of patient " + patient.to_checksum() + " is not a FHIR Patient document");
    return json;
}

namespace {

/// Decodes Entry events; entries of an unknown kind are skipped.
std::vector<ChainEntry> entries_where(Context& ctx, const std::vector<std::optional<Bytes32>>& topics,
                                      std::optional<std::pair<std::uint64_t, std::uint64_t>> blocks = std::nullopt) {
    const auto events =
        blocks ? ctx.contracts().events_between(ctx.manifest().audit, gen::AuditContract::ev::Entry, topics,
                                                blocks->first, blocks->second)
               : ctx.contracts().events(ctx.manifest().audit, gen::AuditContract::ev::Entry, topics);
    std::vector<ChainEntry> out;
    out.reserve(events.size());
    for (const auto& e : events) {
        // info = actor << 96 | timestamp << 56 | kind << 48 | seq
        const Bytes32 info = eth::to_be32(e.values.at(2).as_uint());
        ChainEntry entry;
        entry.patient = e.values.at(0).as_address();
        std::copy_n(info.begin(), 20, entry.actor.bytes.begin());
        for (std::size_t i = 20; i < 25; ++i) entry.timestamp = (entry.timestamp << 8) | info[i];
        const std::uint8_t kind = info[25];
        for (std::size_t i = 26; i < 32; ++i) entry.seq = (entry.seq << 8) | info[i];
        if (kind > static_cast<std::uint8_t>(EntryKind::accessed)) continue;
        entry.kind = static_cast<EntryKind>(kind);
        entry.subject = e.values.at(1).as_bytes32();
        entry.data = e.values.at(3).as_bytes32();
        entry.info = info;
        entry.block_number = e.log.block_number;
        entry.tx_hash = e.log.transaction_hash;
        out.push_back(entry);
    }
    return out;
}

}  // namespace

std::vector<ChainEntry> patient_entries(Context& ctx, const eth::Address& patient) {
    return entries_where(ctx, {chain::address_topic(patient)});
}

std::vector<ChainEntry> all_entries(Context& ctx) { return entries_where(ctx, {}); }

std::vector<ChainEntry> entries_between(Context& ctx, std::uint64_t from, std::uint64_t to,
                                        const std::optional<eth::Address>& patient) {
    std::vector<std::optional<Bytes32>> topics;
    if (patient) topics.push_back(chain::address_topic(*patient));
    return entries_where(ctx, topics, std::make_pair(from, to));
}

}  // namespace dossier::core
