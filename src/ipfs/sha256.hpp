#pragma once
/// SHA-256 through OpenSSL's EVP interface (which uses the CPU's SHA extensions when present).
#include "base/bytes.hpp"

namespace dossier::ipfs {

[[nodiscard]] Bytes32 sha256(ByteView data);

/// Incremental SHA-256 for data that arrives in pieces.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(ByteView data);
    /// Returns the digest and resets the context for reuse.
    [[nodiscard]] Bytes32 finish();

private:
    void* ctx_;  // EVP_MD_CTX*
};

}  // namespace dossier::ipfs
