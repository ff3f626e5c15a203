#pragma once
/// The sealed-object format: how every stored object (a patient profile, a record version, an
/// attached file) is encrypted before it goes to IPFS.
///
/// Each object gets its own random 256-bit content key. The content key is wrapped (AES-256-GCM)
/// under the patient's data key of the current epoch, with the header as associated data, so the
/// header cannot be edited and the wrapped key cannot be moved to another object. The body is the
/// plaintext cut into segments, each sealed with AES-256-GCM under the content key (the STREAM
/// construction of Hoang, Reyhanitabar, Rogaway and Vizár, "Online Authenticated-Encryption and its
/// Nonce-Reuse Misuse-Resistance", 2015): segments can be produced and checked one at a time, so
/// objects of any size stream through bounded memory, and reordering, dropping, duplicating,
/// truncating or splicing segments is detected.
///
/// Format version 1, all integers big-endian:
///
///   header (145 bytes)
///     offset size  field
///          0    4  magic "DSOB"
///          4    1  format version = 1
///          5    1  log2 of the segment size (8..24; default 16 = 64 KiB)
///          6   20  patient address
///         26   32  record id
///         58    8  version
///         66    4  key epoch
///         70    8  epoch key id = HKDF-SHA256(ikm = epoch key, info = "dossier/epoch-key-id/v1", L = 8)
///         78    7  segment nonce prefix (random)
///         85   12  key-wrap nonce (random)
///         97   32  content key, AES-256-GCM under the epoch key, aad = header bytes 0..84
///        129   16  key-wrap tag
///   body: segments i = 0, 1, ..., n-1 (n >= 1)
///     AES-256-GCM(content key, nonce = prefix || i (4 bytes) || last (1 byte: 1 on segment n-1,
///                 else 0), aad = SHA-256(header) || last) of the plaintext bytes
///     [i*S, min((i+1)*S, size)) where S is the segment size, followed by its 16-byte tag.
///     Every segment but the last holds exactly S plaintext bytes; the last holds 0..S
///     (0 only for an empty object). So a sealed object is 145 + size + 16*n bytes with
///     n = max(1, ceil(size / S)).
///
/// The key id tells "this object was sealed under another epoch key" (WrongEpochKeyError) apart
/// from "the header was altered" (TamperedHeaderError). It is a PRF output of the key, so it says
/// nothing about the key; it links objects of one patient and epoch, which the header's clear
/// patient address and epoch do anyway.
///
/// What an opener guarantees: every plaintext byte it hands out belongs to a segment whose tag
/// verified under this header, at its position. Whether the object is COMPLETE is known only when
/// finish() returns without throwing; a consumer that shows or stores plaintext as it streams must
/// discard it if finish() throws.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>

#include "base/bytes.hpp"
#include "base/error.hpp"
#include "crypto/aes_gcm.hpp"
#include "crypto/random.hpp"
#include "eth/address.hpp"

namespace dossier::crypto {

inline constexpr FixedBytes<4> kObjectMagic = {'D', 'S', 'O', 'B'};
inline constexpr std::uint8_t kObjectFormat = 1;
inline constexpr std::size_t kObjectHeaderSize = 145;
inline constexpr std::uint8_t kDefaultSegmentLog2 = 16;  ///< 64 KiB
inline constexpr std::uint8_t kMinSegmentLog2 = 8;       ///< 256 bytes
inline constexpr std::uint8_t kMaxSegmentLog2 = 24;      ///< 16 MiB (bounds an opener's memory)

/// Which object this is: the associated data of the content-key wrap.
struct ObjectId {
    eth::Address patient;
    Bytes32 record_id{};
    std::uint64_t version = 0;
    std::uint32_t epoch = 0;

    bool operator==(const ObjectId&) const = default;
};

/// The parsed header of a sealed object.
struct ObjectHeader {
    std::uint8_t format = kObjectFormat;
    std::uint8_t segment_log2 = kDefaultSegmentLog2;
    ObjectId id;
    FixedBytes<8> key_id{};
    FixedBytes<7> nonce_prefix{};
    /// nonce (12) || wrapped content key (32) || tag (16).
    FixedBytes<60> wrapped_key{};

