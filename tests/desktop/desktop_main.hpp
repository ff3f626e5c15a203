#pragma once
/// The main() of every desktop QTest: offscreen unless a developer asks for a real display (to
/// watch), the light key derivation (unlocking in milliseconds), and QSettings (window geometry,
/// last account) in a directory of the test's, never the user's.
#include <QApplication>
#include <QTest>

#include "support/process.hpp"

namespace dossier::test_ui {

template <class Test>
int run_desktop_test(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
    if (qgetenv("DOSSIER_KDF").isEmpty()) qputenv("DOSSIER_KDF", "light");
    dossier::test::TempDir config;
    qputenv("XDG_CONFIG_HOME", QByteArray::fromStdString(config.path()));
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("DossierTest"));
    Test test;
    return QTest::qExec(&test, argc, argv);
}

}  // namespace dossier::test_ui
