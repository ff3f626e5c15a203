#pragma once
/// The root of Dossier's error types. Every module throws a subclass of dossier::Error with a
/// message that is one clear sentence; decoders never crash on malformed input, they throw.
#include <stdexcept>
#include <string>

namespace dossier {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Malformed encoded input (hex, RLP, ABI, protobuf, JSON documents...).
class DecodeError : public Error {
public:
    using Error::Error;
};

}  // namespace dossier
