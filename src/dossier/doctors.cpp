#include "dossier/doctors.hpp"

#include <map>

#include "eth/uint256.hpp"
#include "ipfs/content_store.hpp"

namespace dossier::core {
namespace abi = eth::abi;
namespace gen = chain::gen;

namespace {

/// Builds, serialises and stores the Practitioner document; returns its CID.
ipfs::Cid store_profile(Context& ctx, const eth::Address& doctor, const fhir::PractitionerFields& fields) {
    fhir::PractitionerFields f = fields;
    if (f.id.empty()) f.id = doctor.to_hex();
    const fhir::Json resource = fhir::practitioner(f);
    const std::string text = resource.dump();
    if (text.size() > kMaxProfileBytes)
        throw RefusedError(ErrorCode::invalid_input,
                           "the doctor's profile is " + std::to_string(text.size()) + " bytes, more than the " +
                           std::to_string(kMaxProfileBytes) + " a profile may have");
    auto source = ipfs::source_from_bytes(as_bytes(text));
    const ipfs::Cid cid = ctx.store().add(*source).root.to_v1();
    if (cid.codec != ipfs::kCodecRaw) throw Error("the doctor's profile was not stored as a single raw block");
    return cid;
}

std::optional<fhir::Json> load_profile(Context& ctx, const Bytes32& digest) {
    try {
        const ipfs::Cid cid = profile_cid(digest);
        if (!ctx.store().has(cid)) return std::nullopt;
        auto source = ctx.store().cat(cid, 0, kMaxProfileBytes);
        const Bytes bytes = ipfs::read_all(*source);
        auto json = fhir::Json::parse(as_chars(bytes), nullptr, false);
        if (json.is_discarded() || !json.is_object()) return std::nullopt;
        return json;
    } catch (const Error&) {
        return std::nullopt;  // unavailable or corrupt: the profile is shown as missing
    }
}

void authority_call(Context& ctx, const eth::PrivateKey& authority, const eth::Address& doctor,
                    std::string_view signature, const char* verb) {
    const abi::Value args[] = {abi::Value::address(doctor)};
    try {
        (void)ctx.contracts().transact(ctx.sender(authority), ctx.manifest().doctor, signature, args);
    } catch (const eth::RevertedError& e) {
        if (reverted_with(e, "OwnableUnauthorizedAccount"))
            refuse(e, "account " + authority.address().to_checksum() +
                          " is not the credentialing authority and may not " + verb + " doctors");
        if (reverted_with(e, "InvalidStatus"))
            refuse(e, "doctor " + doctor.to_checksum() + " cannot be " + verb + "d from status '" +
                          to_string(doctor_status(ctx, doctor)) + "'");
        throw;
    }
}

}  // namespace

bool reverted_with(const eth::RevertedError& e, std::string_view name) {
    return e.detail() == name;
}

ErrorCode revert_code(std::string_view contract_error) noexcept {
    // The custom errors of contracts/src/*.sol (and OpenZeppelin's Ownable), by what a face does
    // about them. Names not listed (ChainFull, and any a later contract adds) stay reverted, with
    // the name as detail.
    struct Entry {
        std::string_view name;
        ErrorCode code;
    };
    static constexpr Entry kTable[] = {
        {"NotAuthorized", ErrorCode::permission_denied},
        {"NotVerified", ErrorCode::permission_denied},
        {"NoActiveGrant", ErrorCode::permission_denied},
        {"OnlyPatientContract", ErrorCode::permission_denied},
        {"RenounceDisabled", ErrorCode::permission_denied},
        {"InvalidConsent", ErrorCode::permission_denied},
        {"OwnableUnauthorizedAccount", ErrorCode::permission_denied},
        {"ConsentExpired", ErrorCode::access_expired},
        {"UnknownPatient", ErrorCode::not_found},
        {"NotRegistered", ErrorCode::not_found},
        {"UnknownRecord", ErrorCode::not_found},
        {"NoPendingRequest", ErrorCode::not_found},
        {"NotBlocked", ErrorCode::not_found},
        {"RequestsBlocked", ErrorCode::permission_denied},
        {"RevokeFirst", ErrorCode::conflict},
        {"ConsentWasCancelled", ErrorCode::permission_denied},
        {"StaleEpoch", ErrorCode::conflict},
        {"RotationRequired", ErrorCode::conflict},
        {"GranteeCount", ErrorCode::conflict},
        {"RotationNotRequired", ErrorCode::conflict},
        {"TooManyGrantees", ErrorCode::conflict},
        {"AlreadyRegistered", ErrorCode::already_exists},
        {"RequestPending", ErrorCode::already_exists},
        {"AlreadyApproved", ErrorCode::already_exists},
        {"StaleVersion", ErrorCode::conflict},
        // The doctor is not in a state the transition starts from (verifying a verified doctor):
        // the request names the wrong doctor or action.
        {"InvalidStatus", ErrorCode::invalid_input},
        {"InvalidPublicKey", ErrorCode::invalid_input},
        {"InvalidExpiry", ErrorCode::invalid_input},
        {"EmptyEnvelope", ErrorCode::invalid_input},
        {"LengthMismatch", ErrorCode::invalid_input},
        {"RevokedRecipient", ErrorCode::invalid_input},
        {"UnexpectedAddress", ErrorCode::deployment},
    };
    for (const Entry& entry : kTable)
        if (entry.name == contract_error) return entry.code;
    return ErrorCode::reverted;
}

void refuse(const eth::RevertedError& e, const std::string& message) {
    throw RefusedError(revert_code(e.detail()), message, e.detail());
}

void refuse_unverified(DoctorStatus status, const std::string& message, std::string detail) {
    throw RefusedError(status == DoctorStatus::suspended ? ErrorCode::suspended : ErrorCode::permission_denied, message,
                       std::move(detail));
}

const char* to_string(DoctorStatus status) noexcept {
    switch (status) {
        case DoctorStatus::none: return "none";
        case DoctorStatus::registered: return "registered";
        case DoctorStatus::verified: return "verified";
        case DoctorStatus::suspended: return "suspended";
    }
    return "unknown";
}

ipfs::Cid profile_cid(const Bytes32& digest) {
    ipfs::Multihash mh;
    mh.digest = digest;
    return ipfs::Cid::v1(ipfs::kCodecRaw, mh);
}

DoctorRegistration register_doctor(Context& ctx, const eth::PrivateKey& doctor, const fhir::PractitionerFields& fields) {
    const eth::Address address = doctor.address();
    if (doctor_status(ctx, address) != DoctorStatus::none)
        throw RefusedError(ErrorCode::already_exists,
                           "account " + address.to_checksum() + " is already registered as a doctor");
    const ipfs::Cid cid = store_profile(ctx, address, fields);
    const eth::PublicKey pub = doctor.public_key();
    const abi::Value args[] = {abi::Value::bytes(Bytes(pub.bytes().begin(), pub.bytes().end())),
                               abi::Value::fixed_bytes(Bytes(cid.hash.digest.begin(), cid.hash.digest.end()))};
    eth::Receipt receipt;
    try {
        receipt = ctx.contracts().transact(ctx.sender(doctor), ctx.manifest().doctor,
                                           gen::DoctorContract::fn::registerDoctor, args);
    } catch (const eth::RevertedError& e) {
        if (reverted_with(e, "AlreadyRegistered"))
            refuse(e, "account " + address.to_checksum() + " is already registered as a doctor");
        throw;
    }
    return DoctorRegistration{address, cid.hash.digest, cid, receipt.transaction_hash};
}

Bytes32 update_doctor_profile(Context& ctx, const eth::PrivateKey& doctor, const fhir::PractitionerFields& fields) {
    const eth::Address address = doctor.address();
    if (doctor_status(ctx, address) == DoctorStatus::none)
        throw RefusedError(ErrorCode::not_found, "account " + address.to_checksum() + " is not a registered doctor");
    const ipfs::Cid cid = store_profile(ctx, address, fields);
    const abi::Value args[] = {abi::Value::fixed_bytes(Bytes(cid.hash.digest.begin(), cid.hash.digest.end()))};
    (void)ctx.contracts().transact(ctx.sender(doctor), ctx.manifest().doctor, gen::DoctorContract::fn::updateProfile,
                                   args);
    return cid.hash.digest;
}

void verify_doctor(Context& ctx, const eth::PrivateKey& authority, const eth::Address& doctor) {
    authority_call(ctx, authority, doctor, gen::DoctorContract::fn::verifyDoctor, "verify");
}

void suspend_doctor(Context& ctx, const eth::PrivateKey& authority, const eth::Address& doctor) {
    authority_call(ctx, authority, doctor, gen::DoctorContract::fn::suspendDoctor, "suspend");
}

DoctorStatus doctor_status(Context& ctx, const eth::Address& doctor) {
    const abi::Value args[] = {abi::Value::address(doctor)};
    const auto r = ctx.contracts().view(ctx.manifest().doctor, gen::DoctorContract::fn::doctorOf,
                                        gen::DoctorContract::returns::doctorOf, args);
    const std::uint64_t s = eth::to_u64(r.at(0).as_uint());
    if (s > 3) throw DecodeError("DoctorContract returned an unknown doctor status " + std::to_string(s));
    return static_cast<DoctorStatus>(s);
}

DoctorInfo doctor_info(Context& ctx, const eth::Address& doctor) {
    DoctorInfo info;
    info.address = doctor;
    const abi::Value args[] = {abi::Value::address(doctor)};
    const auto r = ctx.contracts().view(ctx.manifest().doctor, gen::DoctorContract::fn::doctorOf,
                                        gen::DoctorContract::returns::doctorOf, args);
    const std::uint64_t s = eth::to_u64(r.at(0).as_uint());
    if (s > 3) throw DecodeError("DoctorContract returned an unknown doctor status " + std::to_string(s));
    info.status = static_cast<DoctorStatus>(s);
    info.since = eth::to_u64(r.at(1).as_uint());
    if (info.status == DoctorStatus::none) return info;
    const auto topic = chain::address_topic(doctor);
    const auto registered = ctx.contracts().events(ctx.manifest().doctor, gen::DoctorContract::ev::DoctorRegistered, {topic});
    if (!registered.empty()) {
        info.public_key = eth::PublicKey::from_bytes(registered.front().values.at(1).as_bytes());
        info.profile_digest = registered.front().values.at(2).as_bytes32();
    }
    const auto updated = ctx.contracts().events(ctx.manifest().doctor, gen::DoctorContract::ev::DoctorProfileUpdated, {topic});
    if (!updated.empty()) info.profile_digest = updated.back().values.at(1).as_bytes32();
    if (info.profile_digest) info.profile = load_profile(ctx, *info.profile_digest);
    return info;
}

std::vector<DoctorInfo> list_doctors(Context& ctx) {
    const auto registered = ctx.contracts().events(ctx.manifest().doctor, gen::DoctorContract::ev::DoctorRegistered);
    const auto updated = ctx.contracts().events(ctx.manifest().doctor, gen::DoctorContract::ev::DoctorProfileUpdated);
    std::map<eth::Address, Bytes32> latest_profile;
    for (const auto& e : updated) latest_profile[e.values.at(0).as_address()] = e.values.at(1).as_bytes32();
    std::vector<DoctorInfo> out;
    for (const auto& e : registered) {
        DoctorInfo info;
        info.address = e.values.at(0).as_address();
        const abi::Value args[] = {abi::Value::address(info.address)};
        const auto r = ctx.contracts().view(ctx.manifest().doctor, gen::DoctorContract::fn::doctorOf,
                                            gen::DoctorContract::returns::doctorOf, args);
        const std::uint64_t s = eth::to_u64(r.at(0).as_uint());
        info.status = s <= 3 ? static_cast<DoctorStatus>(s) : DoctorStatus::none;
        info.since = eth::to_u64(r.at(1).as_uint());
        info.public_key = eth::PublicKey::from_bytes(e.values.at(1).as_bytes());
        info.profile_digest = e.values.at(2).as_bytes32();
        if (auto it = latest_profile.find(info.address); it != latest_profile.end()) info.profile_digest = it->second;
        info.profile = load_profile(ctx, *info.profile_digest);
        out.push_back(std::move(info));
    }
    return out;
}

eth::PublicKey doctor_public_key(Context& ctx, const eth::Address& doctor) {
    const auto registered = ctx.contracts().events(ctx.manifest().doctor, gen::DoctorContract::ev::DoctorRegistered,
                                                   {chain::address_topic(doctor)});
    if (registered.empty())
        throw RefusedError(ErrorCode::not_found, "account " + doctor.to_checksum() + " is not a registered doctor");
    const auto key = eth::PublicKey::from_bytes(registered.front().values.at(1).as_bytes());
    if (key.address() != doctor)
        throw DecodeError("the public key registered for doctor " + doctor.to_checksum() + " is not its key");
    return key;
}

}  // namespace dossier::core
