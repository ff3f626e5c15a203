#include "ipfs/sha256.hpp"

#include <openssl/evp.h>

#include <new>

#include "ipfs/errors.hpp"

namespace dossier::ipfs {

Bytes32 sha256(ByteView data) {
    Bytes32 out{};
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1)
        throw IpfsError("SHA-256 failed in OpenSSL");
    return out;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr) throw std::bad_alloc();
    if (EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr) != 1)
        throw IpfsError("SHA-256 init failed in OpenSSL");
}

Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256::update(ByteView data) {
    if (EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size()) != 1)
        throw IpfsError("SHA-256 update failed in OpenSSL");
}

Bytes32 Sha256::finish() {
    Bytes32 out{};
    unsigned int len = 0;
    auto* ctx = static_cast<EVP_MD_CTX*>(ctx_);
    if (EVP_DigestFinal_ex(ctx, out.data(), &len) != 1 || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1)
        throw IpfsError("SHA-256 final failed in OpenSSL");
    return out;
}

}  // namespace dossier::ipfs
