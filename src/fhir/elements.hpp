#pragma once
/// The element table behind the validator: for each FHIR type checked in depth, its elements (JSON
/// property names, with choice elements expanded: medicationCodeableConcept, medicationReference),
/// each element's type and whether it repeats, and the elements the JSON schema marks required.
/// Generated from the official R4 JSON schema into elements_r4.cpp (see that file's header).
#include <string_view>
#include <vector>

namespace dossier::fhir::detail {

struct ElementDef {
    std::string_view name;
    /// A primitive ("string", "code", "dateTime"...), "Element" (the _name extension form), "const"
    /// (resourceType), "ResourceList" (contained resources) or a complex type name.
    std::string_view type;
    bool array = false;
    /// Allowed codes (required bindings the schema enumerates), or the const value; empty = any.
    std::vector<std::string_view> values;
};

struct TypeDef {
    std::string_view name;
    std::vector<ElementDef> elements;
    /// Required complex elements (the schema cannot require primitives: they may appear as _name).
    std::vector<std::string_view> required;
};

/// Every type in the table (resources first).
[[nodiscard]] const std::vector<TypeDef>& r4_types();
/// The type named `name`, or nullptr if it is not checked in depth.
[[nodiscard]] const TypeDef* find_type(std::string_view name) noexcept;
/// The element `name` of `type`, or nullptr.
[[nodiscard]] const ElementDef* find_element(const TypeDef& type, std::string_view name) noexcept;

}  // namespace dossier::fhir::detail
