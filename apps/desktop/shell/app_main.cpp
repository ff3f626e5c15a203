#include "shell/app_main.hpp"

#include <QApplication>
#include <QCommandLineParser>
#include <QStyleFactory>
#include <functional>
#include <memory>

#include "app/session.hpp"
#include "app/settings.hpp"
#include "app/task.hpp"
#include "shell/login_page.hpp"
#include "shell/main_window.hpp"
#include "shell/node_controller.hpp"
#include "shell/screenshot_tour.hpp"
#include "widgets/task_progress.hpp"

namespace dossier::desktop {

namespace {

/// Command-line options win over the stored settings for this run and are not saved.
void apply_options(const QCommandLineParser& parser, AppSettings& settings) {
    if (parser.isSet(QStringLiteral("data-dir"))) settings.data_dir = parser.value(QStringLiteral("data-dir"));
    if (parser.isSet(QStringLiteral("rpc-url"))) {
        settings.remote = true;
        settings.rpc_url = parser.value(QStringLiteral("rpc-url"));
    }
    if (parser.isSet(QStringLiteral("ipfs-api"))) settings.ipfs_api = parser.value(QStringLiteral("ipfs-api"));
    if (parser.isSet(QStringLiteral("manifest"))) settings.manifest = parser.value(QStringLiteral("manifest"));
    if (parser.isSet(QStringLiteral("chain-id"))) settings.chain_id = parser.value(QStringLiteral("chain-id")).toULongLong();
}

/// --demo: runs the library's demonstration on the data directory (starting its node), then
/// offers its accounts on the login page.
void run_demo(Session& session, MainWindow& window, std::function<void()> then) {
    auto client = session.client();
    auto* task = run_task(
        &window,
        [client](const TaskIo& io) {
            client::DemoOptions options;
            std::uint64_t step = 0;
            return client->run_demo(options, [&](const client::DemoStep& s) {
                io.progress(client::Progress{s.text, ++step, 0, "steps"});
            });
        },
        [&window, then](const client::DemoResult&) {
            window.node().check();
            if (then) then();
            window.login_page()->reload();
            window.login_page()->show_note(
                QObject::tr("The demonstration's accounts are ready; their password is \u201cdossier-demo\u201d."));
        },
        [&window, then](const Failure& f) {
            window.node().check();
            window.login_page()->show_note(QObject::tr("The demonstration failed: %1").arg(f.message));
            if (then) QApplication::exit(1);  // a tour of a failed demonstration shows nothing true
        });
    show_progress(task, &window, QObject::tr("Preparing the demonstration"));
}

}  // namespace

int app_main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Dossier"));
    QApplication::setApplicationName(QStringLiteral("dossier-desktop"));
    QApplication::setApplicationDisplayName(QStringLiteral("Dossier"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    // One look on every desktop, dark palettes included; the platform style varies too much.
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Dossier: patient-controlled medical records. The doctor's and the patient's desktop app.\n"
                       "By default it uses this computer's embedded chain and IPFS store, and starts them."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("data-dir"), QStringLiteral("Where Dossier keeps its files."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("rpc-url"), QStringLiteral("A remote JSON-RPC chain instead of the embedded one."),
                      QStringLiteral("URL")});
    parser.addOption({QStringLiteral("chain-id"), QStringLiteral("The remote chain's id."), QStringLiteral("ID")});
    parser.addOption({QStringLiteral("ipfs-api"), QStringLiteral("A Kubo RPC API URL for the remote store."), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("manifest"), QStringLiteral("The deployment manifest of the remote chain."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("demo"), QStringLiteral("Run the demonstration first and open the app on its data.")});
    parser.addOption({QStringLiteral("screenshot-all"),
                      QStringLiteral("Save every page of each role as DIR/<role>-<page>.png, then quit (with --demo: of "
                                     "the demonstration's data)."),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("tour-password"),
                      QStringLiteral("The accounts' password for --screenshot-all (default: the demonstration's)."),
                      QStringLiteral("PASSWORD"), QStringLiteral("dossier-demo")});
    parser.process(app);

    AppSettings settings = AppSettings::load();
    apply_options(parser, settings);
    Session session(client::make_client(settings.config()));
    MainWindow window(session, settings);
    window.show();
    // The demonstration starts the node itself; otherwise the window does (embedded) or checks it.
    std::function<void()> tour;
    if (parser.isSet(QStringLiteral("screenshot-all"))) {
        window.resize(1280, 800);
        tour = [&session, &window, dir = parser.value(QStringLiteral("screenshot-all")),
                password = parser.value(QStringLiteral("tour-password"))] {
            start_screenshot_tour(session, window, dir, password);
        };
    }
    if (parser.isSet(QStringLiteral("demo"))) {
        run_demo(session, window, tour);
    } else {
        window.node().start();
        if (tour) {
            // After the node answers: the tour's pages read the chain.
            QObject::connect(&window.node(), &NodeController::state_changed, &window,
                             [tour, started = std::make_shared<bool>(false)](NodeController::State state, const QString&) {
                                 if (state == NodeController::State::running && !*started) {
                                     *started = true;
                                     tour();
                                 }
                             });
        }
    }
    return QApplication::exec();
}

}  // namespace dossier::desktop
