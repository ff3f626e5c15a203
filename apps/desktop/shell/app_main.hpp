#pragma once
/// The whole program behind main(): options (--data-dir, --rpc-url, --ipfs-api, --demo,
/// --screenshot-all DIR), the QApplication, the settings and the main window.
namespace dossier::desktop {

int app_main(int argc, char** argv);

}  // namespace dossier::desktop