    [[nodiscard]] std::size_t segment_size() const noexcept { return std::size_t{1} << segment_log2; }
    [[nodiscard]] FixedBytes<kObjectHeaderSize> serialize() const;
    /// Parses the first kObjectHeaderSize bytes of `bytes` WITHOUT authenticating them: use it to
    /// look at an object (which patient, epoch, version); trust the fields only from an opener,
    /// which verifies them with the epoch key. Throws NotASealedObjectError (too short
    /// or wrong magic), UnsupportedObjectFormatError (format version or segment size unknown).
    [[nodiscard]] static ObjectHeader parse(ByteView bytes);
};

/// The input does not start with a sealed-object header at all.
class NotASealedObjectError : public DecodeError {
public:
    using DecodeError::DecodeError;
};

/// A sealed object of a format version (or segment size) this build does not read.
class UnsupportedObjectFormatError : public DecodeError {
public:
    using DecodeError::DecodeError;
};

/// The object was sealed under a different epoch key than the one supplied: the reader does not
/// hold the key this object needs (permission_denied), which is told apart from an altered header.
class WrongEpochKeyError : public Error {
public:
    explicit WrongEpochKeyError(std::uint32_t epoch)
        : Error(ErrorCode::permission_denied,
                "the object was sealed under a different key than the one supplied for epoch " +
                std::to_string(epoch)),
          epoch_(epoch) {}
    [[nodiscard]] std::uint32_t epoch() const noexcept { return epoch_; }

private:
    std::uint32_t epoch_;
};

/// The header (patient, record, version, epoch, segment size, nonce prefix or wrapped key) was
/// altered after sealing.
class TamperedHeaderError : public TamperedError {
public:
    TamperedHeaderError() : TamperedError("the sealed object's header was altered") {}
};

/// A segment's tag did not verify: the segment was altered, moved, or taken from another object;
/// or bytes follow the final segment.
class TamperedSegmentError : public TamperedError {
public:
    TamperedSegmentError(std::uint64_t segment, std::string message)
        : TamperedError(std::move(message)), segment_(segment) {}
    explicit TamperedSegmentError(std::uint64_t segment)
        : TamperedSegmentError(segment, "segment " + std::to_string(segment) +
                                             " of the sealed object was altered, moved or replaced") {}
    [[nodiscard]] std::uint64_t segment() const noexcept { return segment_; }

private:
    std::uint64_t segment_;
};


/// Epoch key id stored in headers (see the format above).
[[nodiscard]] FixedBytes<8> epoch_key_id(const SecretKey32& epoch_key);

/// Sealed size of `plaintext_size` bytes with segments of 2^segment_log2 bytes.
[[nodiscard]] std::uint64_t sealed_object_size(std::uint64_t plaintext_size,
                                               std::uint8_t segment_log2 = kDefaultSegmentLog2) noexcept;

struct SealOptions {
    std::uint8_t segment_log2 = kDefaultSegmentLog2;
};

/// Streaming encryptor: push plaintext with update(), then finish() once. Output is appended to
/// the caller's buffer as soon as it is final (the header first, then each full segment), so memory
/// stays at one segment whatever the object size.
class ObjectSealer {
public:
    /// Draws the content key and nonces. Throws dossier::Error if segment_log2 is out of range.
    ObjectSealer(const SecretKey32& epoch_key, const ObjectId& id, SealOptions options = {});
    ~ObjectSealer();
    ObjectSealer(const ObjectSealer&) = delete;
    ObjectSealer& operator=(const ObjectSealer&) = delete;

    [[nodiscard]] const ObjectHeader& header() const noexcept { return header_; }
    /// Appends to `out` whatever ciphertext is ready.
    void update(ByteView plaintext, Bytes& out);
    /// Seals the final segment and appends the rest of the object to `out`.
    void finish(Bytes& out);
    [[nodiscard]] std::uint64_t plaintext_size() const noexcept { return total_; }

private:
    void emit_header(Bytes& out);
    void seal_segment(ByteView plaintext, bool last, Bytes& out);

