#include "crypto/aes_gcm.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <string>

namespace dossier::crypto {
namespace {

[[noreturn]] void openssl_failure(const char* what) {
    throw Error(std::string("OpenSSL AES-256-GCM failed: ") + what);
}

int to_int(std::size_t n) {
    if (n > static_cast<std::size_t>(INT_MAX)) throw Error("AES-256-GCM input larger than 2 GiB in one call");
    return static_cast<int>(n);
}

/// OpenSSL's update functions take int lengths; feed large inputs in pieces.
constexpr std::size_t kMaxPiece = std::size_t{1} << 30;

EVP_CIPHER_CTX* new_ctx(const SecretKey32& key, bool encrypt) {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    if (ctx == nullptr) openssl_failure("out of memory");
    if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr, encrypt ? 1 : 0) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kGcmNonceSize), nullptr) != 1 ||
        EVP_CipherInit_ex(ctx, nullptr, nullptr, key.data(), nullptr, encrypt ? 1 : 0) != 1) {
        EVP_CIPHER_CTX_free(ctx);
        openssl_failure("key setup");
    }
    return ctx;
}

void feed_aad(EVP_CIPHER_CTX* ctx, ByteView aad) {
    for (std::size_t off = 0; off < aad.size(); off += kMaxPiece) {
        const std::size_t n = std::min(kMaxPiece, aad.size() - off);
        int outl = 0;
        if (EVP_CipherUpdate(ctx, nullptr, &outl, aad.data() + off, to_int(n)) != 1) openssl_failure("aad");
    }
}

void feed_data(EVP_CIPHER_CTX* ctx, ByteView in, std::uint8_t* out) {
    for (std::size_t off = 0; off < in.size(); off += kMaxPiece) {
        const std::size_t n = std::min(kMaxPiece, in.size() - off);
        int outl = 0;
        if (EVP_CipherUpdate(ctx, out + off, &outl, in.data() + off, to_int(n)) != 1 ||
            static_cast<std::size_t>(outl) != n)
            openssl_failure("update");
    }
}

}  // namespace

Aes256Gcm::Aes256Gcm(const SecretKey32& key) : enc_(new_ctx(key, true)) {
    try {
        dec_ = new_ctx(key, false);
    } catch (...) {
        EVP_CIPHER_CTX_free(enc_);
        throw;
    }
}

Aes256Gcm::Aes256Gcm(Aes256Gcm&& other) noexcept : enc_(other.enc_), dec_(other.dec_) {
    other.enc_ = nullptr;
    other.dec_ = nullptr;
}

Aes256Gcm& Aes256Gcm::operator=(Aes256Gcm&& other) noexcept {
    if (this != &other) {
        EVP_CIPHER_CTX_free(enc_);
        EVP_CIPHER_CTX_free(dec_);
        enc_ = other.enc_;
        dec_ = other.dec_;
        other.enc_ = nullptr;
        other.dec_ = nullptr;
    }
    return *this;
}

Aes256Gcm::~Aes256Gcm() {
    EVP_CIPHER_CTX_free(enc_);
    EVP_CIPHER_CTX_free(dec_);
}

GcmTag Aes256Gcm::encrypt(const GcmNonce& nonce, ByteView aad, ByteView plaintext, std::span<std::uint8_t> out) {
    if (enc_ == nullptr) throw Error("AES-256-GCM key used after it was moved from");
    if (out.size() != plaintext.size()) throw Error("AES-256-GCM output buffer has the wrong size");
    if (EVP_EncryptInit_ex(enc_, nullptr, nullptr, nullptr, nonce.data()) != 1) openssl_failure("nonce");
    feed_aad(enc_, aad);
    feed_data(enc_, plaintext, out.data());
    int outl = 0;
    std::uint8_t dummy[16];
    if (EVP_EncryptFinal_ex(enc_, dummy, &outl) != 1 || outl != 0) openssl_failure("final");
    GcmTag tag{};
    if (EVP_CIPHER_CTX_ctrl(enc_, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagSize), tag.data()) != 1)
        openssl_failure("tag");
    return tag;
}

