#include "crypto/hkdf.hpp"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <memory>
#include <string>

#include "base/error.hpp"

namespace dossier::crypto {
namespace {

struct KdfDeleter {
    void operator()(EVP_KDF* k) const noexcept { EVP_KDF_free(k); }
    void operator()(EVP_KDF_CTX* c) const noexcept { EVP_KDF_CTX_free(c); }
};

void derive(ByteView ikm, ByteView salt, ByteView info, std::span<std::uint8_t> out) {
    if (out.empty() || out.size() > kHkdfSha256MaxLength)
        throw Error(ErrorCode::invalid_input,
                    "HKDF-SHA256 output length must be between 1 and 8160 bytes, not " + std::to_string(out.size()));
    std::unique_ptr<EVP_KDF, KdfDeleter> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
    if (!kdf) throw Error("OpenSSL does not provide HKDF");
    std::unique_ptr<EVP_KDF_CTX, KdfDeleter> ctx(EVP_KDF_CTX_new(kdf.get()));
    if (!ctx) throw Error("OpenSSL could not allocate an HKDF context");

    // OSSL_PARAM wants non-const pointers; OpenSSL only reads them.
    char digest[] = "SHA256";
    static const std::uint8_t empty = 0;
    OSSL_PARAM params[5];
    std::size_t n = 0;
    params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
    params[n++] = OSSL_PARAM_construct_octet_string(
        OSSL_KDF_PARAM_KEY, const_cast<std::uint8_t*>(ikm.empty() ? &empty : ikm.data()), ikm.size());
    // An absent salt is the RFC's string of HashLen zeros; HMAC pads a short key with zeros, so an
    // empty salt is the same key, and leaving the parameter out says so without a zero-length param.
    if (!salt.empty())
        params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                                        const_cast<std::uint8_t*>(salt.data()), salt.size());
    if (!info.empty())
        params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
                                                        const_cast<std::uint8_t*>(info.data()), info.size());
    params[n] = OSSL_PARAM_construct_end();
    if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) {
        wipe(out);
        throw Error("OpenSSL HKDF-SHA256 derivation failed");
    }
}

}  // namespace

SecretBytes hkdf_sha256(ByteView ikm, ByteView salt, ByteView info, std::size_t length) {
    if (length == 0 || length > kHkdfSha256MaxLength)
        throw Error(ErrorCode::invalid_input,
                    "HKDF-SHA256 output length must be between 1 and 8160 bytes, not " + std::to_string(length));
    SecretBytes out(length);
    derive(ikm, salt, info, out.mutable_view());
    return out;
}

SecretKey32 hkdf_sha256_key(ByteView ikm, ByteView salt, ByteView info) {
    SecretKey32 key;
    derive(ikm, salt, info, key.mutable_view());
    return key;
}

}  // namespace dossier::crypto
