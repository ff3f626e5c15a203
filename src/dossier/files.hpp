#pragma once
/// Files attached to records (reports, images), of any size.
///
/// How a file is kept (one choice, used everywhere):
///  - the file's bytes are one sealed object: a fresh object id O, version 0, sealed while it streams
///    from disk into the content store (memory stays bounded whatever the size);
///  - its description is a record of kind "file" (record_document.hpp): a FHIR DocumentReference
///    with title = the file name, contentType, size and url "dossier-object:<hex of the file's
///    meta>", sealed with the SAME object id O as version 1 (so the chain links the description to
///    the file by object id without saying anything about the file);
///  - PatientContract.attachFile(patient, record, digest, meta) links the file object to the record
///    it belongs to (`record_id`, e.g. a condition), or, when none is given, to its own file record.
/// So the file name and type exist only inside ciphertext; the chain holds digests, the object id
/// and the numbering. attach_file() sends two transactions: addRecord (the description) then
/// attachFile; if the second fails, the description exists without its file and attaching again
/// makes a new pair.
///
/// fetch_file() writes the plaintext to an unnamed file in the destination's directory (O_TMPFILE)
/// and links it under its name only after the whole object authenticated: a tampered, truncated or
/// missing block, and equally a crash or kill -9 midway, leaves nothing behind in the clear (on a
/// filesystem without O_TMPFILE, a named mode-0600 temporary file is the fallback). It refuses to
/// replace an existing file unless told to.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "dossier/records.hpp"

namespace dossier::core {

/// One FileAttached event: the record, the attachment's index, its author and the file object.
struct Attachment {
    std::uint32_t record_id = 0;
    std::uint32_t index = 0;
    eth::Address author;
    ObjectRef ref;
    std::uint64_t block = 0;
    Bytes32 tx_hash{};
};

/// Every attachment of `patient` (of one record, if given), in chain order, from the chain only
/// (nothing is decrypted or logged).
[[nodiscard]] std::vector<Attachment> attachments_of(Context& ctx, const eth::Address& patient,
                                                     std::optional<std::uint32_t> record_id = std::nullopt);

struct AttachOptions {
    std::string name{};        ///< file name kept in the description; default: the path's file name
    std::string content_type{};  ///< MIME type; default: from the file's content (detect_content_type)
    std::string type_text{};   ///< DocumentReference.type text, e.g. "Radiology report"; optional
    ProgressFn progress{};     ///< bytes of the file sealed so far
};

struct AttachedFile {
    std::uint32_t record_id = 0;       ///< the record the file is attached to
    std::uint32_t index = 0;           ///< its attachment index within that record (1, 2, ...)
    std::uint32_t file_record_id = 0;  ///< the "file" record describing it
    ObjectRef ref;                     ///< the sealed file object
    std::uint64_t size = 0;            ///< plaintext bytes
    std::string name;
    std::string content_type;          ///< as given, or as detected from the content
    Bytes32 tx_hash{};                 ///< the attachFile transaction
};

/// Attaches the file at `path` to record `record_id` of `patient` (nullopt: to its own file
/// record). The author is the patient or a doctor with an active grant. Throws Error with code io
/// (the file cannot be read; the path and the system's reason) or invalid_input (not a regular
/// file), not_found (no such record, checked before anything is stored), NoAccessError (no
/// current epoch key), RefusedError (see rethrow_write_error()).
[[nodiscard]] AttachedFile attach_file(Context& ctx, const eth::PrivateKey& author, const eth::Address& patient,
                                       std::optional<std::uint32_t> record_id, const std::filesystem::path& path,
                                       const AttachOptions& options = {});

struct FileListing {
    std::uint32_t record_id = 0;
    std::uint32_t index = 0;
    eth::Address author;
    ObjectRef ref;
    std::uint64_t block = 0;
    std::uint64_t timestamp = 0;
    Bytes32 tx_hash{};
    /// From the file record (absent if there is none or the reader cannot open it: see `error`).
    std::optional<std::uint32_t> file_record_id;
    std::optional<FileDescription> description;
    std::string error;
};

/// The files attached to record `record_id` (nullopt: to every record of the patient), in chain
/// order, with their descriptions where the reader can open them. A doctor's listing is logged once
/// (access_what(AccessTarget::files, record id or 0, count)).
[[nodiscard]] std::vector<FileListing> list_files(Context& ctx, Reader& reader, const eth::Address& patient,
                                                  std::optional<std::uint32_t> record_id = std::nullopt,
                                                  const ReadOptions& options = {});

struct FetchOptions {
    bool overwrite = false;  ///< replace an existing destination file
    bool log_access = true;  ///< as ReadOptions::log_access
    bool log_once = false;   ///< as ReadOptions::log_once
    ProgressFn progress{};   ///< ciphertext bytes fetched so far
};

struct FetchedFile {
    std::filesystem::path path;  ///< where the file was written
    std::uint64_t size = 0;
    ObjectRef ref;
};

/// Decrypts attachment `index` of record `record_id` to `destination`. If `destination` is an
/// existing directory, the file is written there under the name its description gives (reduced to
/// a plain file name). Throws Error with code not_found (no such attachment), already_exists
/// (the destination exists and overwriting was not allowed) or io (it cannot be written),
/// NoAccessError, crypto tamper errors, ipfs errors (missing or corrupt block); on any error
/// nothing is left at the destination.
[[nodiscard]] FetchedFile fetch_file(Context& ctx, Reader& reader, const eth::Address& patient, std::uint32_t record_id,
                                     std::uint32_t index, const std::filesystem::path& destination,
                                     const FetchOptions& options = {});

}  // namespace dossier::core
