#pragma once
/// The viewer of an attachment held in memory (`documentViewer`): a PDF in a QPdfView read from a
/// QBuffer (when the build has QtPdf), an image read by QImageReader, plain text, and for anything
/// else what it is and Save As. Nothing it shows is written to disk unless the person saves it.
#include <QByteArray>
#include <QDialog>

#include "records/file_fetch.hpp"

class QBuffer;
class QLabel;

namespace dossier::desktop {

class DocumentViewer : public QDialog {
    Q_OBJECT
public:
    explicit DocumentViewer(FetchedBytes file, QWidget* parent = nullptr);
    ~DocumentViewer() override;

    /// What the viewer chose to show the bytes as: "pdf", "image", "text" or "none".
    [[nodiscard]] QString shown_as() const { return shown_as_; }

private:
    QWidget* make_pdf_view();
    QWidget* make_image_view();
    QWidget* make_text_view();
    void save_as();

    FetchedBytes file_;
    QBuffer* buffer_ = nullptr;
    QObject* document_ = nullptr;  ///< the QPdfDocument, when a PDF is shown
    QLabel* status_ = nullptr;
    QString shown_as_ = QStringLiteral("none");
};

}  // namespace dossier::desktop
