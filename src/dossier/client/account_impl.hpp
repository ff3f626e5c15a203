#pragma once
/// Internal to the client implementation: makes the Account of account.hpp for an unlocked key.
#include <memory>

#include "dossier/client/account.hpp"
#include "dossier/client/connection.hpp"
#include "eth/keys.hpp"

namespace dossier::client::detail {

[[nodiscard]] std::unique_ptr<Account> make_account(std::shared_ptr<Connection> connection, AccountInfo info,
                                                    eth::PrivateKey key);

}  // namespace dossier::client::detail
