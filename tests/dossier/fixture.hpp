#pragma once
/// A deployed Dossier on a real anvil (free loopback port) with an embedded blockstore in a
/// temporary directory, and helpers to make funded accounts. Each test gets its own.
#include <cstdint>
#include <memory>

#include "base/bytes.hpp"
#include "dossier/context.hpp"
#include "support/anvil.hpp"

namespace dossier::test {

class CoreFixture {
public:
    CoreFixture();
    ~CoreFixture();

    [[nodiscard]] core::Context& ctx() noexcept { return *ctx_; }
    /// The credentialing authority (deployer, anvil's first dev account).
    [[nodiscard]] const eth::PrivateKey& admin() const noexcept { return admin_; }
    /// A fresh key holding 10 ETH.
    [[nodiscard]] eth::PrivateKey funded_key();
    [[nodiscard]] const std::string& data_dir() const noexcept { return dir_.path(); }
    [[nodiscard]] Anvil& anvil() noexcept { return anvil_; }

private:
    Anvil anvil_;
    TempDir dir_;
    eth::PrivateKey admin_;
    std::unique_ptr<core::Context> ctx_;
};

/// Deterministic pseudo-random bytes (xorshift), so a failure is reproducible.
inline Bytes pattern(std::size_t n, std::uint64_t seed) {
    Bytes out(n);
    std::uint64_t x = seed | 1;
    for (auto& b : out) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        b = static_cast<std::uint8_t>(x >> 24);
    }
    return out;
}

}  // namespace dossier::test
