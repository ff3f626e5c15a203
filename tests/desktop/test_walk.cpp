/// The specification walked end to end in the desktop app, by its widgets: a doctor registers,
/// the authority verifies it, the doctor adds a patient with a first record and asks a second
/// patient for access, that patient approves with an expiry, the doctor writes and versions a
/// record and attaches a file, the patient sees the read in a verified History and revokes, and
/// the doctor's Patient page shows that access ended. Refusals show their messages: a wrong
/// password, a suspended doctor. Everything runs on the embedded node the app starts in a
/// temporary data directory; the steps build on each other, in order.
#include <QAbstractItemView>
#include <QComboBox>
#include <QElapsedTimer>
#include <QListWidget>
#include <QTabWidget>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QUrl>
#include <QPushButton>
#include <QStackedWidget>
#include <QTest>
#include <QTextBrowser>
#include <QWizard>
#include <filesystem>
#include <fstream>
#include <set>
#include <memory>

#include "app/session.hpp"
#include "app/task.hpp"
#include "app/settings.hpp"
#include "shell/main_window.hpp"
#include "shell/node_controller.hpp"
#include "dossier/client/types.hpp"
#include "support/anvil.hpp"
#include "support/process.hpp"
#include "support/store_tamper.hpp"
#include "desktop_main.hpp"
#include "ui_driver.hpp"
#include "widgets/dialogs.hpp"
#include "widgets/message_banner.hpp"
#include "widgets/qr_code.hpp"

using namespace dossier::test_ui;
namespace dd = dossier::desktop;

/// Turns a missing widget or a timeout into a test failure naming it, with a picture of the
/// window at that moment (walk-failure-N.png in the working directory) to see what it showed.
#define UI(...)                                 \
    try {                                       \
        __VA_ARGS__;                            \
    } catch (const UiFailure& failure_) {       \
        snapshot_on_failure();                  \
        QFAIL(failure_.what());                 \
    }

namespace {
void snapshot_on_failure() {
    static int n = 0;
    for (QWidget* top : QApplication::topLevelWidgets()) {
        if (!top->isVisible()) continue;
        top->grab().save(QStringLiteral("walk-failure-%1-%2.png").arg(++n).arg(top->objectName()));
        // The pictures stay on the machine that ran the test; the log carries what the banners
        // said, which is usually why a wait timed out.
        for (const auto* banner : top->findChildren<dd::MessageBanner*>())
            if (banner->isVisible()) qWarning("banner: %s", qUtf8Printable(banner->text()));
    }
}
}  // namespace

class Walk : public QObject {
    Q_OBJECT

    std::unique_ptr<dossier::test::TempDir> dir_;
    std::unique_ptr<dd::Session> session_;
    std::unique_ptr<dd::MainWindow> window_;
    QString doctor_, authority_, alice_, bob_;  // addresses

    QString label_text(const QString& name) { return find<QLabel>(name)->text(); }

    /// Creates an account through the login page's dialog; returns its address.
    QString create_account(int role_index, const QString& label, const QString& password, bool import = false) {
        QString address;
        when_shown(QStringLiteral("accountDialog"), [&](QWidget* dialog) {
            try {
                auto* combo = find<QComboBox>(QStringLiteral("roleCombo"), dialog);
                combo->setCurrentIndex(role_index);
                type_into(QStringLiteral("labelEdit"), label, dialog);
                type_into(QStringLiteral("newPasswordEdit"), password, dialog);
                if (exists(QStringLiteral("newPasswordRepeatEdit"), dialog))
                    type_into(QStringLiteral("newPasswordRepeatEdit"), password, dialog);
                click(QStringLiteral("submitAccountButton"), dialog);
            } catch (const UiFailure& f) {
                qWarning("%s", f.what());
                static_cast<QDialog*>(dialog)->reject();
            }
        });
        click(import ? QStringLiteral("importAccountButton") : QStringLiteral("createAccountButton"));
        // The dialog selects the new account in the list; its address is the item's data.
        auto* list = find<QListWidget>(QStringLiteral("accountList"));
        wait_until([&] { return list->currentItem() && list->currentItem()->text().startsWith(label); },
                   QStringLiteral("account %1 in the list").arg(label));
        address = list->currentItem()->data(Qt::UserRole).toString();
        return address;
    }

