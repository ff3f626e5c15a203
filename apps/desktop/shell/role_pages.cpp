#include "shell/role_pages.hpp"

#include "authority/doctors_page.hpp"
#include "doctor/history_page.hpp"
#include "doctor/home_page.hpp"
#include "doctor/patient_page.hpp"
#include "doctor/patients_page.hpp"
#include "patient/history_page.hpp"
#include "patient/home_page.hpp"
#include "patient/records_page.hpp"
#include "patient/requests_page.hpp"

namespace dossier::desktop {

std::vector<Page*> make_pages(Session& session, client::Role role, QWidget* parent) {
    switch (role) {
        case client::Role::doctor:
            return {new DoctorHomePage(session, parent), new PatientsPage(session, parent),
                    new PatientPage(session, parent), new DoctorHistoryPage(session, parent)};
        case client::Role::patient:
            return {new PatientHomePage(session, parent), new MyRecordsPage(session, parent),
                    new RequestsPage(session, parent), new MyHistoryPage(session, parent)};
        case client::Role::admin: return {new DoctorsAdminPage(session, parent)};
    }
    return {};
}

}  // namespace dossier::desktop
