#pragma once
/// Randomness from the operating system and containers for secrets that wipe themselves.
///
/// Secrets (data keys, content keys, ephemeral scalars) live in SecretBytes / SecretArray so that
/// they are erased with OPENSSL_cleanse (which the compiler may not optimise away) when they go out
/// of scope, and so that streaming one into a log or a test failure message prints a placeholder,
/// never the bytes. Read the bytes deliberately with data()/view().
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <span>
#include <utility>

#include "base/bytes.hpp"

namespace dossier::crypto {

/// Fills `out` from the kernel CSPRNG (getrandom(2), blocking until the pool is seeded; retries
/// on EINTR and short reads): eth::random_bytes. Throws dossier::Error only if the kernel refuses.
void random_bytes(std::span<std::uint8_t> out);
/// `n` fresh random bytes.
[[nodiscard]] Bytes random_bytes(std::size_t n);
/// N fresh random bytes in a fixed-size array (nonces, prefixes).
template <std::size_t N>
[[nodiscard]] FixedBytes<N> random_array() {
    FixedBytes<N> out{};
    random_bytes(out);
    return out;
}

/// Erases `data` in a way the optimiser keeps (OPENSSL_cleanse).
void wipe(std::span<std::uint8_t> data) noexcept;
/// Constant-time equality of two byte strings of the same length (false if lengths differ; the
/// lengths themselves are not secret).
[[nodiscard]] bool equal_constant_time(ByteView a, ByteView b) noexcept;

/// Throws dossier::Error("expected a <expected>-byte secret, got <got> bytes").
[[noreturn]] void throw_secret_length(std::size_t expected, std::size_t got);

/// A fixed-size secret, wiped on destruction and on move-from. Copyable (each copy wipes itself).
template <std::size_t N>
class SecretArray {
public:
    static constexpr std::size_t size_bytes = N;

    SecretArray() noexcept = default;
    /// Copies exactly N bytes; throws dossier::Error on another length.
    [[nodiscard]] static SecretArray from_bytes(ByteView bytes);
    /// N fresh bytes from the CSPRNG.
    [[nodiscard]] static SecretArray random() {
        SecretArray s;
        random_bytes(s.bytes_);
        return s;
    }

    SecretArray(const SecretArray&) noexcept = default;
    SecretArray& operator=(const SecretArray&) noexcept = default;
    SecretArray(SecretArray&& other) noexcept : bytes_(other.bytes_) { other.clear(); }
    SecretArray& operator=(SecretArray&& other) noexcept {
        if (this != &other) {
            bytes_ = other.bytes_;
            other.clear();
        }
        return *this;
    }
    ~SecretArray() { clear(); }

    [[nodiscard]] const std::uint8_t* data() const noexcept { return bytes_.data(); }
    [[nodiscard]] std::uint8_t* data() noexcept { return bytes_.data(); }
    [[nodiscard]] static constexpr std::size_t size() noexcept { return N; }
    [[nodiscard]] ByteView view() const noexcept { return bytes_; }
    [[nodiscard]] std::span<std::uint8_t> mutable_view() noexcept { return bytes_; }
    /// Sets every byte to zero.
    void clear() noexcept { wipe(bytes_); }

    /// Constant-time comparison.
    [[nodiscard]] bool operator==(const SecretArray& other) const noexcept {
        return equal_constant_time(bytes_, other.bytes_);
    }

    /// Prints "Secret(<N> bytes, redacted)".
    friend std::ostream& operator<<(std::ostream& os, const SecretArray&) {
        return os << "Secret(" << N << " bytes, redacted)";
    }

private:
    FixedBytes<N> bytes_{};
};

/// A 256-bit key: AES-256 keys, patient data keys, content keys, secp256k1 scalars.
using SecretKey32 = SecretArray<32>;

/// A variable-length secret on the heap, wiped on destruction, on resize and on move-from.
class SecretBytes {
public:
    SecretBytes() noexcept = default;
    /// `n` zero bytes.
    explicit SecretBytes(std::size_t n);
    /// A copy of `bytes`.
    [[nodiscard]] static SecretBytes copy_of(ByteView bytes);
    /// `n` fresh bytes from the CSPRNG.
    [[nodiscard]] static SecretBytes random(std::size_t n);

    SecretBytes(const SecretBytes& other);
    SecretBytes& operator=(const SecretBytes& other);
    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    ~SecretBytes();

    [[nodiscard]] const std::uint8_t* data() const noexcept { return data_; }
    [[nodiscard]] std::uint8_t* data() noexcept { return data_; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] ByteView view() const noexcept { return {data_, size_}; }
    [[nodiscard]] std::span<std::uint8_t> mutable_view() noexcept { return {data_, size_}; }

    /// Constant-time comparison of the contents (lengths are compared first, in the clear).
    [[nodiscard]] bool operator==(const SecretBytes& other) const noexcept {
        return equal_constant_time(view(), other.view());
    }

    /// Prints "Secret(<n> bytes, redacted)".
    friend std::ostream& operator<<(std::ostream& os, const SecretBytes& s);

private:
    void release() noexcept;
    std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
};

template <std::size_t N>
SecretArray<N> SecretArray<N>::from_bytes(ByteView bytes) {
    if (bytes.size() != N) throw_secret_length(N, bytes.size());
    SecretArray s;
    for (std::size_t i = 0; i < N; ++i) s.bytes_[i] = bytes[i];
    return s;
}

}  // namespace dossier::crypto
