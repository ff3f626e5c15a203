#pragma once
/// Errors across the client boundary: every call of the client API throws dossier::Error, one
/// type with an ErrorCode a face acts on, a one-sentence message for a person (no command-line
/// flag in it: faces add their own hints) and a detail for programs (base/error.hpp says which).
/// A face never catches a subclass: the codes are the contract.
#include "base/error.hpp"

namespace dossier::client {

using dossier::Error;
using dossier::ErrorCode;
using dossier::error_code_name;

}  // namespace dossier::client