    void login(const QString& label, const QString& password) {
        if (session_->is_unlocked()) click(QStringLiteral("lockButton"));
        wait_until([&] { return exists(QStringLiteral("loginPage")); }, QStringLiteral("the login page"));
        auto* list = find<QListWidget>(QStringLiteral("accountList"));
        wait_until([&] { return list->count() > 0; }, QStringLiteral("accounts listed"));
        for (int i = 0; i < list->count(); ++i) {
            if (list->item(i)->text().startsWith(label + QStringLiteral(" "))) list->setCurrentRow(i);
        }
        if (!list->currentItem() || !list->currentItem()->text().startsWith(label))
            throw UiFailure("no account " + label.toStdString());
        type_into(QStringLiteral("passwordEdit"), password);
        click(QStringLiteral("unlockButton"));
        wait_until([&] { return exists(QStringLiteral("workspace")); }, QStringLiteral("unlocked workspace"));
    }


    void open(const QString& page, const QString& argument = {}) {
        window_->open_page(page, argument);
        wait_until([&] { return exists(page); }, QStringLiteral("page ") + page);
    }

private slots:
    void initTestCase() {
        dir_ = std::make_unique<dossier::test::TempDir>();
        dd::AppSettings settings;
        settings.data_dir = QString::fromStdString(dir_->path() + "/data");
        settings.idle_lock_minutes = 0;
        session_ = std::make_unique<dd::Session>(dossier::client::make_client(settings.config()));
        window_ = std::make_unique<dd::MainWindow>(*session_, settings);
        window_->resize(1280, 800);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        window_->activateWindow();
        window_->node().start();
        UI(wait_until([&] { return window_->node().state() == dd::NodeController::State::running; },
                      QStringLiteral("the embedded node to run"), std::chrono::seconds(180)));
        QVERIFY(label_text(QStringLiteral("nodeStatusLabel")).contains(QStringLiteral("running")));
    }

    void cleanupTestCase() {
        window_.reset();
        if (session_) (void)session_->client()->node_down();
        session_.reset();
    }

    void accounts_are_created_and_a_wrong_password_is_refused() {
        UI(doctor_ = create_account(0, QStringLiteral("dr-durand"), QStringLiteral("doctor pw")));
        QVERIFY(doctor_.startsWith(QStringLiteral("0x")));
        UI(type_into(QStringLiteral("passwordEdit"), QStringLiteral("not the password")));
        UI(click(QStringLiteral("unlockButton")));
        UI(wait_until([&] { return exists(QStringLiteral("passwordError")); }, QStringLiteral("the wrong-password message")));
        QVERIFY(label_text(QStringLiteral("passwordError")).contains(QStringLiteral("Wrong password")));
        QCOMPARE(window_->focusWidget(), find<QLineEdit>(QStringLiteral("passwordEdit")));
        QVERIFY(!session_->is_unlocked());
    }

    void doctor_registers_and_waits_for_the_authority() {
        UI(login(QStringLiteral("dr-durand"), QStringLiteral("doctor pw")));
        UI(wait_until([&] { return exists(QStringLiteral("doctorNameEdit")); }, QStringLiteral("the registration form")));
        UI(type_into(QStringLiteral("doctorNameEdit"), QStringLiteral("Claire Durand")));
        UI(type_into(QStringLiteral("doctorSpecialtyEdit"), QStringLiteral("General practice")));
        UI(type_into(QStringLiteral("doctorLicenceEdit"), QStringLiteral("FR-123456")));
        UI(click(QStringLiteral("registerDoctorButton")));
        // The unregistered status names the authority too: wait for the registered one, so that the
        // registration has landed before the next step locks the session.
        UI(wait_until(
            [&] {
                return label_text(QStringLiteral("doctorStatusLabel")).contains(QStringLiteral("waiting for the credentialing"));
            },
            QStringLiteral("the registered status")));
    }

