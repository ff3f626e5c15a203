#include "dossier/store_check.hpp"

#include <optional>
#include <set>

#include "dossier/files.hpp"
#include "dossier/patients.hpp"
#include "dossier/records.hpp"
#include "ipfs/content_store.hpp"
#include "ipfs/errors.hpp"

namespace dossier::core {

namespace {

struct Named {
    std::string object;
    ObjectRef ref;
};

/// Every object of `patient` the chain names, oldest first.
std::vector<Named> objects_of(Context& ctx, const eth::Address& patient) {
    if (!patient_info(ctx, patient).registered)
        throw RefusedError(ErrorCode::not_found, "account " + patient.to_checksum() + " is not a registered patient");
    std::vector<Named> out;
    std::uint32_t profile_version = 0;
    for (const auto& e : patient_entries(ctx, patient)) {
        if (e.kind != EntryKind::registered && e.kind != EntryKind::profile_updated) continue;
        ObjectRef ref;
        ref.digest = e.data;  // profiles are single raw blocks (see profile_ref)
        ref.meta = patient_profile_object_id();
        ref.meta[31] = static_cast<std::uint8_t>(ipfs::kCodecRaw);
        out.push_back({"profile version " + std::to_string(++profile_version), ref});
    }
    for (const auto& v : record_versions(ctx, patient))
        out.push_back({"record " + std::to_string(v.record_id) + " version " + std::to_string(v.version), v.ref});
    for (const auto& a : attachments_of(ctx, patient))
        out.push_back({"file " + std::to_string(a.index) + " of record " + std::to_string(a.record_id), a.ref});
    return out;
}

/// Reads the whole object, every block verified by the store; nullopt if it is intact, else why.
std::optional<std::string> problem_of(Context& ctx, const ipfs::Cid& cid, std::uint64_t& bytes) {
    try {
        auto source = ctx.store().cat(cid);
        Bytes buf(1 << 20);
        for (std::size_t n; (n = source->read(buf)) > 0;) bytes += n;
        return std::nullopt;
    } catch (const ipfs::BlockNotFoundError& e) {
        return "missing from the store (" + std::string(e.what()) + ")";
    } catch (const ipfs::IpfsError& e) {  // corrupt blocks, a node that misbehaves
        return std::string(e.what());
    } catch (const DecodeError& e) {  // a block that does not decode as what its CID says
        return std::string(e.what());
    }
}

}  // namespace

StoreCheck check_patient_objects(Context& ctx, const eth::Address& patient, const ProgressFn& progress) {
    const auto objects = objects_of(ctx, patient);
    StoreCheck check;
    for (const auto& o : objects) {
        std::string cid_text;
        std::optional<std::string> problem;
        try {
            const ipfs::Cid cid = cid_of(o.ref);
            cid_text = cid.to_string();
            problem = problem_of(ctx, cid, check.bytes);
        } catch (const DecodeError& e) {  // a reference the chain holds that names no valid CID
            problem = std::string(e.what());
        }
        if (problem) check.problems.push_back({o.object, cid_text, *problem});
        ++check.objects;
        if (progress) progress(check.objects, objects.size());
    }
    return check;
}

std::vector<eth::Address> registered_patients(Context& ctx) {
    std::vector<eth::Address> out;
    std::set<eth::Address> seen;
    for (const auto& e : all_entries(ctx)) {
        if (e.kind == EntryKind::registered && seen.insert(e.patient).second) out.push_back(e.patient);
    }
    return out;
}

}  // namespace dossier::core
