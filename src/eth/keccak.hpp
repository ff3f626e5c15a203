#pragma once
/// Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not NIST SHA3-256 (0x06).
/// OpenSSL 3.0 exposes only SHA3, so Dossier carries its own small implementation.
#include <cstdint>

#include "base/bytes.hpp"

namespace dossier::eth {

/// Incremental hasher: update() any number of times, then final() once.
class Keccak256 {
public:
    Keccak256() noexcept = default;
    void update(ByteView data) noexcept;
    [[nodiscard]] Bytes32 final() noexcept;

private:
    static constexpr std::size_t kRate = 136;  // (1600 - 2*256) / 8
    std::uint64_t state_[25]{};
    std::uint8_t buffer_[kRate]{};
    std::size_t buffered_ = 0;
};

/// One-shot Keccak-256.
[[nodiscard]] Bytes32 keccak256(ByteView data) noexcept;

/// The Keccak-f[1600] permutation (exposed for tests and benchmarks).
void keccak_f1600(std::uint64_t state[25]) noexcept;

}  // namespace dossier::eth
