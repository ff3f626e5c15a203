#pragma once
/// What a doctor's pages need from every patient: this doctor's request or grant, if any, from one
/// query of the local index (Client::doctor_patients), on a worker.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/task.hpp"
#include "dossier/client/client.hpp"

namespace dossier::desktop {

struct PatientAccess {
    client::Address patient;
    std::string name;  ///< Client::display_name (a label of this computer, else the address)
    /// This doctor's request or grant; absent when the doctor never asked this patient.
    std::optional<client::AccessRequest> request;

    [[nodiscard]] client::RequestState state() const {
        return request ? request->state : client::RequestState::none;
    }
};

/// Every registered patient (`only_asked`: only those whose requests name `doctor`), with the
/// doctor's request. Call on a worker: throws Error(cancelled) when `io.stop` is requested.
[[nodiscard]] std::vector<PatientAccess> scan_patients(client::Client& client, const client::Address& doctor,
                                                       const TaskIo& io, bool only_asked);

}  // namespace dossier::desktop
