#include "dossier/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

#include "base/atomic_file.hpp"
#include "base/unique_fd.hpp"
#include "dossier/audit.hpp"
#include "dossier/content_type.hpp"
#include "dossier/key_rotation.hpp"
#include "eth/abi.hpp"
#include "eth/abi_event.hpp"
#include "eth/rpc_error.hpp"
#include "eth/uint256.hpp"
#include "fhir/builders.hpp"
#include "ipfs/byte_stream.hpp"

namespace dossier::core {

namespace abi = eth::abi;
namespace gen = chain::gen;
namespace fs = std::filesystem;

namespace {

std::uint32_t u32(const abi::Value& v) {
    const std::uint64_t x = eth::to_u64(v.as_uint());
    if (x > 0xffffffffu) throw DecodeError("an attachment number does not fit 32 bits");
    return static_cast<std::uint32_t>(x);
}

std::string system_reason() { return std::strerror(errno); }


std::string utc_instant(std::uint64_t t) {
    const auto tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}


/// A name safe to create inside a directory: the last path component, no "." or "..", no NUL.
std::string plain_file_name(const std::string& name, const std::string& fallback) {
    std::string base = fs::path(name).filename().string();
    base.erase(std::remove(base.begin(), base.end(), '\0'), base.end());
    if (base.empty() || base == "." || base == "..") return fallback;
    return base;
}

}  // namespace

std::vector<Attachment> attachments_of(Context& ctx, const eth::Address& patient, std::optional<std::uint32_t> record_id) {
    std::vector<std::optional<Bytes32>> topics{chain::address_topic(patient)};
    if (record_id) topics.emplace_back(eth::to_be32(eth::U256(*record_id)));
    std::vector<Attachment> out;
    for (const auto& e : ctx.contracts().events(ctx.manifest().patient, gen::PatientContract::ev::FileAttached, topics)) {
        Attachment a;
        a.record_id = u32(e.values.at(1));
        a.index = u32(e.values.at(2));
        a.author = e.values.at(3).as_address();
        a.ref.digest = e.values.at(4).as_bytes32();
        a.ref.meta = e.values.at(5).as_bytes32();
        a.block = e.log.block_number;
        a.tx_hash = e.log.transaction_hash;
        out.push_back(a);
    }
    return out;
}

namespace {

/// The latest version of each record, by object id (to find a file's description).
std::map<Bytes32, RecordVersionInfo> latest_by_object(Context& ctx, const eth::Address& patient) {
    std::map<Bytes32, RecordVersionInfo> out;
    for (auto& v : record_versions(ctx, patient)) {
        auto [it, inserted] = out.try_emplace(object_id_of(v.ref.meta), v);
        if (!inserted && v.version > it->second.version) it->second = v;
    }
    return out;
}

/// The description of the file object `ref`, if there is one the reader can open.
std::optional<FileDescription> description_of(Context& ctx, Keyring& keyring, const eth::Address& patient,
                                              const ObjectRef& ref,
                                              const std::map<Bytes32, RecordVersionInfo>& records,
                                              std::optional<std::uint32_t>* file_record_id, std::string* error) {
    const auto it = records.find(object_id_of(ref.meta));
    if (it == records.end()) return std::nullopt;
    if (file_record_id) *file_record_id = it->second.record_id;
    try {
        const RecordDocument doc = open_record_document(ctx, keyring, patient, it->second);
        auto d = describe_file(doc.resource);
        if (doc.kind == RecordKind::file && d && d->meta == ref.meta) return d;
        if (error) *error = "record " + std::to_string(it->second.record_id) + " does not describe this file";
    } catch (const Error& e) {
        if (error) *error = e.what();
    }
    return std::nullopt;
}

}  // namespace

AttachedFile attach_file(Context& ctx, const eth::PrivateKey& author, const eth::Address& patient,
                         std::optional<std::uint32_t> record_id, const fs::path& path, const AttachOptions& options) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) throw Error(ErrorCode::io, "cannot open '" + path.string() + "': " + system_reason());
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        throw Error(ErrorCode::io, "cannot read '" + path.string() + "': " + system_reason());
    if (!S_ISREG(st.st_mode)) throw Error(ErrorCode::invalid_input, "'" + path.string() + "' is not a regular file");
    const auto size = static_cast<std::uint64_t>(st.st_size);
    const std::string name = options.name.empty() ? path.filename().string() : options.name;
    const std::string content_type = options.content_type.empty() ? detect_content_type(path) : options.content_type;

    // The description is built and checked before anything is stored or sent.
    const Bytes32 object_id = new_object_id();
    fhir::FileFields fields;
    fields.subject = fhir::reference_to("Patient", patient.to_hex());
    fields.content_type = content_type;
    fields.type_text = options.type_text;
    fields.title = name;
    fields.size = size;
    fields.cid = "pending";
    fields.date = utc_instant(now_seconds());
    fhir::Json resource = fhir::file_reference(fields);

    if (record_id) {
        const abi::Value args[] = {abi::Value::address(patient), abi::Value::uint(*record_id)};
        const auto r = ctx.contracts().view(ctx.manifest().patient, gen::PatientContract::fn::recordOf,
                                            gen::PatientContract::returns::recordOf, args);
        if (r.at(0).as_uint() == 0)
            throw Error(ErrorCode::not_found,
                        "patient " + patient.to_checksum() + " has no record " + std::to_string(*record_id));
    }

    Keyring keyring(ctx, author);
    ObjectRef file;
    WrittenRecord described;
    std::uint32_t target = 0;
    eth::Receipt receipt;
    try {
        // The file, its description and the attachment are sealed under one epoch; a rotation
        // that lands between them makes the attachment refused and the whole sealed again.
        receipt = write_sealed(ctx, author, keyring, patient, [&](const EpochKey& key) {
            if (::lseek(fd.get(), 0, SEEK_SET) != 0)
                throw Error(ErrorCode::io, "cannot rewind '" + path.string() + "': " + system_reason());
            auto source = ipfs::source_from_fd(fd.get());
            file = store_sealed(ctx, key, patient, object_id, 0, *source, size, options.progress);
            resource["content"][0]["attachment"]["url"] = object_url(file.meta);
            described = add_record(ctx, author, keyring, patient, RecordKind::file, resource, object_id);
            target = record_id.value_or(described.record_id);
            const abi::Value args[] = {abi::Value::address(patient), abi::Value::uint(target),
                                       abi::Value::uint(key.epoch), abi::Value::bytes32(file.digest),
                                       abi::Value::bytes32(file.meta)};
            return ctx.contracts().transact(ctx.sender(author), ctx.manifest().patient,
                                            gen::PatientContract::fn::attachFile, args);
        });
    } catch (const eth::RevertedError&) {
        rethrow_write_error(ctx, author.address(), patient, target);
    }
    AttachedFile out;
    out.record_id = target;
    out.file_record_id = described.record_id;
    out.ref = file;
    out.size = size;
    out.name = name;
    out.content_type = content_type;
    out.tx_hash = receipt.transaction_hash;
    const auto& ev = gen::PatientContract::ev::FileAttached;
    const Bytes32 topic = abi::event_topic(ev.signature);
    for (const auto& log : receipt.logs) {
        if (log.address != ctx.manifest().patient || log.topics.empty() || log.topics[0] != topic) continue;
        const auto values =
            abi::decode_log(ev.signature, std::vector<bool>(ev.indexed.begin(), ev.indexed.end()), log.topics, log.data);
        out.index = u32(values.at(2));
    }
    if (out.index == 0) throw Error("the attachFile transaction emitted no FileAttached event");
    return out;
}