bool Aes256Gcm::decrypt(const GcmNonce& nonce, ByteView aad, ByteView ciphertext, const GcmTag& tag,
                        std::span<std::uint8_t> out) {
    if (dec_ == nullptr) throw Error("AES-256-GCM key used after it was moved from");
    if (out.size() != ciphertext.size()) throw Error("AES-256-GCM output buffer has the wrong size");
    if (EVP_DecryptInit_ex(dec_, nullptr, nullptr, nullptr, nonce.data()) != 1) openssl_failure("nonce");
    feed_aad(dec_, aad);
    feed_data(dec_, ciphertext, out.data());
    GcmTag expected = tag;  // the ctrl takes a non-const pointer
    if (EVP_CIPHER_CTX_ctrl(dec_, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagSize), expected.data()) != 1)
        openssl_failure("tag");
    int outl = 0;
    std::uint8_t dummy[16];
    if (EVP_DecryptFinal_ex(dec_, dummy, &outl) != 1) {
        wipe(out);
        return false;
    }
    return true;
}

Bytes aes256gcm_encrypt(const SecretKey32& key, const GcmNonce& nonce, ByteView plaintext, ByteView aad) {
    Bytes out(plaintext.size() + kGcmTagSize);
    Aes256Gcm gcm(key);
    const GcmTag tag = gcm.encrypt(nonce, aad, plaintext, std::span(out).first(plaintext.size()));
    std::memcpy(out.data() + plaintext.size(), tag.data(), kGcmTagSize);
    return out;
}

namespace {

void open_into(const SecretKey32& key, const GcmNonce& nonce, ByteView ct_and_tag, ByteView aad,
               std::span<std::uint8_t> out) {
    const std::size_t n = ct_and_tag.size() - kGcmTagSize;
    GcmTag tag{};
    std::memcpy(tag.data(), ct_and_tag.data() + n, kGcmTagSize);
    Aes256Gcm gcm(key);
    if (!gcm.decrypt(nonce, aad, ct_and_tag.first(n), tag, out)) throw TamperedError();
}

GcmNonce nonce_of(ByteView sealed) {
    if (sealed.size() < kGcmNonceSize + kGcmTagSize)
        throw DecodeError("sealed data is shorter than a nonce and a tag (" + std::to_string(sealed.size()) +
                          " bytes)");
    GcmNonce nonce{};
    std::memcpy(nonce.data(), sealed.data(), kGcmNonceSize);
    return nonce;
}

}  // namespace

Bytes aes256gcm_decrypt(const SecretKey32& key, const GcmNonce& nonce, ByteView ciphertext_and_tag, ByteView aad) {
    if (ciphertext_and_tag.size() < kGcmTagSize)
        throw DecodeError("AES-256-GCM ciphertext is shorter than its 16-byte tag");
    Bytes out(ciphertext_and_tag.size() - kGcmTagSize);
    open_into(key, nonce, ciphertext_and_tag, aad, out);
    return out;
}

Bytes seal(const SecretKey32& key, ByteView plaintext, ByteView aad) {
    const GcmNonce nonce = random_array<kGcmNonceSize>();
    Bytes out(sealed_size(plaintext.size()));
    std::memcpy(out.data(), nonce.data(), kGcmNonceSize);
    Aes256Gcm gcm(key);
    const GcmTag tag = gcm.encrypt(nonce, aad, plaintext, std::span(out).subspan(kGcmNonceSize, plaintext.size()));
    std::memcpy(out.data() + kGcmNonceSize + plaintext.size(), tag.data(), kGcmTagSize);
    return out;
}

Bytes open(const SecretKey32& key, ByteView sealed, ByteView aad) {
    const GcmNonce nonce = nonce_of(sealed);
    Bytes out(sealed.size() - kGcmNonceSize - kGcmTagSize);
    open_into(key, nonce, sealed.subspan(kGcmNonceSize), aad, out);
    return out;
}

SecretBytes open_secret(const SecretKey32& key, ByteView sealed, ByteView aad) {
    const GcmNonce nonce = nonce_of(sealed);
    SecretBytes out(sealed.size() - kGcmNonceSize - kGcmTagSize);
    open_into(key, nonce, sealed.subspan(kGcmNonceSize), aad, out.mutable_view());
    return out;
}

}  // namespace dossier::crypto
