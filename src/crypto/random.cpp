#include "crypto/random.hpp"

#include <openssl/crypto.h>
#include <cstring>
#include <string>

#include "base/error.hpp"
#include "eth/keys.hpp"

namespace dossier::crypto {

void random_bytes(std::span<std::uint8_t> out) { eth::random_bytes(out); }

Bytes random_bytes(std::size_t n) {
    Bytes out(n);
    random_bytes(out);
    return out;
}

void wipe(std::span<std::uint8_t> data) noexcept {
    if (!data.empty()) OPENSSL_cleanse(data.data(), data.size());
}

bool equal_constant_time(ByteView a, ByteView b) noexcept {
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void throw_secret_length(std::size_t expected, std::size_t got) {
    throw Error(ErrorCode::invalid_input,
                "expected a " + std::to_string(expected) + "-byte secret, got " + std::to_string(got) + " bytes");
}

SecretBytes::SecretBytes(std::size_t n) : data_(n ? new std::uint8_t[n]() : nullptr), size_(n) {}

SecretBytes SecretBytes::copy_of(ByteView bytes) {
    SecretBytes s(bytes.size());
    if (!bytes.empty()) std::memcpy(s.data_, bytes.data(), bytes.size());
    return s;
}

SecretBytes SecretBytes::random(std::size_t n) {
    SecretBytes s(n);
    random_bytes(s.mutable_view());
    return s;
}

SecretBytes::SecretBytes(const SecretBytes& other) : SecretBytes(copy_of(other.view())) {}

SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
    if (this != &other) *this = copy_of(other.view());
    return *this;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : data_(other.data_), size_(other.size_) {
    other.data_ = nullptr;
    other.size_ = 0;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
        release();
        data_ = other.data_;
        size_ = other.size_;
        other.data_ = nullptr;
        other.size_ = 0;
    }
    return *this;
}

SecretBytes::~SecretBytes() { release(); }

void SecretBytes::release() noexcept {
    if (data_ != nullptr) {
        wipe({data_, size_});
        delete[] data_;
    }
    data_ = nullptr;
    size_ = 0;
}

std::ostream& operator<<(std::ostream& os, const SecretBytes& s) {
    return os << "Secret(" << s.size() << " bytes, redacted)";
}

}  // namespace dossier::crypto
