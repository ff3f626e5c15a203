#pragma once
/// --screenshot-all DIR: signs in as the first doctor, patient and authority account of the data
/// directory (the demonstration's, password given), shows every page of each role once it has
/// loaded, and saves it as DIR/<role>-<page>.png, plus the login page; then quits. The README's
/// pictures are made this way (scripts/screenshots.sh), so they show the app as it is.
#include <QString>

namespace dossier::desktop {

class MainWindow;
class Session;

/// Starts the tour (asynchronously); the application quits with 0 when done, 1 on a failure.
void start_screenshot_tour(Session& session, MainWindow& window, const QString& directory, const QString& password);

}  // namespace dossier::desktop
