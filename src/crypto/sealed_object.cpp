#include "crypto/sealed_object.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <istream>
#include <ostream>

#include "crypto/hkdf.hpp"

namespace dossier::crypto {
namespace {

constexpr std::string_view kKeyIdInfo = "dossier/epoch-key-id/v1";
constexpr std::size_t kWrapAadSize = 85;  // header bytes before the key-wrap nonce
constexpr std::size_t kPrefixOffset = 78;
constexpr std::size_t kWrapOffset = 85;
constexpr std::uint64_t kMaxSegments = std::uint64_t{1} << 32;
constexpr std::size_t kStreamChunk = std::size_t{1} << 20;

void put_be(std::uint8_t* p, std::uint64_t v, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) p[n - 1 - i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::uint64_t get_be(const std::uint8_t* p, std::size_t n) noexcept {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
    return v;
}

Bytes32 sha256(ByteView data) {
    Bytes32 out{};
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 || len != 32)
        throw Error("OpenSSL SHA-256 failed");
    return out;
}

GcmNonce segment_nonce(const FixedBytes<7>& prefix, std::uint64_t counter, bool last) noexcept {
    GcmNonce n{};
    std::memcpy(n.data(), prefix.data(), 7);
    put_be(n.data() + 7, counter, 4);
    n[11] = last ? 1 : 0;
    return n;
}

FixedBytes<33> segment_aad(const Bytes32& header_hash, bool last) noexcept {
    FixedBytes<33> a{};
    std::memcpy(a.data(), header_hash.data(), 32);
    a[32] = last ? 1 : 0;
    return a;
}

void check_segment_log2(std::uint8_t log2) {
    if (log2 < kMinSegmentLog2 || log2 > kMaxSegmentLog2)
        throw UnsupportedObjectFormatError("sealed object segment size 2^" + std::to_string(log2) +
                                           " is outside the supported 2^8..2^24 bytes");
}

/// Checks the fixed-meaning prefix of a header as soon as its bytes arrive (fail fast on input
/// that is not a sealed object at all).
void check_prefix(ByteView b) {
    const std::size_t n = std::min<std::size_t>(b.size(), 4);
    if (!std::equal(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n), kObjectMagic.begin()))
        throw NotASealedObjectError("the data is not a sealed object (no DSOB header)");
    if (b.size() > 4 && b[4] != kObjectFormat)
        throw UnsupportedObjectFormatError("sealed object format version " + std::to_string(b[4]) +
                                           " is not supported (this build reads version 1)");
    if (b.size() > 5) check_segment_log2(b[5]);
}

}  // namespace

FixedBytes<kObjectHeaderSize> ObjectHeader::serialize() const {
    FixedBytes<kObjectHeaderSize> h{};
    std::uint8_t* p = h.data();
    std::memcpy(p, kObjectMagic.data(), 4);
    p[4] = format;
    p[5] = segment_log2;
    std::memcpy(p + 6, id.patient.bytes.data(), 20);
    std::memcpy(p + 26, id.record_id.data(), 32);
    put_be(p + 58, id.version, 8);
    put_be(p + 66, id.epoch, 4);
    std::memcpy(p + 70, key_id.data(), 8);
    std::memcpy(p + kPrefixOffset, nonce_prefix.data(), 7);
    std::memcpy(p + kWrapOffset, wrapped_key.data(), 60);
    return h;
}

ObjectHeader ObjectHeader::parse(ByteView b) {
    check_prefix(b);
    if (b.size() < kObjectHeaderSize)
        throw NotASealedObjectError("the data is too short to hold a sealed object header (" +
                                    std::to_string(b.size()) + " of 145 bytes)");
    ObjectHeader h;
    h.format = b[4];
    h.segment_log2 = b[5];
    std::memcpy(h.id.patient.bytes.data(), b.data() + 6, 20);
    std::memcpy(h.id.record_id.data(), b.data() + 26, 32);
    h.id.version = get_be(b.data() + 58, 8);
    h.id.epoch = static_cast<std::uint32_t>(get_be(b.data() + 66, 4));
    std::memcpy(h.key_id.data(), b.data() + 70, 8);
    std::memcpy(h.nonce_prefix.data(), b.data() + kPrefixOffset, 7);
    std::memcpy(h.wrapped_key.data(), b.data() + kWrapOffset, 60);
    return h;
}

FixedBytes<8> epoch_key_id(const SecretKey32& epoch_key) {
    const SecretBytes id = hkdf_sha256(epoch_key.view(), {}, as_bytes(kKeyIdInfo), 8);
    FixedBytes<8> out{};
    std::memcpy(out.data(), id.data(), 8);
    return out;
}

