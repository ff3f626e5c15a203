#pragma once
/// Error types of the IPFS content layer. Decoders throw subclasses of DecodeError; the stores throw
/// BlockNotFoundError / CorruptBlockError, which name the block's CID so that a user (or a repair
/// tool) knows exactly which block is missing or damaged.
#include <string>

#include "base/error.hpp"

namespace dossier::ipfs {

/// Any failure of the IPFS layer that is not malformed input (I/O, misuse, missing data). Each
/// throw sets the code that fits (io, not_found, node_unavailable, tampered...); internal if none.
class IpfsError : public Error {
public:
    using Error::Error;
};

class VarintError : public DecodeError {
public:
    using DecodeError::DecodeError;
};
class MultibaseError : public DecodeError {
public:
    using DecodeError::DecodeError;
};
/// A malformed multihash or one whose function is not sha2-256 (the only one Dossier accepts).
class MultihashError : public DecodeError {
public:
    using DecodeError::DecodeError;
};
/// A malformed CID, or a CID whose version or codec Dossier does not support.
class CidError : public DecodeError {
public:
    using DecodeError::DecodeError;
};
/// A malformed dag-pb node (protobuf PBNode/PBLink).
class DagPbError : public DecodeError {
public:
    using DecodeError::DecodeError;
};
/// A malformed UnixFS Data message, or a UnixFS node that is inconsistent (sizes, types).
class UnixFsError : public DecodeError {
public:
    using DecodeError::DecodeError;
};
/// A malformed CAR file (header, section lengths, truncation) or a block in it whose bytes do not
/// hash to its CID.
class CarError : public DecodeError {
public:
    using DecodeError::DecodeError;
};

/// A block that a DAG needs is not in the store. `cid()` is the CID in text form.
class BlockNotFoundError : public IpfsError {
public:
    explicit BlockNotFoundError(std::string cid)
        : IpfsError(ErrorCode::not_found, "block " + cid + " is not in the store"), cid_(std::move(cid)) {}
    [[nodiscard]] const std::string& cid() const noexcept { return cid_; }

private:
    std::string cid_;
};

/// A block whose bytes do not hash to its CID (disk corruption, tampering, a lying remote).
class CorruptBlockError : public IpfsError {
public:
    explicit CorruptBlockError(std::string cid)
        : IpfsError(ErrorCode::tampered, "block " + cid + " is corrupt: its bytes do not match its hash"),
          cid_(std::move(cid)) {}
    [[nodiscard]] const std::string& cid() const noexcept { return cid_; }

private:
    std::string cid_;
};

}  // namespace dossier::ipfs
