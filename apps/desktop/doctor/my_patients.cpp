#include "doctor/my_patients.hpp"

namespace dossier::desktop {

std::vector<PatientAccess> scan_patients(client::Client& client, const client::Address& doctor, const TaskIo& io,
                                         bool only_asked) {
    const std::vector<client::Address> patients = client.patients();
    std::vector<PatientAccess> out;
    out.reserve(only_asked ? 0 : patients.size());
    const auto total = static_cast<std::uint64_t>(patients.size());
    std::uint64_t done = 0;
    for (const client::Address& patient : patients) {
        if (io.stop.stop_requested()) throw Error(ErrorCode::cancelled, "Loading the patients was cancelled.");
        PatientAccess row;
        row.patient = patient;
        for (const client::AccessRequest& request : client.access_requests(patient)) {
            if (request.doctor == doctor) row.request = request;
        }
        ++done;
        // Every 50 patients: the UI polls ten times a second, so more reports are lost anyway.
        if (io.progress && (done % 50 == 0 || done == total))
            io.progress({"reading the patients' access", done, total, "patients"});
        if (only_asked && !row.request) continue;
        row.name = client.display_name(patient);
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace dossier::desktop
