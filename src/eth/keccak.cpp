#include "eth/keccak.hpp"

#include <algorithm>
#include <cstring>

namespace dossier::eth {
namespace {

constexpr std::uint64_t kRoundConstants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};

constexpr std::uint64_t rotl(std::uint64_t x, unsigned n) noexcept {
    return n == 0 ? x : (x << n) | (x >> (64 - n));
}

// Little-endian lane load/store; x86-64 and aarch64 are little-endian, memcpy keeps it portable
// to strict-alignment targets and compiles to a plain load.
inline std::uint64_t load64(const std::uint8_t* p) noexcept {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}

inline void absorb_block(std::uint64_t state[25], const std::uint8_t* block) noexcept {
    for (int i = 0; i < 17; ++i) state[i] ^= load64(block + 8 * i);
    keccak_f1600(state);
}

}  // namespace

void keccak_f1600(std::uint64_t a[25]) noexcept {
    for (int round = 0; round < 24; ++round) {
        // theta
        std::uint64_t c[5];
        for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (int x = 0; x < 5; ++x) {
            const std::uint64_t d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
            for (int y = 0; y < 25; y += 5) a[y + x] ^= d;
        }
        // rho and pi, written out: b[y, 2x+3y] = rot(a[x, y], r[x, y])
        std::uint64_t b[25];
        b[0] = a[0];
        b[10] = rotl(a[1], 1);
        b[20] = rotl(a[2], 62);
        b[5] = rotl(a[3], 28);
        b[15] = rotl(a[4], 27);
        b[16] = rotl(a[5], 36);
        b[1] = rotl(a[6], 44);
        b[11] = rotl(a[7], 6);
        b[21] = rotl(a[8], 55);
        b[6] = rotl(a[9], 20);
        b[7] = rotl(a[10], 3);
        b[17] = rotl(a[11], 10);
        b[2] = rotl(a[12], 43);
        b[12] = rotl(a[13], 25);
        b[22] = rotl(a[14], 39);
        b[23] = rotl(a[15], 41);
        b[8] = rotl(a[16], 45);
        b[18] = rotl(a[17], 15);
        b[3] = rotl(a[18], 21);
        b[13] = rotl(a[19], 8);
        b[14] = rotl(a[20], 18);
        b[24] = rotl(a[21], 2);
        b[9] = rotl(a[22], 61);
        b[19] = rotl(a[23], 56);
        b[4] = rotl(a[24], 14);
        // chi
        for (int y = 0; y < 25; y += 5) {
            for (int x = 0; x < 5; ++x) a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]);
        }
        // iota
        a[0] ^= kRoundConstants[round];
    }
}

void Keccak256::update(ByteView data) noexcept {
    if (data.empty()) return;  // an empty span may carry a null pointer, which memcpy must not see
    const std::uint8_t* p = data.data();
    std::size_t n = data.size();
    if (buffered_ > 0) {
        const std::size_t take = std::min(n, kRate - buffered_);
        std::memcpy(buffer_ + buffered_, p, take);
        buffered_ += take;
        p += take;
        n -= take;
        if (buffered_ < kRate) return;
        absorb_block(state_, buffer_);
        buffered_ = 0;
    }
    while (n >= kRate) {
        absorb_block(state_, p);
        p += kRate;
        n -= kRate;
    }
    if (n > 0) {
        std::memcpy(buffer_, p, n);
        buffered_ = n;
    }
}

Bytes32 Keccak256::final() noexcept {
    std::memset(buffer_ + buffered_, 0, kRate - buffered_);
    buffer_[buffered_] ^= 0x01;
    buffer_[kRate - 1] ^= 0x80;
    absorb_block(state_, buffer_);
    Bytes32 out;
    std::memcpy(out.data(), state_, 32);
    return out;
}

Bytes32 keccak256(ByteView data) noexcept {
    Keccak256 h;
    h.update(data);
    return h.final();
}

}  // namespace dossier::eth
