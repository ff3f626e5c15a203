#pragma once
/// What the faces ask the local index: a history page (one patient's trail, or everything one
/// account did across patients), where each grant stands for a patient or for a doctor, and the
/// patients a doctor knows. Every answer comes from the index alone (no chain call): sync first.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dossier/access.hpp"
#include "dossier/audit.hpp"
#include "dossier/index/index_db.hpp"

namespace dossier::index {

struct HistoryQuery {
    std::optional<eth::Address> patient;  ///< entries of this patient's trail
    std::optional<eth::Address> actor;    ///< entries this account wrote (a doctor's history)
    std::optional<core::AuditKind> kind;
    std::optional<std::uint64_t> since, until;  ///< unix seconds, inclusive
    /// The `next` cursor of the previous page (entries older than its last one).
    std::optional<std::string> after;
    std::size_t limit = 50;
    /// The access-log key (core::access_log_key) of a patient, if the caller holds it: Accessed
    /// entries of that patient are resolved (what was opened), others name only a commitment.
    std::function<std::optional<crypto::SecretKey32>(const eth::Address& patient)> log_key;
};

struct IndexedEntry {
    eth::Address patient;  ///< whose trail the entry is in
    core::AuditEntry entry;
};

struct HistoryPage {
    std::vector<IndexedEntry> entries;  ///< newest first
    std::optional<std::string> next;    ///< the cursor of the following page, if there is one
};

/// One page of history. Needs a patient or an actor (or both); Error(invalid_input) otherwise,
/// and for a malformed cursor. Accessed entries are resolved (what was opened) where
/// `query.log_key` gives the patient's access-log key.
[[nodiscard]] HistoryPage history(IndexDb& db, const HistoryQuery& query);

/// Every audit entry of `patient` in chain order (audit verification from the index); Accessed
/// entries resolved with `log_key` (the patient's access-log key) if given.
[[nodiscard]] std::vector<core::AuditEntry> patient_trail(IndexDb& db, const eth::Address& patient,
                                                          const crypto::SecretKey32* log_key = nullptr);

/// Where each doctor that asked `patient` (or registered it) stands, as the entries tell it.
[[nodiscard]] std::vector<core::AccessRequest> patient_requests(IndexDb& db, const eth::Address& patient,
                                                                std::uint64_t now);

struct DoctorsPatient {
    eth::Address patient;
    core::AccessRequest grant;  ///< its doctor field is the doctor asked about
    bool registered_by_doctor = false;
};

/// Every patient `doctor` asked, was approved or denied by, or registered, with the grant's state.
[[nodiscard]] std::vector<DoctorsPatient> doctor_patients(IndexDb& db, const eth::Address& doctor, std::uint64_t now);

/// Every registered patient, in registration order.
[[nodiscard]] std::vector<eth::Address> registered_patients(IndexDb& db);

}  // namespace dossier::index
