#include "dossier/sealed_store.hpp"

#include <algorithm>
#include <string>

#include "base/cancel.hpp"
#include "base/hex.hpp"
#include "crypto/random.hpp"
#include "crypto/sealed_object.hpp"
#include "ipfs/content_store.hpp"

namespace dossier::core {

namespace {

/// Plaintext is pulled from the caller's source in chunks of this size (4 segments).
constexpr std::size_t kChunk = 256 * 1024;

/// Seals on the fly: the content store's importer pulls ciphertext, this pulls plaintext from the
/// caller's source and pushes it through an ObjectSealer. Memory: one chunk of plaintext and about
/// one chunk of ciphertext, whatever the object size.
class SealingSource final : public ipfs::ByteSource {
public:
    SealingSource(ipfs::ByteSource& plaintext, const crypto::SecretKey32& key, const crypto::ObjectId& id,
                  std::optional<std::uint64_t> total, const ProgressFn& progress)
        : in_(plaintext), sealer_(key, id), total_(total.value_or(0)), progress_(progress),
          stop_(current_stop_token()) {}

    ~SealingSource() override {
        crypto::wipe(chunk_);
    }

    std::size_t read(std::span<std::uint8_t> buf) override {
        if (buf.empty()) return 0;
        while (pos_ == out_.size() && !finished_) refill();
        const std::size_t n = std::min(buf.size(), out_.size() - pos_);
        std::copy_n(out_.begin() + static_cast<std::ptrdiff_t>(pos_), n, buf.begin());
        pos_ += n;
        return n;
    }

private:
    void refill() {
        // A cancel stops the import between chunks: the blocks written so far are not pinned and
        // no chain pointer names them, so nothing half-written becomes visible. The caller's token
        // is the one taken at construction: a store may pull this source on a thread of its own.
        if (stop_.stop_requested()) throw Error(ErrorCode::cancelled, "encrypting into the store was cancelled");
        out_.clear();
        pos_ = 0;
        chunk_.resize(kChunk);
        const std::size_t n = ipfs::read_full(in_, chunk_);
        if (n > 0) {
            sealer_.update(ByteView(chunk_).first(n), out_);
            done_ += n;
            if (progress_) progress_(done_, std::max(total_, done_));
        }
        crypto::wipe(std::span(chunk_).first(n));
        if (n < chunk_.size()) {
            sealer_.finish(out_);
            finished_ = true;
            Bytes().swap(chunk_);  // a batch keeps finished sources alive: drop their buffer
        }
    }

