#include "doctor/my_patients.hpp"

#include <map>

namespace dossier::desktop {

std::vector<PatientAccess> scan_patients(client::Client& client, const client::Address& doctor, const TaskIo& io,
                                         bool only_asked) {
    if (io.progress) io.progress({"reading the patients", 0, 0, "patients"});
    // One query of the local index for this doctor's grants; labels of this computer's accounts once.
    std::map<client::Address, client::AccessRequest> asked;
    for (const client::DoctorsPatient& p : client.doctor_patients(doctor)) asked[p.patient] = p.grant;
    std::map<client::Address, std::string> labels;
    for (const client::AccountInfo& a : client.accounts()) labels[a.address] = a.label + " (" + a.address.checksum() + ")";
    const std::vector<client::Address> patients = only_asked ? std::vector<client::Address>{} : client.patients();
    std::vector<PatientAccess> out;
    const auto add = [&](const client::Address& patient) {
        PatientAccess row;
        row.patient = patient;
        if (const auto it = asked.find(patient); it != asked.end()) row.request = it->second;
        const auto label = labels.find(patient);
        row.name = label != labels.end() ? label->second : patient.checksum();
        out.push_back(std::move(row));
    };
    if (only_asked) {
        out.reserve(asked.size());
        for (const auto& [patient, grant] : asked) add(patient);
    } else {
        out.reserve(patients.size());
        for (const client::Address& patient : patients) {
            if (io.stop.stop_requested()) throw Error(ErrorCode::cancelled, "Loading the patients was cancelled.");
            add(patient);
        }
    }
    return out;
}

}  // namespace dossier::desktop
