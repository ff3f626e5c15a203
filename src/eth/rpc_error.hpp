#pragma once
/// The errors of Dossier's JSON-RPC client, one type per thing a caller can act on:
///  - NodeUnreachableError: nothing answered (connection refused, DNS, timeout); retry later or
///    check the URL.
///  - HttpStatusError: a server answered with an HTTP error status and no JSON-RPC error body.
///  - RpcError: the node answered with a JSON-RPC error object (code, message, optional data).
///  - RevertedError: the EVM reverted (eth_call / eth_estimateGas, or a mined transaction with
///    status 0); carries the revert data and its decoded one-sentence reason.
///  - MalformedResponseError: the answer is not a valid JSON-RPC response of the expected shape.
///  - ReceiptTimeoutError: a transaction was not mined before the caller's deadline.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/bytes.hpp"
#include "base/error.hpp"
#include "base/hex.hpp"

namespace dossier::eth {

class NodeUnreachableError : public Error {
public:
    NodeUnreachableError(std::string url, const std::string& reason)
        : Error(ErrorCode::node_unavailable, "the Ethereum node at " + url + " is unreachable: " + reason + "."),
          url_(std::move(url)) {}
    [[nodiscard]] const std::string& url() const noexcept { return url_; }

private:
    std::string url_;
};

class HttpStatusError : public Error {
public:
    HttpStatusError(std::string url, long status)
        : Error("the Ethereum node at " + url + " answered with HTTP status " + std::to_string(status) + "."),
          url_(std::move(url)), status_(status) {}
    [[nodiscard]] const std::string& url() const noexcept { return url_; }
    [[nodiscard]] long status() const noexcept { return status_; }

private:
    std::string url_;
    long status_;
};

class RpcError : public Error {
public:
    /// `data` is the error object's "data" member as sent (null when absent).
    RpcError(std::int64_t code, std::string message, nlohmann::json data = nullptr)
        : Error("JSON-RPC error " + std::to_string(code) + ": " + message),
          code_(code), message_(std::move(message)), data_(std::move(data)) {}
    [[nodiscard]] std::int64_t code() const noexcept { return code_; }
    /// The node's message, as sent.
    [[nodiscard]] const std::string& rpc_message() const noexcept { return message_; }
    [[nodiscard]] const nlohmann::json& data() const noexcept { return data_; }

private:
    std::int64_t code_;
    std::string message_;
    nlohmann::json data_;
};

class RevertedError : public Error {
public:
    /// `reason` describes the revert as abi::Revert::message() does ("reverted: not allowed",
    /// "panic 0x12: ...", "custom error Denied(0x..., 7)"); what() makes it a sentence naming the
    /// call or, for a mined transaction, its hash.
    RevertedError(Bytes data, std::string reason, std::optional<Bytes32> tx_hash = std::nullopt)
        : Error(describe(reason, tx_hash)), data_(std::move(data)), reason_(std::move(reason)), tx_hash_(tx_hash) {}
    [[nodiscard]] const Bytes& revert_data() const noexcept { return data_; }
    [[nodiscard]] const std::string& reason() const noexcept { return reason_; }
    [[nodiscard]] const std::optional<Bytes32>& tx_hash() const noexcept { return tx_hash_; }

private:
    static std::string describe(const std::string& reason, const std::optional<Bytes32>& tx_hash) {
        if (!tx_hash) return "The call " + reason + ".";
        return "Transaction " + to_hex(*tx_hash) + " " + reason + ".";
    }
    Bytes data_;
    std::string reason_;
    std::optional<Bytes32> tx_hash_;
};

class MalformedResponseError : public DecodeError {
public:
    using DecodeError::DecodeError;
};

class ReceiptTimeoutError : public Error {
public:
    using Error::Error;
};

}  // namespace dossier::eth