std::uint64_t sealed_object_size(std::uint64_t plaintext_size, std::uint8_t segment_log2) noexcept {
    const std::uint64_t s = std::uint64_t{1} << segment_log2;
    const std::uint64_t n = plaintext_size == 0 ? 1 : (plaintext_size + s - 1) / s;
    return kObjectHeaderSize + plaintext_size + n * kGcmTagSize;
}

// ---------------------------------------------------------------------------------------------
// Sealer

namespace {

/// Builds the header and draws the content key (returned through `content_key`).
ObjectHeader make_header(const SecretKey32& epoch_key, const ObjectId& id, SealOptions options,
                         SecretKey32& content_key) {
    if (options.segment_log2 < kMinSegmentLog2 || options.segment_log2 > kMaxSegmentLog2)
        throw Error(ErrorCode::invalid_input, "segment size 2^" + std::to_string(options.segment_log2) +
                                              " is outside the supported 2^8..2^24 bytes");
    ObjectHeader h;
    h.segment_log2 = options.segment_log2;
    h.id = id;
    h.key_id = epoch_key_id(epoch_key);
    h.nonce_prefix = random_array<7>();
    content_key = SecretKey32::random();
    const auto raw = h.serialize();
    const Bytes wrapped = seal(epoch_key, content_key.view(), ByteView(raw).first(kWrapAadSize));
    std::memcpy(h.wrapped_key.data(), wrapped.data(), 60);
    return h;
}

}  // namespace

ObjectSealer::ObjectSealer(const SecretKey32& epoch_key, const ObjectId& id, SealOptions options) {
    SecretKey32 content_key;
    header_ = make_header(epoch_key, id, options, content_key);
    header_hash_ = sha256(header_.serialize());
    gcm_ = std::make_unique<Aes256Gcm>(content_key);
    pending_.assign(header_.segment_size(), 0);
}

ObjectSealer::~ObjectSealer() { wipe(pending_); }

void ObjectSealer::emit_header(Bytes& out) {
    if (header_emitted_) return;
    const auto raw = header_.serialize();
    append(out, raw);
    header_emitted_ = true;
}

void ObjectSealer::seal_segment(ByteView plaintext, bool last, Bytes& out) {
    if (counter_ >= kMaxSegments) throw Error("the object is too large for its segment size (2^32 segments)");
    const std::size_t old = out.size();
    out.resize(old + plaintext.size() + kGcmTagSize);
    const auto aad = segment_aad(header_hash_, last);
    const GcmTag tag = gcm_->encrypt(segment_nonce(header_.nonce_prefix, counter_, last), aad, plaintext,
                                    std::span(out).subspan(old, plaintext.size()));
    std::memcpy(out.data() + old + plaintext.size(), tag.data(), kGcmTagSize);
    ++counter_;
}

void ObjectSealer::update(ByteView in, Bytes& out) {
    if (finished_) throw Error("ObjectSealer::update called after finish");
    emit_header(out);
    total_ += in.size();
    const std::size_t s = pending_.size();
    while (!in.empty()) {
        // A full buffered segment followed by more data is not the last one.
        if (pending_len_ == s) {
            seal_segment(pending_, false, out);
            pending_len_ = 0;
        }
        if (pending_len_ == 0) {
            while (in.size() > s) {
                seal_segment(in.first(s), false, out);
                in = in.subspan(s);
            }
        }
        const std::size_t take = std::min(s - pending_len_, in.size());
        std::memcpy(pending_.data() + pending_len_, in.data(), take);
        pending_len_ += take;
        in = in.subspan(take);
    }
}

void ObjectSealer::finish(Bytes& out) {
    if (finished_) throw Error("ObjectSealer::finish called twice");
    emit_header(out);
    seal_segment(ByteView(pending_).first(pending_len_), true, out);
    wipe(pending_);
    pending_len_ = 0;
    finished_ = true;
}

// ---------------------------------------------------------------------------------------------
// Opener

ObjectOpener::ObjectOpener(const SecretKey32& epoch_key)
    : lookup_([epoch_key](const ObjectHeader&) { return epoch_key; }) {}

ObjectOpener::ObjectOpener(EpochKeyLookup lookup) : lookup_(std::move(lookup)) {
    if (!lookup_) throw Error("ObjectOpener needs an epoch key lookup");
}

