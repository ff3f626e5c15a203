#pragma once
/// Internal to the client implementation: the library's values turned into the boundary's plain
/// values (and back, for addresses and kinds). Faces never include this.
#include "dossier/access.hpp"
#include "dossier/accounts.hpp"
#include "dossier/audit.hpp"
#include "dossier/client/client.hpp"
#include "dossier/client/types.hpp"
#include "dossier/config.hpp"
#include "dossier/doctors.hpp"
#include "dossier/files.hpp"
#include "dossier/node.hpp"
#include "dossier/patients.hpp"
#include "dossier/record_fields.hpp"
#include "dossier/records.hpp"
#include "dossier/store_check.hpp"

namespace dossier::client::convert {

[[nodiscard]] inline Address to_client(const eth::Address& a) noexcept { return Address(a.bytes); }
[[nodiscard]] inline eth::Address to_eth(const Address& a) noexcept { return eth::Address{a.bytes()}; }

[[nodiscard]] core::Config to_core(const Config& config);
[[nodiscard]] core::Role to_core(Role role) noexcept;
[[nodiscard]] core::RecordKind to_core(RecordKind kind) noexcept;
[[nodiscard]] RecordKind to_client(core::RecordKind kind) noexcept;

[[nodiscard]] AccountInfo to_client(const core::AccountInfo& a);
[[nodiscard]] Deployment to_client(const chain::Manifest& m);
[[nodiscard]] NodeStatus to_client(const core::NodeStatus& s);
[[nodiscard]] DoctorInfo to_client(const core::DoctorInfo& d);
[[nodiscard]] PatientInfo to_client(const core::PatientInfo& p);
[[nodiscard]] PatientRegistration to_client(const core::PatientRegistration& r);
[[nodiscard]] AccessRequest to_client(const core::AccessRequest& r);
[[nodiscard]] RecordVersion to_client(const core::RecordVersionInfo& v);
[[nodiscard]] RecordListing to_client(const core::RecordListing& r);
[[nodiscard]] FileListing to_client(const core::FileListing& f);
[[nodiscard]] AuditEntry to_client(const core::AuditEntry& e);
[[nodiscard]] AuditVerification to_client(const core::AuditVerification& v);
[[nodiscard]] StoreCheck to_client(const eth::Address& patient, const core::StoreCheck& c);

[[nodiscard]] fhir::PractitionerFields to_fhir(const DoctorProfile& p);
[[nodiscard]] fhir::PatientFields to_fhir(const PatientProfile& p);
[[nodiscard]] core::RecordFields to_core(const RecordFields& f);

}  // namespace dossier::client::convert
