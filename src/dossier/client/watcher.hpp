#pragma once
/// Internal to the client implementation: the Handler behind Client::watch(), a thread that polls
/// the chain for new blocks and reports the audit entries in them.
#include <chrono>
#include <memory>

#include "dossier/client/connection.hpp"
#include "dossier/client/handler.hpp"

namespace dossier::client::detail {

[[nodiscard]] std::unique_ptr<Handler> make_watcher(std::shared_ptr<Connection> connection, EventFilter filter,
                                                    EventFn on_event, std::chrono::milliseconds poll);

}  // namespace dossier::client::detail