ObjectOpener::~ObjectOpener() {
    wipe(pending_);
    wipe(scratch_);
}

void ObjectOpener::start_body() {
    header_ = ObjectHeader::parse(raw_header_);
    const SecretKey32 epoch_key = lookup_(header_);
    if (!equal_constant_time(epoch_key_id(epoch_key), header_.key_id)) throw WrongEpochKeyError(header_.id.epoch);
    SecretKey32 content_key;
    {
        GcmNonce nonce{};
        std::memcpy(nonce.data(), header_.wrapped_key.data(), kGcmNonceSize);
        GcmTag tag{};
        std::memcpy(tag.data(), header_.wrapped_key.data() + 44, kGcmTagSize);
        Aes256Gcm wrap(epoch_key);
        if (!wrap.decrypt(nonce, ByteView(raw_header_).first(kWrapAadSize), ByteView(header_.wrapped_key).subspan(12, 32),
                          tag, content_key.mutable_view()))
            throw TamperedHeaderError();
    }
    header_hash_ = sha256(raw_header_);
    pending_.assign(header_.segment_size() + kGcmTagSize, 0);
    scratch_.assign(header_.segment_size(), 0);
    body_ = std::make_unique<Aes256Gcm>(content_key);
}

bool ObjectOpener::try_open(ByteView segment, bool last, std::span<std::uint8_t> out) {
    const std::size_t n = segment.size() - kGcmTagSize;
    GcmTag tag{};
    std::memcpy(tag.data(), segment.data() + n, kGcmTagSize);
    const auto aad = segment_aad(header_hash_, last);
    return body_->decrypt(segment_nonce(header_.nonce_prefix, counter_, last), aad, segment.first(n), tag, out);
}

void ObjectOpener::open_segment(ByteView segment, bool last, Bytes& out) {
    if (counter_ >= kMaxSegments) throw TamperedSegmentError(counter_, "the sealed object has more than 2^32 segments");
    const std::size_t n = segment.size() - kGcmTagSize;
    const std::size_t old = out.size();
    out.resize(old + n);
    // decrypt() wipes its output when the tag fails; the bytes are then cut off before throwing,
    // so the caller never holds unauthenticated plaintext.
    if (try_open(segment, last, std::span(out).subspan(old, n))) {
        ++counter_;
        total_ += n;
        return;
    }
    out.resize(old);
    // Diagnose with the opposite "last" flag (the result is discarded and wiped).
    const bool other = try_open(segment, !last, std::span(scratch_).first(n));
    wipe(scratch_);
    if (other && last)
        throw TamperedError("the sealed object ends after segment " + std::to_string(counter_) +
                            ": its final segment is missing");
    if (other && !last)
        throw TamperedSegmentError(counter_, "data follows the final segment (" + std::to_string(counter_) +
                                                 ") of the sealed object");
    throw TamperedSegmentError(counter_);
}

void ObjectOpener::update(ByteView in, Bytes& out) {
    if (failed_) throw Error("ObjectOpener used after an error");
    if (finished_) throw Error("ObjectOpener::update called after finish");
    try {
        if (!body_) {
            const std::size_t take = std::min(kObjectHeaderSize - header_len_, in.size());
            if (take > 0) std::memcpy(raw_header_.data() + header_len_, in.data(), take);
            header_len_ += take;
            in = in.subspan(take);
            check_prefix(ByteView(raw_header_).first(header_len_));
            if (header_len_ < kObjectHeaderSize) return;
            start_body();
        }
        const std::size_t c = pending_.size();
        while (!in.empty()) {
            if (pending_len_ == c) {  // a full sealed segment followed by more data: not the last
                open_segment(pending_, false, out);
                pending_len_ = 0;
            }
            if (pending_len_ == 0) {
                while (in.size() > c) {
                    open_segment(in.first(c), false, out);
                    in = in.subspan(c);
                }
            }
            const std::size_t take = std::min(c - pending_len_, in.size());
            std::memcpy(pending_.data() + pending_len_, in.data(), take);
            pending_len_ += take;
            in = in.subspan(take);
        }
    } catch (...) {
        failed_ = true;
        throw;
    }
}

