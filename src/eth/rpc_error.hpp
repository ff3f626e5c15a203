#pragma once
/// The errors of Dossier's JSON-RPC client, one type per thing a caller can act on:
///  - NodeUnreachableError: nothing answered (connection refused, DNS, timeout); retry later or
///    check the URL.
///  - HttpStatusError: a server answered with an HTTP error status and no JSON-RPC error body.
///  - RpcError: the node answered with a JSON-RPC error object (code, message, optional data).
///  - RevertedError: the EVM reverted (eth_call / eth_estimateGas, or a mined transaction with
///    status 0); carries the revert data and its decoded one-sentence reason.
///  - MalformedResponseError: the answer is not a valid JSON-RPC response of the expected shape.
///  - UntrustedAnswerError: the answer is well formed but does not answer the question asked (a
///    log outside the filter, a receipt of another transaction): the node is lying or broken.
/// A transaction not mined before the caller's deadline is a plain Error with code node_unavailable.
/// Each type sets its ErrorCode: node_unavailable for the node's failures, reverted (with the
/// contract's custom error name as detail) for reverts, internal for a JSON-RPC error object,
/// which the node sends for many unrelated reasons.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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
        : Error(ErrorCode::node_unavailable,
                "the Ethereum node at " + url + " answered with HTTP status " + std::to_string(status) + "."),
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
        : Error(ErrorCode::internal, "JSON-RPC error " + std::to_string(code) + ": " + message),
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
    /// call or, for a mined transaction, its hash. Its code is reverted and its detail the custom
    /// error's name ("Denied"), empty for other reverts.
    RevertedError(Bytes data, std::string reason, std::optional<Bytes32> tx_hash = std::nullopt)
        : Error(ErrorCode::reverted, describe(reason, tx_hash), custom_error_name(reason)), data_(std::move(data)),
          reason_(std::move(reason)), tx_hash_(tx_hash) {}
    [[nodiscard]] const Bytes& revert_data() const noexcept { return data_; }
    [[nodiscard]] const std::string& reason() const noexcept { return reason_; }
    [[nodiscard]] const std::optional<Bytes32>& tx_hash() const noexcept { return tx_hash_; }

private:
    static std::string custom_error_name(const std::string& reason) {
        constexpr std::string_view prefix = "custom error ";
        if (!reason.starts_with(prefix)) return {};
        const std::size_t open = reason.find('(', prefix.size());
        return reason.substr(prefix.size(), open == std::string::npos ? std::string::npos : open - prefix.size());
    }
    static std::string describe(const std::string& reason, const std::optional<Bytes32>& tx_hash) {
        if (!tx_hash) return "The call " + reason + ".";
        return "Transaction " + to_hex(*tx_hash) + " " + reason + ".";
    }
    Bytes data_;
    std::string reason_;
    std::optional<Bytes32> tx_hash_;
};

/// The node's answer is not what the protocol says: the node is not usable (node_unavailable).
class MalformedResponseError : public DecodeError {
public:
    explicit MalformedResponseError(const std::string& message) : DecodeError(ErrorCode::node_unavailable, message) {}
};

/// The node answered in the protocol's shape with something that does not answer what was asked:
/// a log whose address, topics or block are outside the filter, a log repeated or marked removed,
/// a receipt, transaction or block other than the one asked for, a log that does not decode as the
/// event its topic names. Nothing of such an answer is used. Code tampered (the chain returned
/// altered data), detail "UntrustedAnswer".
class UntrustedAnswerError : public Error {
public:
    /// `what` completes "the Ethereum node at <url> answered with ...": "a log that does not match
    /// the filter: its address 0x... is not one the filter names".
    UntrustedAnswerError(std::string url, const std::string& what)
        : Error(ErrorCode::tampered, "the Ethereum node at " + url + " answered with " + what + ".", "UntrustedAnswer"),
          url_(std::move(url)) {}
    [[nodiscard]] const std::string& url() const noexcept { return url_; }

private:
    std::string url_;
};

}  // namespace dossier::eth
