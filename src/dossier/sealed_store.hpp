#pragma once
/// Encrypted objects in IPFS, as the chain refers to them.
///
/// Every stored object (patient profile, record version, attached file) is sealed with
/// crypto::ObjectSealer under the patient's epoch key, then added to the content store (kubo-v1
/// profile, pinned). The chain holds two bytes32 per object:
///   digest: the sha2-256 digest of the object's root CID (the CID's multihash digest);
///   meta:   31 random bytes (the object id, unique per record or file, the same for every version
///           of a record) followed by the CID's multicodec (0x55 raw: one block; 0x70 dag-pb).
/// From (digest, meta) a reader rebuilds the CIDv1. The sealed header binds the ciphertext to
/// (patient, object id, version, epoch): an object moved to another patient, record or version
/// fails to open with TamperedHeaderError, and a reader checks the header against the chain.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "base/bytes.hpp"
#include "dossier/context.hpp"
#include "dossier/keyring.hpp"
#include "ipfs/byte_stream.hpp"
#include "ipfs/cid.hpp"

namespace dossier::core {

struct ObjectRef {
    Bytes32 digest{};
    Bytes32 meta{};
    bool operator==(const ObjectRef&) const = default;
};

/// The object id of `meta` (its first 31 bytes, zero-padded to 32 in the sealed header).
[[nodiscard]] Bytes32 object_id_of(const Bytes32& meta) noexcept;
/// A fresh random object id (31 random bytes, last byte zero).
[[nodiscard]] Bytes32 new_object_id();
/// The CIDv1 that `ref` names; throws DecodeError if the codec byte is neither raw nor dag-pb.
[[nodiscard]] ipfs::Cid cid_of(const ObjectRef& ref);

using ProgressFn = std::function<void(std::uint64_t done, std::uint64_t total)>;

/// Seals `plaintext` (streamed: any size) for `patient` under `key`, as object `object_id`
/// version `version`, adds it to the store and pins it. `total` (if known) feeds progress.
[[nodiscard]] ObjectRef store_sealed(Context& ctx, const EpochKey& key, const eth::Address& patient,
                                     const Bytes32& object_id, std::uint64_t version, ipfs::ByteSource& plaintext,
                                     std::optional<std::uint64_t> total = std::nullopt, const ProgressFn& progress = {});

/// One small object for store_sealed_batch().
struct SealRequest {
    Bytes32 object_id{};
    std::uint64_t version = 0;
    ByteView plaintext;
};

/// store_sealed() for several objects of one patient as one batch, refs in request order: every
/// object is durable and pinned when it returns, after one flush of the embedded store for all
/// of them instead of one each (a remote node gets one add per object).
[[nodiscard]] std::vector<ObjectRef> store_sealed_batch(Context& ctx, const EpochKey& key, const eth::Address& patient,
                                                        std::span<const SealRequest> requests);

/// Fetches `ref`, opens it with the reader's keyring (the header names the epoch) and streams the
/// plaintext to `out`; nothing is released before its segment is authenticated. Throws
/// NoAccessError (no key for that epoch), crypto tamper errors, ipfs errors (missing or corrupt
/// block), or Error with code tampered if the header does not match (patient, object id of ref.meta,
/// version).
void open_sealed(Context& ctx, Keyring& keyring, const eth::Address& patient, std::uint64_t version,
                 const ObjectRef& ref, const std::function<void(ByteView)>& out, const ProgressFn& progress = {});

/// open_sealed() into memory, for documents; refuses objects larger than `max_bytes`.
[[nodiscard]] Bytes open_sealed_bytes(Context& ctx, Keyring& keyring, const eth::Address& patient,
                                      std::uint64_t version, const ObjectRef& ref, std::size_t max_bytes = 16u << 20);

}  // namespace dossier::core
