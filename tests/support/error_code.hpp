#pragma once
/// Assertions on the ErrorCode of a failure. Tests check WHAT kind of failure happened through its
/// code (and, for a refusal by the chain, the contract error in its detail), not through the
/// English of its message, which may be reworded; they look at the message only when the test is
/// about the message (that it names the account, the file, the field).
#include <gtest/gtest.h>

#include <exception>
#include <optional>
#include <string>

#include "base/error.hpp"

namespace dossier::test {

/// Runs `f`, expects it to throw a dossier::Error with `code` (and, if `detail` is not empty, that
/// detail), and returns the error for further checks. Records a failure at the caller's line and
/// returns nullopt if `f` throws nothing, something else, or another code.
template <typename F>
std::optional<Error> expect_code(F&& f, ErrorCode code, const std::string& detail = {},
                                 // The caller's line (std::source_location is not in clang 14's reach).
                                 const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    try {
        f();
    } catch (const Error& e) {
        if (e.code() != code || (!detail.empty() && e.detail() != detail)) {
            ADD_FAILURE_AT(file, line)
                << "expected code " << error_code_name(code) << (detail.empty() ? "" : " (" + detail + ")")
                << ", got " << error_code_name(e.code()) << (e.detail().empty() ? "" : " (" + e.detail() + ")")
                << ": " << e.what();
            return std::nullopt;
        }
        return e;
    } catch (const std::exception& e) {
        ADD_FAILURE_AT(file, line)
            << "expected code " << error_code_name(code) << ", got an exception that is not a dossier::Error: "
            << e.what();
        return std::nullopt;
    }
    ADD_FAILURE_AT(file, line)
        << "expected code " << error_code_name(code) << ", but nothing was thrown";
    return std::nullopt;
}

/// The message of an error expect_code() returned ("" after a failure), for the tests about it.
inline std::string message_of(const std::optional<Error>& e) { return e ? std::string(e->what()) : std::string(); }

}  // namespace dossier::test
