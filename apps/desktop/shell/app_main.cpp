#include "shell/app_main.hpp"

#include <QApplication>

namespace dossier::desktop {

int app_main(int argc, char** argv) {
    QApplication app(argc, argv);
    return 0;
}

}  // namespace dossier::desktop