    void authority_verifies_the_doctor() {
        UI(click(QStringLiteral("lockButton")));
        UI(authority_ = create_account(2, QStringLiteral("authority"), QStringLiteral("authority pw")));
        UI(login(QStringLiteral("authority"), QStringLiteral("authority pw")));
        UI(wait_until([&] { return row_containing(QStringLiteral("doctorsTable"), doctor_.left(6)) >= 0; },
                      QStringLiteral("the doctor in the table")));
        UI(select_row(QStringLiteral("doctorsTable"), row_containing(QStringLiteral("doctorsTable"), doctor_.left(6))));
        UI(click(QStringLiteral("verifyDoctorButton")));
        UI(wait_until(
            [&] {
                const int row = row_containing(QStringLiteral("doctorsTable"), doctor_.left(6));
                return row >= 0 && row_containing(QStringLiteral("doctorsTable"), QStringLiteral("Verified")) == row;
            },
            QStringLiteral("the doctor verified")));
    }

    void a_patient_registers_itself() {
        UI(click(QStringLiteral("lockButton")));
        UI(bob_ = create_account(1, QStringLiteral("bob"), QStringLiteral("bob pw")));
        UI(login(QStringLiteral("bob"), QStringLiteral("bob pw")));
        UI(wait_until([&] { return exists(QStringLiteral("patientNameEdit")); }, QStringLiteral("the registration form")));
        UI(type_into(QStringLiteral("patientNameEdit"), QStringLiteral("Bob Martin")));
        UI(type_into(QStringLiteral("patientBirthDateEdit"), QStringLiteral("1980-04-02")));
        UI(click(QStringLiteral("registerPatientButton")));
        UI(wait_until([&] { return exists(QStringLiteral("pendingCountLabel")); }, QStringLiteral("the registered home")));
        // Home shows the code a doctor asks with: the same account as text and as a QR code.
        const QString code = find<QLineEdit>(QStringLiteral("myCodeText"))->text();
        QCOMPARE(find<dd::QrCodeView>(QStringLiteral("myQrCode"))->text(), code);
        QCOMPARE(dossier::client::Address::parse_code(code.toStdString()), dossier::client::Address::parse(bob_.toStdString()));
    }

