#pragma once
/// The pages of each role, in navigation order: a doctor's (Home, Patients, Patient, History), a
/// patient's (Home, Medical Records, Requests, History), the authority's (Doctors).
#include <QWidget>
#include <vector>

#include "dossier/client/types.hpp"

namespace dossier::desktop {

class Page;
class Session;

[[nodiscard]] std::vector<Page*> make_pages(Session& session, client::Role role, QWidget* parent);

}  // namespace dossier::desktop
