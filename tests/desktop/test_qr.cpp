/// The QR code an account is handed over with, read back by an independent decoder (ZBar's
/// zbarimg, from Debian's zbar-tools): what the app draws is what a phone or a scanner reads.
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "dossier/client/types.hpp"
#include "widgets/qr_code.hpp"

namespace dd = dossier::desktop;

class QrCode : public QObject {
    Q_OBJECT

    /// What zbarimg reads from `image`, without the trailing newline.
    static QString decode(const QImage& image, const QTemporaryDir& dir) {
        const QString path = dir.filePath(QStringLiteral("code.png"));
        if (!image.save(path)) return QStringLiteral("<cannot save>");
        QProcess zbar;
        zbar.start(QStringLiteral("zbarimg"), {QStringLiteral("--raw"), QStringLiteral("-q"), path});
        if (!zbar.waitForFinished(30000)) return QStringLiteral("<zbarimg did not finish>");
        return QString::fromUtf8(zbar.readAllStandardOutput()).trimmed();
    }

private slots:
    void initTestCase() {
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("zbarimg")).isEmpty(),
                 "zbarimg (Debian's zbar-tools) is needed: scripts/setup.sh installs it");
    }

    void an_account_code_reads_back_at_every_size() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto address = dossier::client::Address::from_hex("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        const QString code = QString::fromStdString(address.code());
        dd::QrCodeView view;
        view.set_text(code);
        QVERIFY(view.modules() >= 21);
        QCOMPARE(view.accessibleName(), QStringLiteral("QR code of %1").arg(code));
        // The smallest size the layout may give it, the usual one, and a large one.
        for (const QSize size : {view.minimumSizeHint(), view.sizeHint(), view.sizeHint() * 3}) {
            view.resize(size);
            QCOMPARE(decode(view.grab().toImage(), dir), code);
            // ... and the address the doctor's app gets from that text is the patient's.
            QCOMPARE(dossier::client::Address::parse_code(decode(view.grab().toImage(), dir).toStdString()), address);
        }
    }

    void any_text_it_holds_is_read_back_exactly() {
        QTemporaryDir dir;
        const QString text = QStringLiteral("ethereum:0x0000000000000000000000000000000000000001@31337 — Zoë");
        dd::QrCodeView view;
        view.set_text(text);
        view.resize(view.sizeHint());
        QCOMPARE(decode(view.grab().toImage(), dir), text);
    }

    void nothing_is_drawn_for_no_text_or_too_much() {
        dd::QrCodeView view;
        view.set_text({});
        QCOMPARE(view.modules(), 0);
        QCOMPARE(view.sizeHint(), QSize(0, 0));
        // More than a QR code can hold (2,953 bytes at most, fewer at level M): no code, no crash.
        view.set_text(QString(4000, QLatin1Char('x')));
        QCOMPARE(view.modules(), 0);
        view.resize(100, 100);
        (void)view.grab();
    }
};

QTEST_MAIN(QrCode)
#include "test_qr.moc"
