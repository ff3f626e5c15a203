#pragma once
/// A Client on a real anvil (free loopback port, deployed through the client itself) with the
/// embedded blockstore of a temporary data directory; accounts use scrypt's light cost.
#include <memory>
#include <string>
#include <vector>

#include "dossier/client/client.hpp"
#include "support/anvil.hpp"
#include "support/error_code.hpp"

#include <gtest/gtest.h>

namespace dossier::test {

class ClientFixture {
public:
    static constexpr const char* kPassword = "correct horse";

    /// `anvil_args` as Anvil's.
    explicit ClientFixture(std::vector<std::string> anvil_args = {});
    ~ClientFixture();

    [[nodiscard]] client::Client& client() noexcept { return *client_; }
    [[nodiscard]] Anvil& anvil() noexcept { return anvil_; }
    [[nodiscard]] const std::string& data_dir() const noexcept { return dir_.path(); }
    /// The credentialing authority (anvil's first dev account, imported as "admin").
    [[nodiscard]] client::Account& admin() noexcept { return *admin_; }

    /// A new account of `role` labelled `label`, funded with 10 ETH from anvil's dev account, unlocked.
    [[nodiscard]] std::unique_ptr<client::Account> account(client::Role role, const std::string& label);
    /// A registered, verified doctor.
    [[nodiscard]] std::unique_ptr<client::Account> doctor(const std::string& label);
    /// A registered patient.
    [[nodiscard]] std::unique_ptr<client::Account> patient(const std::string& label);
    /// A patient who approved `doctor` for `days`.
    [[nodiscard]] std::unique_ptr<client::Account> patient_of(client::Account& doctor, const std::string& label,
                                                              unsigned days = 30);
    /// Moves the chain's clock forward (anvil's evm_increaseTime) and mines a block.
    void advance_time(std::uint64_t seconds);
    /// Sends a raw JSON-RPC call to anvil and returns its "result" as JSON text.
    std::string rpc(const std::string& method, const std::string& params_json = "[]");

private:
    Anvil anvil_;
    TempDir dir_;
    std::unique_ptr<client::Client> client_;
    std::unique_ptr<client::Account> admin_;
};

/// A record's simple fields of a condition.
[[nodiscard]] client::RecordContent condition(const std::string& code);

}  // namespace dossier::test
