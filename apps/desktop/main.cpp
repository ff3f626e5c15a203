// dossier-desktop: the doctor's and the patient's interfaces. See shell/main_window.hpp.
#include <cstdio>
#include <exception>

#include "dossier/client/secrets.hpp"
#include "shell/app_main.hpp"

int main(int argc, char** argv) {
    // Before any password, key or record is in memory: no core file, no /proc/<pid>/mem for others.
    try {
        dossier::client::protect_process();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "dossier-desktop: %s\n", e.what());
        return 1;
    }
    return dossier::desktop::app_main(argc, argv);
}
