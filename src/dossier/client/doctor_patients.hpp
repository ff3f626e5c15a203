#pragma once
/// Internal to the client implementation: a doctor's patients from the local index, and the
/// directory an unlocked doctor searches them in (names decrypted in memory only).
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "dossier/client/connection.hpp"
#include "dossier/client/types.hpp"
#include "dossier/index/name_search.hpp"

namespace dossier::client::detail {

/// Every patient of `doctor` as the index tells it (no names).
[[nodiscard]] std::vector<DoctorsPatient> doctor_patients(Connection& connection, const Address& doctor);

/// Names and birth dates of the patients an account can read, decrypted on first need and kept
/// only in memory for as long as the account stays unlocked (docs/architecture.md: the index
/// holds no personal data).
class PatientDirectory {
public:
    /// Reads a patient's FHIR Patient document (throws where the account holds no key).
    using ProfileReader = std::function<Json(const Address&)>;

    /// Fills in name and birth date of each patient whose profile `read` can open, reading only
    /// patients not seen before or whose grant changed since (a new approval brings a key).
    void annotate(std::vector<DoctorsPatient>& patients, const ProfileReader& read,
                  const std::function<std::optional<std::string>(const Address&)>& label_of);

    /// search() over the patients annotate() saw last.
    [[nodiscard]] std::vector<PatientMatch> search(std::string_view query, std::size_t limit);

    /// Forgets every name (the account was locked).
    void clear();

private:
    struct Known {
        std::optional<std::string> name, birth_date;
        RequestState state_at_read = RequestState::none;
        std::optional<std::string> label;
    };
    std::mutex mutex_;
    std::map<Address, Known> known_;
    std::vector<DoctorsPatient> last_;
    std::vector<index::PreparedKey> keys_;
};

}  // namespace dossier::client::detail