    void doctor_adds_a_patient_with_a_first_record() {
        UI(login(QStringLiteral("dr-durand"), QStringLiteral("doctor pw")));
        UI(wait_until([&] { return label_text(QStringLiteral("doctorStatusLabel")).contains(QStringLiteral("Verified")); },
                      QStringLiteral("the verified status")));
        UI(open(QStringLiteral("patientsPage")));
        bool finished = false;
        when_shown(QStringLiteral("addPatientWizard"), [&](QWidget* w) {
            auto* wizard = static_cast<QWizard*>(w);
            try {
                type_into(QStringLiteral("newPatientNameEdit"), QStringLiteral("Alice Moreau"), wizard);
                type_into(QStringLiteral("newPatientBirthDateEdit"), QStringLiteral("1975-11-30"), wizard);
                wizard->next();
                type_into(QStringLiteral("newPatientLabelEdit"), QStringLiteral("alice"), wizard);
                type_into(QStringLiteral("newPatientPasswordEdit"), QStringLiteral("alice pw"), wizard);
                type_into(QStringLiteral("newPatientPasswordRepeatEdit"), QStringLiteral("alice pw"), wizard);
                wizard->next();
                find<QAbstractButton>(QStringLiteral("consentCheck"), wizard)->click();
                wizard->next();
                choose(QStringLiteral("firstRecordKindCombo"), QStringLiteral("Condition"), wizard);
                type_into(QStringLiteral("firstRecordCodeEdit"), QStringLiteral("Type 2 diabetes mellitus"), wizard);
                wizard->next();
                wait_until([&] { return exists(QStringLiteral("addPatientResultLabel"), wizard); },
                           QStringLiteral("the new patient's address"), std::chrono::seconds(120));
                // The address is handed over as text and as a QR code of the same account.
                const QString handed = find<QLabel>(QStringLiteral("addPatientResultLabel"), wizard)->text();
                const QString code = find<dd::QrCodeView>(QStringLiteral("addressQrCode"), wizard)->text();
                if (const auto address = dossier::client::Address::parse_code(code.toStdString());
                    address && handed.contains(QString::fromStdString(address->checksum())))
                    alice_ = QString::fromStdString(address->checksum());
                else
                    qWarning("the QR code (%s) is not the address shown (%s)", qPrintable(code), qPrintable(handed));
                finished = true;
            } catch (const UiFailure& f) {
                qWarning("%s", f.what());
            }
            wizard->accept();
        });
        UI(click(QStringLiteral("addPatientButton")));
        UI(wait_until([&] { return finished; }, QStringLiteral("the Add Patient wizard"), std::chrono::seconds(150)));
        QVERIFY2(alice_.startsWith(QStringLiteral("0x")), "the wizard handed over no address");
        UI(wait_until([&] { return row_containing(QStringLiteral("patientsTable"), QStringLiteral("alice")) >= 0; },
                      QStringLiteral("alice in the patients table")));
    }

    void doctor_requests_access_to_the_second_patient() {
        // As if read from the QR code on bob's Home.
        UI(type_into(QStringLiteral("requestAddressEdit"), QStringLiteral("ethereum:") + bob_));
        UI(click(QStringLiteral("requestAccessButton")));
        UI(wait_until(
            [&] {
                const int row = row_containing(QStringLiteral("patientsTable"), bob_.left(6));
                return row >= 0 && find<QAbstractItemView>(QStringLiteral("patientsTable"))
                                       ->model()->index(row, 2).data().toString().contains(QStringLiteral("Pending"));
            },
            QStringLiteral("bob pending in the patients table")));
    }

    void the_patient_approves_with_an_expiry() {
        UI(login(QStringLiteral("bob"), QStringLiteral("bob pw")));
        UI(open(QStringLiteral("requestsPage")));
        UI(wait_until([&] { return row_count(QStringLiteral("pendingTable")) == 1; }, QStringLiteral("one pending request")));
        UI(select_row(QStringLiteral("pendingTable"), 0));
        QString chosen;
        when_shown(QStringLiteral("approveDialog"), [&](QWidget* dialog) {
            try {
                chosen = find<QComboBox>(QStringLiteral("expiryCombo"), dialog)->currentText();
            } catch (const UiFailure& f) {
                qWarning("%s", f.what());
            }
            static_cast<QDialog*>(dialog)->accept();
        });
        UI(click(QStringLiteral("approveButton")));
        // The dialog is window-modal (open(), not exec()): the click returns before it shows.
        UI(wait_until([&] { return !chosen.isEmpty(); }, QStringLiteral("the approve dialog")));
        QCOMPARE(chosen, QStringLiteral("30 days"));
        UI(wait_until([&] { return row_count(QStringLiteral("activeTable")) == 1; }, QStringLiteral("one active grant")));
    }

