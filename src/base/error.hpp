#pragma once
/// The one error type of Dossier. Every failure is a dossier::Error carrying an ErrorCode that a
/// face can act on (ask for the password again, offer to retry when the node is back, show the
/// newer version), a message that is one clear sentence for a person, and, for some codes, a
/// detail a program needs (the contract's error name of a revert, the hash of a transaction that
/// was sent before a cancel). Messages never name command-line flags: a face adds its own hints.
/// Decoders never crash on malformed input, they throw.
#include <stdexcept>
#include <string>
#include <string_view>

namespace dossier {

/// What went wrong, as a face needs to know it. The numbering is not stable across versions: use
/// the names (error_code_name() gives the text a script sees in --json output).
enum class ErrorCode : unsigned char {
    internal,           ///< a bug or an unexpected state (the message says what)
    invalid_input,      ///< malformed text, file, resource or argument given by the user
    not_found,          ///< no such account, doctor, patient, record, version, attachment or file
    already_exists,     ///< the account, label, registration or destination is there already
    permission_denied,  ///< the chain or the client refuses this actor this action (no grant, not verified, wrong role)
    access_expired,     ///< the grant existed but its expiry has passed
    suspended,          ///< the doctor is suspended by the credentialing authority
    wrong_password,     ///< the keystore does not open with this password
    node_unavailable,   ///< the chain or the IPFS node cannot be reached, is not running or not usable
    tampered,           ///< ciphertext, a header, a block or an audit trail fails authentication
    conflict,           ///< stale version: someone else wrote first (re-read and retry)
    cancelled,          ///< the caller's stop token was triggered
    reverted,           ///< the contract refused with an error this client does not map (detail: its name)
    io,                 ///< a local file or directory could not be read or written
    deployment,         ///< the chain does not hold the contracts the manifest names, or no manifest
};

/// "invalid-input", "not-found", ... (stable, for --json and logs).
[[nodiscard]] std::string_view error_code_name(ErrorCode code) noexcept;

class Error : public std::runtime_error {
public:
    /// An error with code internal (kept for the many decoders whose subclasses set their code).
    explicit Error(const std::string& message) : Error(ErrorCode::internal, message) {}
    Error(ErrorCode code, const std::string& message, std::string detail = {})
        : std::runtime_error(message), code_(code), detail_(std::move(detail)) {}

    [[nodiscard]] ErrorCode code() const noexcept { return code_; }
    /// reverted / permission_denied...: the contract's custom error name when the chain refused
    /// ("NotVerified"); cancelled: the hash of a transaction sent before the cancel (it is
    /// journaled and may still be mined); a few node failures: a reason a face offers a remedy
    /// for ("NodeNotRunning", "DeploymentLost"); otherwise usually empty.
    [[nodiscard]] const std::string& detail() const noexcept { return detail_; }

private:
    ErrorCode code_;
    std::string detail_;
};

/// Malformed encoded input (hex, RLP, ABI, protobuf, JSON documents...).
class DecodeError : public Error {
public:
    explicit DecodeError(const std::string& message) : Error(ErrorCode::invalid_input, message) {}
    DecodeError(ErrorCode code, const std::string& message) : Error(code, message) {}
};

inline std::string_view error_code_name(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::internal: return "internal";
        case ErrorCode::invalid_input: return "invalid-input";
        case ErrorCode::not_found: return "not-found";
        case ErrorCode::already_exists: return "already-exists";
        case ErrorCode::permission_denied: return "permission-denied";
        case ErrorCode::access_expired: return "access-expired";
        case ErrorCode::suspended: return "suspended";
        case ErrorCode::wrong_password: return "wrong-password";
        case ErrorCode::node_unavailable: return "node-unavailable";
        case ErrorCode::tampered: return "tampered";
        case ErrorCode::conflict: return "conflict";
        case ErrorCode::cancelled: return "cancelled";
        case ErrorCode::reverted: return "reverted";
        case ErrorCode::io: return "io";
        case ErrorCode::deployment: return "deployment";
    }
    return "internal";
}

}  // namespace dossier
