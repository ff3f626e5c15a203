/// Import… and Export… of the desktop app, by their widgets, on the embedded node of a temporary
/// data directory: the doctor imports a small FHIR Bundle (HL7's R4 examples and one invalid
/// resource) for a patient, the records appear in the Patient page's list and the report counts
/// what was added and refused with its reason; importing the same file again adds nothing, and a
/// file that is not FHIR is one error; the records are exported as a FHIR Bundle (parsed, its
/// entries counted) and as a PDF (its text read back by pdftotext, the patient's name in it); a
/// file that cannot be written is one error message, not a hang; the patient exports their own
/// records from Medical Records.
///
/// The accounts, the registration and the grant are made through the client API, as in
/// test_responsiveness: they are the walk's business. With DOSSIER_SHOTS_DIR set, the import
/// report and the export dialog are saved there as PNG (QWidget::grab()) to be looked at.
#include <QAbstractItemView>
#include <QComboBox>
#include <QDialog>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTest>
#include <QTableWidget>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "app/session.hpp"
#include "app/settings.hpp"
#include "app/task.hpp"
#include "fhir/fhir_support.hpp"
#include "shell/login_page.hpp"
#include "shell/main_window.hpp"
#include "shell/node_controller.hpp"
#include "support/process.hpp"
#include "desktop_main.hpp"
#include "ui_driver.hpp"
#include "widgets/dialogs.hpp"
#include "widgets/message_banner.hpp"

using namespace dossier::test_ui;
namespace dd = dossier::desktop;
namespace dc = dossier::client;
using nlohmann::json;

#define UI(...)                           \
    try {                                 \
        __VA_ARGS__;                      \
    } catch (const UiFailure& failure_) { \
        report_banners();                 \
        QFAIL(failure_.what());           \
    }

namespace {

const char* const kPassword = "import pw";
/// HL7's examples imported: each is a valid R4 resource of a kind a record holds.
const char* const kExamples[] = {"Condition-example.json", "Condition-example2.json", "AllergyIntolerance-example.json",
                                 "Immunization-example.json"};
constexpr int kValid = 4;

/// What the visible banners say, in the log: usually why a wait timed out.
void report_banners() {
    for (QWidget* top : QApplication::topLevelWidgets()) {
        if (!top->isVisible()) continue;
        for (const auto* banner : top->findChildren<dd::MessageBanner*>())
            if (banner->isVisible()) qWarning("banner in %s: %s", qPrintable(top->objectName()), qUtf8Printable(banner->text()));
    }
}

/// Saves `widget` as NAME.png in DOSSIER_SHOTS_DIR, when set.
void shoot(QWidget* widget, const QString& name) {
    const QString dir = qEnvironmentVariable("DOSSIER_SHOTS_DIR");
    if (dir.isEmpty()) return;
    QTest::qWait(50);  // a last layout pass
    widget->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// The leading number of a report value ("4 records, with ..." -> 4); -1 if there is none.
int leading_number(const QString& text) {
    bool ok = false;
    const int n = text.section(QLatin1Char(' '), 0, 0).toInt(&ok);
    return ok ? n : -1;
}


}  // namespace

class ImportExport : public QObject {
    Q_OBJECT

    std::unique_ptr<dossier::test::TempDir> dir_;
    std::unique_ptr<dd::Session> session_;
    std::unique_ptr<dd::MainWindow> window_;
    QString patient_;  // address
    std::string bundle_;

    void login(const QString& label) {
        // Locking reloads the list too, keeping the account that was current: that reload ends
        // first, then this one selects `label`.
        settle();
        window_->login_page()->reload(label);
        auto* list = find<QListWidget>(QStringLiteral("accountList"));
        wait_until([&] { return list->currentItem() && list->currentItem()->text().startsWith(label + QStringLiteral(" ")); },
                   QStringLiteral("the account listed"));
        settle();
        type_into(QStringLiteral("passwordEdit"), QString::fromLatin1(kPassword));
        click(QStringLiteral("unlockButton"));
        wait_until([&] { return exists(QStringLiteral("workspace")); }, QStringLiteral("unlocked workspace"));
    }