std::vector<FileListing> list_files(Context& ctx, Reader& reader, const eth::Address& patient,
                                    std::optional<std::uint32_t> record_id, const ReadOptions& options) {
    const auto attachments = attachments_of(ctx, patient, record_id);
    log_read(ctx, reader, patient, AccessTarget::files, record_id.value_or(0),
             static_cast<std::uint32_t>(attachments.size()), options);
    const auto records = attachments.empty() ? std::map<Bytes32, RecordVersionInfo>{} : latest_by_object(ctx, patient);
    std::map<std::uint64_t, std::uint64_t> times;
    std::vector<FileListing> out;
    for (const auto& a : attachments) {
        FileListing f;
        f.record_id = a.record_id;
        f.index = a.index;
        f.author = a.author;
        f.ref = a.ref;
        f.block = a.block;
        f.tx_hash = a.tx_hash;
        if (!times.count(a.block)) {
            const auto b = ctx.rpc().get_block(eth::BlockRef::number(a.block));
            times[a.block] = b ? b->timestamp : 0;
        }
        f.timestamp = times[a.block];
        f.description = description_of(ctx, reader.keyring(), patient, a.ref, records, &f.file_record_id, &f.error);
        out.push_back(std::move(f));
    }
    return out;
}

FetchedFile fetch_file(Context& ctx, Reader& reader, const eth::Address& patient, std::uint32_t record_id,
                       std::uint32_t index, const fs::path& destination, const FetchOptions& options) {
    const auto attachments = attachments_of(ctx, patient, record_id);
    const auto found =
        std::find_if(attachments.begin(), attachments.end(), [&](const Attachment& a) { return a.index == index; });
    if (found == attachments.end())
        throw Error(ErrorCode::not_found,
                    "record " + std::to_string(record_id) + " of patient " + patient.to_checksum() +
                    " has no attachment " + std::to_string(index));
    const ObjectRef ref = found->ref;

    fs::path target = destination;
    std::error_code ec;
    if (fs::is_directory(destination, ec)) {
        const auto records = latest_by_object(ctx, patient);
        const auto d = description_of(ctx, reader.keyring(), patient, ref, records, nullptr, nullptr);
        const std::string fallback = "record-" + std::to_string(record_id) + "-file-" + std::to_string(index);
        target = destination / plain_file_name(d ? d->name : std::string(), fallback);
    }
    if (!options.overwrite && fs::exists(fs::symlink_status(target, ec)))
        throw Error(ErrorCode::already_exists,
                    "'" + target.string() + "' exists: choose another name or allow overwriting");

    log_read(ctx, reader, patient, AccessTarget::file, record_id, index,
             ReadOptions{options.log_access, options.log_once});

    const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    // The plaintext is written to a file without a name (O_TMPFILE) that gets one only once the
    // whole object has authenticated: a crash, a kill -9 or a power cut before then leaves nothing
    // in the clear on disk. Where the filesystem has no O_TMPFILE, a named temporary file with
    // mode 0600 beside the destination is the fallback (removed on any failure, but not on a crash).
    UniqueFd out(::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600));
    fs::path temp;  // the named fallback, if used
    if (out.get() < 0) {
        if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL && errno != ENOENT)
            throw Error(ErrorCode::io, "cannot create a file in '" + dir.string() + "': " + system_reason());
        std::string templ = (dir / ("." + target.filename().string() + ".XXXXXX.part")).string();
        out = UniqueFd(::mkostemps(templ.data(), 5, O_CLOEXEC));
        if (out.get() < 0) throw Error(ErrorCode::io, "cannot create a file in '" + dir.string() + "': " + system_reason());
        temp = templ;
    }
    const std::string shown = temp.empty() ? target.string() : temp.string();
    // Gives the finished file `name`, never replacing a file there.
    auto link_as = [&](const fs::path& name) {
        if (temp.empty()) {
            const std::string self = "/proc/self/fd/" + std::to_string(out.get());
            return ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW);
        }
        return ::link(temp.c_str(), name.c_str());
    };
    std::uint64_t written = 0;
    std::string linked_temp;  // the O_TMPFILE's transient name when replacing a file
    try {
        open_sealed(
            ctx, reader.keyring(), patient, 0, ref,
            [&](ByteView part) {
                std::size_t off = 0;
                while (off < part.size()) {
                    const ssize_t n = ::write(out.get(), part.data() + off, part.size() - off);
                    if (n < 0) {
                        if (errno == EINTR) continue;
                        throw Error(ErrorCode::io, "cannot write '" + shown + "': " + system_reason());
                    }
                    off += static_cast<std::size_t>(n);
                }
                written += part.size();
            },
            options.progress);
        if (::fsync(out.get()) != 0) throw Error(ErrorCode::io, "cannot write '" + shown + "': " + system_reason());
        if (options.overwrite) {
            fs::path from = temp;
            if (temp.empty()) {
                // linkat() cannot replace: link under a fresh name, then rename over the target.
                for (int attempt = 0;; ++attempt) {
                    const fs::path candidate =
                        dir / ("." + target.filename().string() + "." + std::to_string(::getpid()) + "." +
                               std::to_string(attempt) + ".part");
                    if (link_as(candidate) == 0) {
                        from = candidate;
                        linked_temp = candidate.string();
                        break;
                    }
                    if (errno != EEXIST || attempt > 100)
                        throw Error(ErrorCode::io, "cannot create '" + candidate.string() + "': " + system_reason());
                }
            }
            if (::rename(from.c_str(), target.c_str()) != 0)
                throw Error(ErrorCode::io, "cannot move the file to '" + target.string() + "': " + system_reason());
            linked_temp.clear();
        } else {
            // link fails if the destination appeared meanwhile: never replaces a file.
            if (link_as(target) != 0) {
                if (errno == EEXIST)
                    throw Error(ErrorCode::already_exists,
                                "'" + target.string() + "' exists: choose another name or allow overwriting");
                throw Error(ErrorCode::io, "cannot create '" + target.string() + "': " + system_reason());
            }
            if (!temp.empty()) ::unlink(temp.c_str());
        }
        if (::close(out.release()) != 0) throw Error(ErrorCode::io, "cannot write '" + shown + "': " + system_reason());
        fsync_directory(dir);
    } catch (...) {
        if (!temp.empty()) ::unlink(temp.c_str());
        if (!linked_temp.empty()) ::unlink(linked_temp.c_str());
        throw;
    }
    return FetchedFile{target, written, ref};
}

}  // namespace dossier::core
