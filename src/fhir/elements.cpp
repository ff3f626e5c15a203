#include "fhir/elements.hpp"

namespace dossier::fhir::detail {

const TypeDef* find_type(std::string_view name) noexcept {
    for (const auto& t : r4_types())
        if (t.name == name) return &t;
    return nullptr;
}

const ElementDef* find_element(const TypeDef& type, std::string_view name) noexcept {
    for (const auto& e : type.elements)
        if (e.name == name) return &e;
    return nullptr;
}

}  // namespace dossier::fhir::detail