    ipfs::ByteSource& in_;
    crypto::ObjectSealer sealer_;
    std::uint64_t total_;
    const ProgressFn& progress_;
    std::stop_token stop_;
    Bytes chunk_;
    Bytes out_;
    std::size_t pos_ = 0;
    std::uint64_t done_ = 0;
    bool finished_ = false;
};

std::string describe(const eth::Address& patient, const Bytes32& object_id, std::uint64_t version) {
    return "patient " + patient.to_checksum() + ", object " + to_hex(ByteView(object_id).first(31)) + ", version " +
           std::to_string(version);
}

}  // namespace

Bytes32 object_id_of(const Bytes32& meta) noexcept {
    Bytes32 id = meta;
    id[31] = 0;
    return id;
}

Bytes32 new_object_id() {
    Bytes32 id{};
    crypto::random_bytes(std::span(id).first(31));
    return id;
}

ipfs::Cid cid_of(const ObjectRef& ref) {
    const std::uint8_t codec = ref.meta[31];
    if (codec != ipfs::kCodecRaw && codec != ipfs::kCodecDagPb)
        throw DecodeError("the object reference names codec 0x" + to_hex_raw(ByteView(&ref.meta[31], 1)) +
                          ", neither raw (0x55) nor dag-pb (0x70)");
    ipfs::Multihash mh;
    mh.digest = ref.digest;
    return ipfs::Cid::v1(codec, mh);
}

namespace {

void check_object_id(const Bytes32& object_id) {
    if (object_id[31] != 0)
        throw Error(ErrorCode::invalid_input, "an object id has 31 bytes: its last byte must be zero");
}

ObjectRef ref_of(const ipfs::ImportResult& result, const Bytes32& object_id) {
    const ipfs::Cid root = result.root.to_v1();
    if (root.codec != ipfs::kCodecRaw && root.codec != ipfs::kCodecDagPb)
        throw Error("the content store returned a CID of an unexpected codec");
    ObjectRef ref;
    ref.digest = root.hash.digest;
    ref.meta = object_id;
    ref.meta[31] = static_cast<std::uint8_t>(root.codec);
    return ref;
}

}  // namespace

ObjectRef store_sealed(Context& ctx, const EpochKey& key, const eth::Address& patient, const Bytes32& object_id,
                       std::uint64_t version, ipfs::ByteSource& plaintext, std::optional<std::uint64_t> total,
                       const ProgressFn& progress) {
    check_object_id(object_id);
    const crypto::ObjectId id{patient, object_id, version, key.epoch};
    SealingSource sealed(plaintext, key.key, id, total, progress);
    ipfs::AddOptions options;
    options.pin = true;
    return ref_of(ctx.store().add(sealed, options), object_id);
}

std::vector<ObjectRef> store_sealed_batch(Context& ctx, const EpochKey& key, const eth::Address& patient,
                                          std::span<const SealRequest> requests) {
    const ProgressFn no_progress;
    std::vector<std::unique_ptr<ipfs::ByteSource>> plaintexts;
    std::vector<std::unique_ptr<SealingSource>> sealed;
    std::vector<ipfs::ByteSource*> inputs;
    for (const SealRequest& r : requests) {
        check_object_id(r.object_id);
        plaintexts.push_back(ipfs::source_from_bytes(r.plaintext));
        sealed.push_back(std::make_unique<SealingSource>(*plaintexts.back(), key.key,
                                                         crypto::ObjectId{patient, r.object_id, r.version, key.epoch},
                                                         r.plaintext.size(), no_progress));
        inputs.push_back(sealed.back().get());
    }
    ipfs::AddOptions options;
    options.pin = true;
    const auto results = ctx.store().add_many(inputs, options);
    if (results.size() != requests.size()) throw Error("the content store returned a result per input it was not given");
    std::vector<ObjectRef> refs;
    refs.reserve(results.size());
    for (std::size_t i = 0; i < results.size(); ++i) refs.push_back(ref_of(results[i], requests[i].object_id));
    return refs;
}

void open_sealed(Context& ctx, Keyring& keyring, const eth::Address& patient, std::uint64_t version,
                 const ObjectRef& ref, const std::function<void(ByteView)>& out, const ProgressFn& progress) {
    const ipfs::Cid cid = cid_of(ref);
    const Bytes32 object_id = object_id_of(ref.meta);
    // The lookup sees the header before it is authenticated: a mismatch is reported as a misplaced
    // object; a header edited to match is caught by the opener (the key wrap fails).
    crypto::ObjectOpener opener([&](const crypto::ObjectHeader& h) -> crypto::SecretKey32 {
        if (h.id.patient != patient || h.id.record_id != object_id || h.id.version != version)
            // Its (authentic or not) header names another patient, object or version than the
            // chain's pointer it was fetched through: it was moved or swapped.
            throw Error(ErrorCode::tampered, "the sealed object " + cid.to_string() + " is " +
                                             describe(h.id.patient, h.id.record_id, h.id.version) + ", not " +
                                             describe(patient, object_id, version));
        return keyring.key(patient, h.id.epoch);
    });
    const std::uint64_t total = progress ? ctx.store().size(cid) : 0;
    auto source = ctx.store().cat(cid);
    Bytes chunk(kChunk);
    Bytes plain;
    // Room for a whole chunk's plaintext up front: a reallocation would free a copy unwiped.
    plain.reserve(kChunk + 4096);
    std::uint64_t done = 0;
    try {
        for (;;) {
            throw_if_cancelled("decrypting from the store");
            const std::size_t n = source->read(chunk);
            if (n == 0) break;
            plain.clear();
            opener.update(ByteView(chunk).first(n), plain);
            if (!plain.empty()) out(plain);
            crypto::wipe(plain);
            done += n;
            if (progress) progress(done, std::max(total, done));
        }
        plain.clear();
        opener.finish(plain);
        if (!plain.empty()) out(plain);
    } catch (...) {
        crypto::wipe(plain);  // a failed write or a tampered tail leaves no plaintext behind in memory
        throw;
    }
    crypto::wipe(plain);
}

Bytes open_sealed_bytes(Context& ctx, Keyring& keyring, const eth::Address& patient, std::uint64_t version,
                        const ObjectRef& ref, std::size_t max_bytes) {
    Bytes result;
    try {
        open_sealed(ctx, keyring, patient, version, ref, [&](ByteView part) {
            if (result.size() + part.size() > max_bytes)
                throw Error(ErrorCode::tampered,
                            "the sealed object is larger than " + std::to_string(max_bytes) + " bytes");
            if (result.size() + part.size() > result.capacity()) {
                // Grown by hand so that the buffer given up is wiped, not freed with plaintext in it.
                Bytes bigger;
                bigger.reserve(std::max(result.capacity() * 2, result.size() + part.size()));
                bigger.assign(result.begin(), result.end());
                crypto::wipe(result);
                result = std::move(bigger);
            }
            append(result, part);
        });
    } catch (...) {
        crypto::wipe(result);
        throw;
    }
    return result;
}

}  // namespace dossier::core
