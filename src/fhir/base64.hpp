#pragma once
/// Standard base64 (RFC 4648 section 4, with padding), as FHIR's base64Binary uses.
#include <optional>
#include <string>
#include <string_view>

namespace dossier::fhir {

[[nodiscard]] std::string base64_encode(std::string_view bytes);
/// nullopt if `text` is not canonical padded base64 (no whitespace).
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

}  // namespace dossier::fhir
