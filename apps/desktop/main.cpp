// dossier-desktop: the doctor's and the patient's interfaces. See shell/main_window.hpp.
#include "shell/app_main.hpp"

int main(int argc, char** argv) { return dossier::desktop::app_main(argc, argv); }
