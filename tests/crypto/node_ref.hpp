#pragma once
/// Calls tests/crypto/js/crypto_ref.mjs (node's own crypto module) with a batch of requests.
#include <nlohmann/json.hpp>

#include <string>

#include "support/process.hpp"

namespace dossier::test {

inline nlohmann::json node_crypto_ref(const nlohmann::json& requests) {
    const std::string script = source_dir() + "/tests/crypto/js/crypto_ref.mjs";
    return nlohmann::json::parse(run_ok({"node", script}, requests.dump(), std::chrono::minutes(2)));
}

}  // namespace dossier::test