    void doctor_writes_versions_and_attaches_a_file() {
        UI(login(QStringLiteral("dr-durand"), QStringLiteral("doctor pw")));
        UI(open(QStringLiteral("patientPage"), bob_));
        UI(wait_until([&] { return exists(QStringLiteral("newRecordButton")); }, QStringLiteral("the writable browser")));
        when_shown(QStringLiteral("recordEditor"), [&](QWidget* dialog) {
            try {
                choose(QStringLiteral("recordKindCombo"), QStringLiteral("Condition"), dialog);
                type_into(QStringLiteral("recordCodeEdit"), QStringLiteral("Asthma"), dialog);
                click(QStringLiteral("saveRecordButton"), dialog);
            } catch (const UiFailure& f) {
                qWarning("%s", f.what());
                static_cast<QDialog*>(dialog)->reject();
            }
        });
        UI(click(QStringLiteral("newRecordButton")));
        UI(wait_until([&] { return row_containing(QStringLiteral("recordsTimeline"), QStringLiteral("Asthma")) >= 0; },
                      QStringLiteral("the new record in the timeline")));
        UI(select_row(QStringLiteral("recordsTimeline"), row_containing(QStringLiteral("recordsTimeline"), QStringLiteral("Asthma"))));
        UI(wait_until([&] { return find<QTextBrowser>(QStringLiteral("recordDetail"))->toPlainText().contains(QStringLiteral("Asthma")); },
                      QStringLiteral("the record's readable form")));

        when_shown(QStringLiteral("recordEditor"), [&](QWidget* dialog) {
            try {
                type_into(QStringLiteral("recordCodeEdit"), QStringLiteral("Asthma, moderate persistent"), dialog);
                click(QStringLiteral("saveRecordButton"), dialog);
            } catch (const UiFailure& f) {
                qWarning("%s", f.what());
                static_cast<QDialog*>(dialog)->reject();
            }
        });
        UI(click(QStringLiteral("editRecordButton")));
        UI(wait_until([&] { return row_containing(QStringLiteral("recordsTimeline"), QStringLiteral("moderate persistent")) >= 0; },
                      QStringLiteral("version 2 in the timeline")));

        const std::string file = dir_->path() + "/spirometry.txt";
        std::ofstream(file) << "FEV1 2.9 L (78% predicted)\n";
        UI(select_row(QStringLiteral("recordsTimeline"),
                      row_containing(QStringLiteral("recordsTimeline"), QStringLiteral("moderate persistent"))));
        dd::testing::set_next_file(QString::fromStdString(file));
        UI(click(QStringLiteral("attachFileButton")));
        UI(wait_until([&] { return row_containing(QStringLiteral("filesTable"), QStringLiteral("spirometry")) >= 0; },
                      QStringLiteral("the attached file"), std::chrono::seconds(90)));

        // A file dropped on the files panel is attached the same way.
        const std::string dropped = dir_->path() + "/peak-flow.csv";
        std::ofstream(dropped) << "date,litres per minute\n2026-11-30,410\n";
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(QString::fromStdString(dropped))});
        QWidget* panel = nullptr;
        UI(panel = find<QWidget>(QStringLiteral("filesPanel")));
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        enter.ignore();
        QApplication::sendEvent(panel, &enter);
        QVERIFY2(enter.isAccepted(), "the files panel refuses a dropped file");
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        drop.ignore();
        QApplication::sendEvent(panel, &drop);
        QVERIFY(drop.isAccepted());
        UI(wait_until([&] { return row_containing(QStringLiteral("filesTable"), QStringLiteral("peak-flow")) >= 0; },
                      QStringLiteral("the dropped file"), std::chrono::seconds(90)));
    }

    void the_patient_sees_the_read_in_a_verified_history_and_revokes() {
        UI(login(QStringLiteral("bob"), QStringLiteral("bob pw")));
        UI(open(QStringLiteral("myHistoryPage")));
        UI(wait_until([&] { return label_text(QStringLiteral("verifiedBadge")).startsWith(QStringLiteral("\u2713 Verified")); },
                      QStringLiteral("the verified badge")));
        QVERIFY(row_containing(QStringLiteral("auditTable"), QStringLiteral("Durand")) >= 0 ||
                row_containing(QStringLiteral("auditTable"), doctor_.left(6)) >= 0);

        UI(open(QStringLiteral("requestsPage")));
        UI(wait_until([&] { return row_count(QStringLiteral("activeTable")) == 1; }, QStringLiteral("the active grant")));
        find<QTabWidget>(QStringLiteral("requestsTabs"))->setCurrentIndex(1);
        UI(select_row(QStringLiteral("activeTable"), 0));
        dd::testing::set_next_answer(true);
        UI(click(QStringLiteral("revokeButton")));
        QVERIFY(dd::testing::last_question().contains(QStringLiteral("cannot be taken back")));
        UI(wait_until([&] { return row_count(QStringLiteral("activeTable")) == 0; }, QStringLiteral("the grant revoked")));
    }

    void the_doctor_sees_that_access_ended() {
        UI(login(QStringLiteral("dr-durand"), QStringLiteral("doctor pw")));
        UI(open(QStringLiteral("patientPage"), bob_));
        UI(wait_until([&] { return label_text(QStringLiteral("accessStateLabel")).contains(QStringLiteral("Revoked")); },
                      QStringLiteral("the revoked access state")));
        QVERIFY(exists(QStringLiteral("requestAccessAgainButton")));
    }

    void every_control_is_named_and_reached_by_tab() {
        QStringList problems;
        const auto check = [&](const QString& who, const QString& page, const QString& argument = {}) {
            try {
                if (page != QLatin1String("loginPage")) open(page, argument);
                settle();
                QWidget* root = find<QWidget>(page);
                for (const QString& c : unnamed_controls(root)) problems << who + QLatin1Char('/') + page + QStringLiteral(": no accessible name: ") + c;
                for (const QString& c : unreachable_by_tab(root)) problems << who + QLatin1Char('/') + page + QStringLiteral(": Tab never reaches: ") + c;
            } catch (const UiFailure& f) {
                problems << who + QLatin1Char('/') + page + QStringLiteral(": ") + QString::fromUtf8(f.what());
            }
        };
        UI(click(QStringLiteral("lockButton")));
        check(QStringLiteral("locked"), QStringLiteral("loginPage"));
        UI(login(QStringLiteral("dr-durand"), QStringLiteral("doctor pw")));
        for (const char* page : {"doctorHome", "patientsPage", "doctorHistoryPage"}) check(QStringLiteral("doctor"), QString::fromLatin1(page));
        check(QStringLiteral("doctor"), QStringLiteral("patientPage"), alice_);
        UI(login(QStringLiteral("bob"), QStringLiteral("bob pw")));
        for (const char* page : {"patientHome", "myRecordsPage", "requestsPage", "myHistoryPage"})
            check(QStringLiteral("patient"), QString::fromLatin1(page));
        UI(login(QStringLiteral("authority"), QStringLiteral("authority pw")));
        check(QStringLiteral("authority"), QStringLiteral("doctorsAdminPage"));
        QVERIFY2(problems.isEmpty(), qPrintable(QLatin1Char('\n') + problems.join(QLatin1Char('\n'))));
    }

    void a_tampered_record_is_not_shown() {
        UI(login(QStringLiteral("dr-durand"), QStringLiteral("doctor pw")));
        UI(open(QStringLiteral("patientPage"), alice_));
        UI(wait_until([&] { return exists(QStringLiteral("newRecordButton")); }, QStringLiteral("alice's writable browser")));
        const std::filesystem::path blocks = std::filesystem::path(dir_->path()) / "data" / "ipfs";
        const auto before = dossier::test::files_under(blocks);
        when_shown(QStringLiteral("recordEditor"), [&](QWidget* dialog) {
            try {
                choose(QStringLiteral("recordKindCombo"), QStringLiteral("Condition"), dialog);
                type_into(QStringLiteral("recordCodeEdit"), QStringLiteral("Migraine"), dialog);
                click(QStringLiteral("saveRecordButton"), dialog);
            } catch (const UiFailure& f) {
                qWarning("%s", f.what());
                static_cast<QDialog*>(dialog)->reject();
            }
        });
        // Ctrl+N, from the timeline, opens the editor as the button does.
        UI(activate(window_.get()));
        UI(find<QWidget>(QStringLiteral("recordsTimeline"))->setFocus());
        QVERIFY(QApplication::focusWidget());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_N, Qt::ControlModifier);
        UI(wait_until([&] { return row_containing(QStringLiteral("recordsTimeline"), QStringLiteral("Migraine")) >= 0; },
                      QStringLiteral("the new record")));
        // Someone with the disk alters the stored ciphertext of that record.
        QVERIFY2(dossier::test::alter_new_blocks(blocks, before) > 0, "no new block file in the store");
        // A fresh session reads it again from the store: the page refuses it, and says why.
        UI(login(QStringLiteral("dr-durand"), QStringLiteral("doctor pw")));
        UI(open(QStringLiteral("patientPage"), alice_));
        // The listing opens every record for its summary: the altered one is listed as failing
        // its integrity check, and the record written before it still reads.
        UI(wait_until([&] { return row_containing(QStringLiteral("recordsTimeline"), QStringLiteral("Failed integrity check")) >= 0; },
                      QStringLiteral("the record refused as altered")));
        QCOMPARE(row_containing(QStringLiteral("recordsTimeline"), QStringLiteral("Migraine")), -1);
        QVERIFY(row_containing(QStringLiteral("recordsTimeline"), QStringLiteral("diabetes")) >= 0);
    }

    void expired_access_is_refused() {
        // The chain's clock moves past the grant the doctor got when it added alice.
        const std::string rpc = session_->client()->node_status().rpc_url;
        const auto call = [&](const std::string& method, const std::string& params) {
            const std::string reply = dossier::test::http_post_json(
                rpc, R"({"jsonrpc":"2.0","id":1,"method":")" + method + R"(","params":)" + params + "}");
            return reply.find("\"error\"") == std::string::npos;
        };
        QVERIFY(call("evm_increaseTime", "[63072000]"));  // two years
        QVERIFY(call("evm_mine", "[]"));
        UI(login(QStringLiteral("dr-durand"), QStringLiteral("doctor pw")));
        UI(open(QStringLiteral("patientPage"), alice_));
        UI(wait_until([&] { return label_text(QStringLiteral("accessStateLabel")).contains(QStringLiteral("Expired")); },
                      QStringLiteral("the expired access state")));
        QVERIFY(!exists(QStringLiteral("newRecordButton")));
        QVERIFY(exists(QStringLiteral("requestAccessAgainButton")));
    }

    void a_suspended_doctor_is_told_what_it_can_do() {
        UI(login(QStringLiteral("authority"), QStringLiteral("authority pw")));
        UI(wait_until([&] { return row_containing(QStringLiteral("doctorsTable"), doctor_.left(6)) >= 0; },
                      QStringLiteral("the doctor in the table")));
        UI(select_row(QStringLiteral("doctorsTable"), row_containing(QStringLiteral("doctorsTable"), doctor_.left(6))));
        dd::testing::set_next_answer(true);
        UI(click(QStringLiteral("suspendDoctorButton")));
        UI(wait_until([&] { return row_containing(QStringLiteral("doctorsTable"), QStringLiteral("Suspended")) >= 0; },
                      QStringLiteral("the doctor suspended")));
        UI(login(QStringLiteral("dr-durand"), QStringLiteral("doctor pw")));
        UI(wait_until([&] { return label_text(QStringLiteral("doctorStatusLabel")).contains(QStringLiteral("Suspended")); },
                      QStringLiteral("the suspended status")));
    }
};

int main(int argc, char** argv) { return dossier::test_ui::run_desktop_test<Walk>(argc, argv); }

#include "test_walk.moc"
