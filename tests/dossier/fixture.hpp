#pragma once
/// A deployed Dossier on a real anvil (free loopback port) with an embedded blockstore in a
/// temporary directory, and helpers to make funded accounts. Each test gets its own.
#include <memory>

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

}  // namespace dossier::test