    /// Imports the bundle through Import… and waits for the report; the dialog stays open.
    QDialog* import_bundle() {
        dd::testing::set_next_file(QString::fromStdString(bundle_));
        click(QStringLiteral("importRecordsButton"));
        wait_until([&] { return exists(QStringLiteral("importDialog")); }, QStringLiteral("the import dialog"));
        auto* dialog = find<QDialog>(QStringLiteral("importDialog"));
        wait_until([&] { return exists(QStringLiteral("importCloseButton"), dialog); }, QStringLiteral("the import to end"),
                   std::chrono::seconds(180));
        return dialog;
    }

    int report_value(QDialog* dialog, const char* name) {
        return leading_number(find<QLabel>(QLatin1String(name), dialog)->text());
    }

    /// Exports through Export… in `format` (the combo's text) to `path`; returns the dialog's
    /// message once the export ended.
    QString export_as(const QString& format, const QString& path, dd::MessageBanner::Kind* kind = nullptr,
                      const QString& shot = {}) {
        click(QStringLiteral("exportRecordsButton"));
        wait_until([&] { return exists(QStringLiteral("exportDialog")); }, QStringLiteral("the export dialog"));
        auto* dialog = find<QDialog>(QStringLiteral("exportDialog"));
        choose(QStringLiteral("exportFormatCombo"), format, dialog);
        type_into(QStringLiteral("exportFileEdit"), path, dialog);
        click(QStringLiteral("startExportButton"), dialog);
        // Hidden until the export ends.
        auto* banner = dialog->findChild<dd::MessageBanner*>(QStringLiteral("exportBanner"));
        if (!banner) throw UiFailure("the export dialog has no exportBanner");
        wait_until([&] { return banner->isVisible(); }, QStringLiteral("the export to end"), std::chrono::seconds(180));
        const QString text = banner->text();
        if (kind) *kind = banner->kind();
        if (!shot.isEmpty()) shoot(dialog, shot);
        click(QStringLiteral("exportCloseButton"), dialog);
        wait_until([&] { return !exists(QStringLiteral("exportDialog")); }, QStringLiteral("the export dialog to close"));
        return text;
    }

private slots:
    void initTestCase() {
        dir_ = std::make_unique<dossier::test::TempDir>();
        dd::AppSettings settings;
        settings.data_dir = QString::fromStdString(dir_->path() + "/data");
        settings.idle_lock_minutes = 0;
        session_ = std::make_unique<dd::Session>(dc::make_client(settings.config()));
        window_ = std::make_unique<dd::MainWindow>(*session_, settings);
        window_->resize(1280, 800);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        window_->activateWindow();
        window_->node().start();
        UI(wait_until([&] { return window_->node().state() == dd::NodeController::State::running; },
                      QStringLiteral("the embedded node to run"), std::chrono::seconds(180)));

        // A verified doctor with access to Alice. A failure here fails the test (the node is
        // still stopped by cleanupTestCase), instead of ending the process.
        try {
            auto client = session_->client();
            (void)client->create_account(dc::Role::doctor, "dr-house", kPassword);
            (void)client->import_account({dc::ImportSource::Kind::embedded_authority, {}}, kPassword, dc::Role::admin,
                                         "authority");
            (void)client->create_account(dc::Role::patient, "alice", kPassword);
            auto doctor = client->unlock("dr-house", kPassword);
            auto authority = client->unlock("authority", kPassword);
            auto alice = client->unlock("alice", kPassword);
            (void)doctor->register_doctor({"Gregory House", "Diagnostics", "NJ-1234", "", ""});
            authority->verify_doctor(doctor->address());
            (void)alice->register_patient({"Alice Liddell", "1980-02-01", "female", "", ""});
            doctor->request_access(alice->address());
            (void)alice->approve(doctor->address(), 30);
            patient_ = QString::fromStdString(alice->address().checksum());
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }

        // The Bundle: four HL7 examples and one Condition the R4 validator refuses (a code where
        // a CodeableConcept belongs, no subject).
        json bundle = {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", json::array()}};
        for (const char* name : kExamples) {
            const std::string file = name;
            bool found = false;
            for (auto& ex : dossier::test::hl7_examples(file.substr(0, file.find('-')))) {
                if (ex.file != file) continue;
                bundle["entry"].push_back({{"resource", std::move(ex.json)}});
                found = true;
            }
            QVERIFY2(found, name);
        }
        bundle["entry"].push_back(
            {{"resource", {{"resourceType", "Condition"}, {"id", "broken"}, {"clinicalStatus", "active"}}}});
        bundle_ = dir_->path() + "/clinic-export.json";
        std::ofstream(bundle_) << bundle.dump(1);
    }

    void cleanupTestCase() {
        window_.reset();
        if (session_) (void)session_->client()->node_down();
        session_.reset();
    }

    void the_doctor_opens_the_patient() {
        UI(login(QStringLiteral("dr-house")));
        UI(settle());
        window_->open_page(QStringLiteral("patientPage"), patient_);
        UI(wait_until([&] { return exists(QStringLiteral("recordsTimeline")) && exists(QStringLiteral("importRecordsButton")); },
                      QStringLiteral("the patient's records")));
        UI(settle());
        QCOMPARE(row_count(QStringLiteral("recordsTimeline")), 0);
    }

    void an_import_adds_the_records_and_reports_the_refusal() {
        QDialog* dialog = nullptr;
        int added = -1, skipped = -1, refused = -1;
        UI(dialog = import_bundle(); added = report_value(dialog, "importAddedValue");
           skipped = report_value(dialog, "importSkippedValue"); refused = report_value(dialog, "importRefusedValue"));
        QCOMPARE(added, kValid);
        QCOMPARE(skipped, 0);
        QCOMPARE(refused, 1);
        QTableWidget* refusals = nullptr;
        UI(refusals = find<QTableWidget>(QStringLiteral("importRefusalsList"), dialog));
        QCOMPARE(refusals->rowCount(), 1);
        QCOMPARE(refusals->item(0, 0)->text(), QStringLiteral("entry 5"));
        QCOMPARE(refusals->item(0, 1)->text(), QStringLiteral("Condition/broken"));
        QCOMPARE(refusals->item(0, 2)->text(), QStringLiteral("Not valid FHIR R4"));
        QVERIFY(refusals->item(0, 3)->text().contains(QStringLiteral("clinicalStatus")));  // the library's sentence
        QVERIFY2(unnamed_controls(dialog).isEmpty(), qPrintable(unnamed_controls(dialog).join(QStringLiteral(", "))));
        shoot(dialog, QStringLiteral("import-report"));
        UI(click(QStringLiteral("importCloseButton"), dialog));
        UI(wait_until([&] { return !exists(QStringLiteral("importDialog")); }, QStringLiteral("the dialog to close")));
        // The page's list shows them (the dialog's end refreshes it).
        UI(wait_until([&] { return row_count(QStringLiteral("recordsTimeline")) == kValid; },
                      QStringLiteral("the imported records in the list")));
        QVERIFY(row_containing(QStringLiteral("recordsTimeline"), QStringLiteral("Allergy")) >= 0);
        QVERIFY(row_containing(QStringLiteral("recordsTimeline"), QStringLiteral("Condition")) >= 0);
    }

    void importing_the_same_file_again_adds_nothing() {
        QDialog* dialog = nullptr;
        int added = -1, skipped = -1, refused = -1;
        UI(dialog = import_bundle(); added = report_value(dialog, "importAddedValue");
           skipped = report_value(dialog, "importSkippedValue"); refused = report_value(dialog, "importRefusedValue"));
        QCOMPARE(added, 0);
        QCOMPARE(skipped, kValid);
        QCOMPARE(refused, 1);
        UI(click(QStringLiteral("importCloseButton"), dialog));
        UI(settle());
        QCOMPARE(row_count(QStringLiteral("recordsTimeline")), kValid);
    }

    void a_file_that_is_not_fhir_is_one_error() {
        const std::string bundle = bundle_;
        bundle_ = dir_->path() + "/notes.txt";
        std::ofstream(bundle_) << "Not FHIR: a letter from the clinic.\n";
        QDialog* dialog = nullptr;
        dd::MessageBanner::Kind kind = dd::MessageBanner::Kind::info;
        QString said;
        UI(dialog = import_bundle(); auto* banner = find<dd::MessageBanner>(QStringLiteral("messageBanner"), dialog);
           kind = banner->kind(); said = banner->text());
        bundle_ = bundle;
        shoot(dialog, QStringLiteral("import-error"));
        QVERIFY2(kind == dd::MessageBanner::Kind::error, qPrintable(said));
        QVERIFY(!exists(QStringLiteral("importAddedValue"), dialog));  // no report for a run that did not happen
        UI(click(QStringLiteral("importCloseButton"), dialog));
        UI(settle());
        QCOMPARE(row_count(QStringLiteral("recordsTimeline")), kValid);
    }

    void the_export_dialog_says_what_an_export_is() {
        QDialog* dialog = nullptr;
        QLineEdit* file = nullptr;
        QString warning;
        UI(click(QStringLiteral("exportRecordsButton"));
           wait_until([&] { return exists(QStringLiteral("exportDialog")); }, QStringLiteral("the export dialog"));
           dialog = find<QDialog>(QStringLiteral("exportDialog"));
           warning = find<dd::MessageBanner>(QStringLiteral("exportWarning"), dialog)->text();
           file = find<QLineEdit>(QStringLiteral("exportFileEdit"), dialog));
        QVERIFY2(warning.contains(QStringLiteral("decrypted")), qPrintable(warning));
        QVERIFY2(warning.contains(QStringLiteral("audit trail")), qPrintable(warning));
        // The file name follows the format.
        QVERIFY2(file->text().endsWith(QStringLiteral(".json")), qPrintable(file->text()));
        UI(choose(QStringLiteral("exportFormatCombo"), QStringLiteral("PDF"), dialog));
        QVERIFY2(file->text().endsWith(QStringLiteral(".pdf")), qPrintable(file->text()));
        // Attached files go to a folder only for a Bundle.
        auto* files_check = dialog->findChild<QWidget*>(QStringLiteral("exportFilesCheck"));
        QVERIFY(files_check != nullptr);
        QVERIFY(!files_check->isEnabled());
        UI(choose(QStringLiteral("exportFormatCombo"), QStringLiteral("FHIR Bundle"), dialog));
        QVERIFY(files_check->isEnabled());
        QVERIFY2(unnamed_controls(dialog).isEmpty(), qPrintable(unnamed_controls(dialog).join(QStringLiteral(", "))));
        shoot(dialog, QStringLiteral("export-dialog"));
        UI(click(QStringLiteral("exportCloseButton"), dialog));
        UI(wait_until([&] { return !exists(QStringLiteral("exportDialog")); }, QStringLiteral("the dialog to close")));
    }

    void an_export_as_fhir_holds_the_records() {
        const QString path = QString::fromStdString(dir_->path() + "/alice-fhir.json");
        QString said;
        UI(said = export_as(QStringLiteral("FHIR Bundle"), path, nullptr, QStringLiteral("export-done")));
        QVERIFY2(said.contains(path), qPrintable(said));
        QVERIFY(QFileInfo::exists(path));
        const json bundle = json::parse(read_text(path.toStdString()));
        QCOMPARE(QString::fromStdString(bundle.value("resourceType", "")), QStringLiteral("Bundle"));
        std::multiset<std::string> types;
        for (const auto& e : bundle["entry"]) types.insert(e["resource"].value("resourceType", ""));
        QCOMPARE(types.count("Patient"), std::size_t{1});
        QCOMPARE(types.count("Condition"), std::size_t{2});
        QCOMPARE(types.count("AllergyIntolerance"), std::size_t{1});
        QCOMPARE(types.count("Immunization"), std::size_t{1});
        QCOMPARE(types.count("Provenance"), std::size_t{kValid});  // one per record version
        QCOMPARE(bundle["entry"].size(), std::size_t{1 + 2 * kValid});
    }

    void an_export_as_pdf_names_the_patient() {
        const QString path = QString::fromStdString(dir_->path() + "/alice-summary.pdf");
        QString said;
        UI(said = export_as(QStringLiteral("PDF"), path));
        QVERIFY2(said.contains(path), qPrintable(said));
        const std::string text = dossier::test::run_ok({"pdftotext", "-layout", path.toStdString(), "-"}, {},
                                                       std::chrono::seconds(30));
        QVERIFY2(text.find("Alice Liddell") != std::string::npos, text.c_str());
        QVERIFY2(text.find("Medical record summary") != std::string::npos, text.c_str());
    }

    void an_export_that_cannot_be_written_is_one_error() {
        const QString path = QString::fromStdString(dir_->path() + "/no-such-folder/alice.pdf");
        QString said;
        dd::MessageBanner::Kind kind = dd::MessageBanner::Kind::info;
        UI(said = export_as(QStringLiteral("PDF"), path, &kind, QStringLiteral("export-failed")));
        QVERIFY2(kind == dd::MessageBanner::Kind::error, qPrintable(said));
        QVERIFY(!QFileInfo::exists(path));
    }

    void the_patient_exports_their_own_records() {
        UI(click(QStringLiteral("lockButton")));
        UI(wait_until([&] { return exists(QStringLiteral("loginPage")); }, QStringLiteral("the login page")));
        UI(login(QStringLiteral("alice")));
        window_->open_page(QStringLiteral("myRecordsPage"), {});
        UI(wait_until([&] { return row_count(QStringLiteral("recordsTimeline")) == kValid; },
                      QStringLiteral("the patient's imported records")));
        // The patient's own export: decrypted, said so; no audit-trail sentence (it is theirs).
        QString warning;
        UI(click(QStringLiteral("exportRecordsButton"));
           wait_until([&] { return exists(QStringLiteral("exportDialog")); }, QStringLiteral("the export dialog"));
           warning = find<dd::MessageBanner>(QStringLiteral("exportWarning"), find<QDialog>(QStringLiteral("exportDialog")))->text();
           click(QStringLiteral("exportCloseButton"), find<QDialog>(QStringLiteral("exportDialog"))));
        QVERIFY2(warning.contains(QStringLiteral("decrypted")), qPrintable(warning));
        QVERIFY2(!warning.contains(QStringLiteral("audit trail")), qPrintable(warning));
        const QString path = QString::fromStdString(dir_->path() + "/my-records.json");
        QString said;
        UI(said = export_as(QStringLiteral("FHIR Bundle"), path));
        QVERIFY2(said.contains(path), qPrintable(said));
        const json bundle = json::parse(read_text(path.toStdString()));
        std::size_t records = 0;
        for (const auto& e : bundle["entry"]) {
            const std::string type = e["resource"].value("resourceType", "");
            if (type != "Patient" && type != "Provenance") ++records;
        }
        QCOMPARE(records, std::size_t{kValid});
    }
};

int main(int argc, char** argv) { return dossier::test_ui::run_desktop_test<ImportExport>(argc, argv); }

#include "test_import_export.moc"