    ObjectHeader header_;
    Bytes32 header_hash_{};
    std::unique_ptr<Aes256Gcm> gcm_;
    Bytes pending_;  ///< one segment of plaintext, wiped on destruction
    std::size_t pending_len_ = 0;
    std::uint64_t counter_ = 0;
    std::uint64_t total_ = 0;
    bool header_emitted_ = false;
    bool finished_ = false;
};

/// Chooses the epoch key for a header (e.g. the patient's data key of header.id.epoch). It may
/// also check header.id against what the caller expects and throw its own error.
using EpochKeyLookup = std::function<SecretKey32(const ObjectHeader&)>;

/// Streaming decryptor: push ciphertext with update(), then finish() once. Plaintext is appended
/// to the caller's buffer one verified segment at a time, never before that segment's tag checked.
class ObjectOpener {
public:
    explicit ObjectOpener(const SecretKey32& epoch_key);
    explicit ObjectOpener(EpochKeyLookup lookup);
    ~ObjectOpener();
    ObjectOpener(const ObjectOpener&) = delete;
    ObjectOpener& operator=(const ObjectOpener&) = delete;

    /// Appends the plaintext of every segment verified so far. Throws NotASealedObjectError,
    /// UnsupportedObjectFormatError, WrongEpochKeyError, TamperedHeaderError or
    /// TamperedSegmentError as soon as the input shows it; after a throw the opener is unusable.
    void update(ByteView ciphertext, Bytes& out);
    /// Verifies the final segment and appends its plaintext. Throws TamperedError if the
    /// input ended early (inside its header, inside a segment, or after a segment not marked
    /// final), or any error of update().
    void finish(Bytes& out);
    /// The header, once update() has seen all of it and the content key unwrapped; else nullptr.
    [[nodiscard]] const ObjectHeader* header() const noexcept { return body_ ? &header_ : nullptr; }
    [[nodiscard]] std::uint64_t plaintext_size() const noexcept { return total_; }

private:
    void start_body();
    void open_segment(ByteView segment, bool last, Bytes& out);
    [[nodiscard]] bool try_open(ByteView segment, bool last, std::span<std::uint8_t> out);

    EpochKeyLookup lookup_;
    FixedBytes<kObjectHeaderSize> raw_header_{};
    std::size_t header_len_ = 0;
    ObjectHeader header_;
    Bytes32 header_hash_{};
    std::unique_ptr<Aes256Gcm> body_;
    Bytes pending_;  ///< one sealed segment (plaintext size + tag)
    std::size_t pending_len_ = 0;
    Bytes scratch_;  ///< for diagnosing failures; wiped
    std::uint64_t counter_ = 0;
    std::uint64_t total_ = 0;
    bool failed_ = false;
    bool finished_ = false;
};

/// One-shot seal of a small document (the whole plaintext in memory).
[[nodiscard]] Bytes seal_object(const SecretKey32& epoch_key, const ObjectId& id, ByteView plaintext,
                                SealOptions options = {});

struct OpenedObject {
    ObjectHeader header;
    Bytes plaintext;
};
/// One-shot open; throws every error ObjectOpener does.
[[nodiscard]] OpenedObject open_object(const SecretKey32& epoch_key, ByteView sealed);
[[nodiscard]] OpenedObject open_object(const EpochKeyLookup& lookup, ByteView sealed);

/// Reads up to out.size() bytes into `out`; returns how many, 0 only at the end of the input.
using ReadFn = std::function<std::size_t(std::span<std::uint8_t>)>;
/// Consumes bytes.
using WriteFn = std::function<void(ByteView)>;
/// Told the number of input bytes consumed so far, after each chunk.
using ProgressFn = std::function<void(std::uint64_t)>;

/// Seals everything `read` yields into `write`, in 1 MiB chunks. Returns the header.
ObjectHeader seal_stream(const SecretKey32& epoch_key, const ObjectId& id, const ReadFn& read,
                         const WriteFn& write, SealOptions options = {}, const ProgressFn& progress = {});
/// Opens everything `read` yields into `write`. `write` receives only verified segments, but the
/// object is complete and authentic only if open_stream returns (see the file comment).
ObjectHeader open_stream(const EpochKeyLookup& lookup, const ReadFn& read, const WriteFn& write,
                         const ProgressFn& progress = {});

/// std::istream / std::ostream adaptors. Throw dossier::Error if a stream fails.
ObjectHeader seal_stream(const SecretKey32& epoch_key, const ObjectId& id, std::istream& in, std::ostream& out,
                         SealOptions options = {}, const ProgressFn& progress = {});
ObjectHeader open_stream(const SecretKey32& epoch_key, std::istream& in, std::ostream& out,
                         const ProgressFn& progress = {});

}  // namespace dossier::crypto