void ObjectOpener::finish(Bytes& out) {
    if (failed_) throw Error("ObjectOpener used after an error");
    if (finished_) throw Error("ObjectOpener::finish called twice");
    try {
        if (!body_) {
            if (header_len_ == 0) throw NotASealedObjectError("the data is empty, not a sealed object");
            if (header_len_ < kObjectMagic.size())
                throw NotASealedObjectError("the data is too short to be a sealed object");
            throw TamperedError("the sealed object ends inside its header (" + std::to_string(header_len_) +
                                " of 145 bytes)");
        }
        if (pending_len_ == 0)
            throw TamperedError("the sealed object ends after its header: its segments are missing");
        if (pending_len_ < kGcmTagSize)
            throw TamperedError("the sealed object ends inside segment " + std::to_string(counter_));
        open_segment(ByteView(pending_).first(pending_len_), true, out);
        wipe(pending_);
        pending_len_ = 0;
        finished_ = true;
    } catch (...) {
        failed_ = true;
        throw;
    }
}

// ---------------------------------------------------------------------------------------------
// One-shot and stream helpers

namespace {
/// Wipes a buffer of plaintext when the scope ends, also on an exception.
struct BufferWiper {
    Bytes& buffer;
    ~BufferWiper() { wipe(buffer); }
};
}  // namespace

Bytes seal_object(const SecretKey32& epoch_key, const ObjectId& id, ByteView plaintext, SealOptions options) {
    ObjectSealer sealer(epoch_key, id, options);
    Bytes out;
    out.reserve(sealed_object_size(plaintext.size(), options.segment_log2));
    sealer.update(plaintext, out);
    sealer.finish(out);
    return out;
}

OpenedObject open_object(const EpochKeyLookup& lookup, ByteView sealed) {
    ObjectOpener opener(lookup);
    OpenedObject r;
    r.plaintext.reserve(sealed.size());
    opener.update(sealed, r.plaintext);
    opener.finish(r.plaintext);
    r.header = *opener.header();
    return r;
}

OpenedObject open_object(const SecretKey32& epoch_key, ByteView sealed) {
    return open_object([&epoch_key](const ObjectHeader&) { return epoch_key; }, sealed);
}

ObjectHeader seal_stream(const SecretKey32& epoch_key, const ObjectId& id, const ReadFn& read, const WriteFn& write,
                         SealOptions options, const ProgressFn& progress) {
    ObjectSealer sealer(epoch_key, id, options);
    Bytes in(kStreamChunk);
    const BufferWiper wipe_in{in};
    Bytes out;
    std::uint64_t done = 0;
    for (;;) {
        const std::size_t n = read(in);
        if (n == 0) break;
        if (n > in.size()) throw Error("a stream reader returned more bytes than asked for");
        sealer.update(ByteView(in).first(n), out);
        write(out);
        out.clear();
        done += n;
        if (progress) progress(done);
    }
    sealer.finish(out);
    write(out);
    return sealer.header();
}

ObjectHeader open_stream(const EpochKeyLookup& lookup, const ReadFn& read, const WriteFn& write,
                         const ProgressFn& progress) {
    ObjectOpener opener(lookup);
    Bytes in(kStreamChunk);
    Bytes out;
    const BufferWiper wipe_out{out};
    std::uint64_t done = 0;
    for (;;) {
        const std::size_t n = read(in);
        if (n == 0) break;
        if (n > in.size()) throw Error("a stream reader returned more bytes than asked for");
        opener.update(ByteView(in).first(n), out);
        if (!out.empty()) write(out);
        wipe(out);
        out.clear();
        done += n;
        if (progress) progress(done);
    }
    opener.finish(out);
    if (!out.empty()) write(out);
    return *opener.header();
}

namespace {

ReadFn istream_reader(std::istream& in) {
    return [&in](std::span<std::uint8_t> buf) -> std::size_t {
        if (in.eof()) return 0;
        in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(buf.size()));
        if (in.bad()) throw Error(ErrorCode::io, "reading the input stream failed");
        return static_cast<std::size_t>(in.gcount());
    };
}

WriteFn ostream_writer(std::ostream& out) {
    return [&out](ByteView b) {
        out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
        if (!out) throw Error(ErrorCode::io, "writing the output stream failed");
    };
}

}  // namespace

ObjectHeader seal_stream(const SecretKey32& epoch_key, const ObjectId& id, std::istream& in, std::ostream& out,
                         SealOptions options, const ProgressFn& progress) {
    return seal_stream(epoch_key, id, istream_reader(in), ostream_writer(out), options, progress);
}

ObjectHeader open_stream(const SecretKey32& epoch_key, std::istream& in, std::ostream& out,
                         const ProgressFn& progress) {
    return open_stream([&epoch_key](const ObjectHeader&) { return epoch_key; }, istream_reader(in),
                       ostream_writer(out), progress);
}

}  // namespace dossier::crypto
