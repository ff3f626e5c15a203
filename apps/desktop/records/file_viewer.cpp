#include "records/file_viewer.hpp"

#include <QBuffer>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QShortcut>
#include <QVBoxLayout>

#ifdef DOSSIER_HAVE_QTPDF
#include <QPdfDocument>
#include <QPdfPageNavigator>
#include <QPdfView>
#endif

#include "app/format.hpp"
#include "widgets/dialogs.hpp"

namespace dossier::desktop {

namespace {
/// Text shown inline up to this size; larger text is offered as Save As (a text widget with
/// hundreds of megabytes freezes the window).
constexpr qsizetype max_inline_text = 4 * 1024 * 1024;
}  // namespace

DocumentViewer::DocumentViewer(FetchedBytes file, QWidget* parent) : QDialog(parent), file_(std::move(file)) {
    setObjectName(QStringLiteral("documentViewer"));
    setWindowTitle(file_.name);
    setAccessibleName(tr("Viewer of %1").arg(file_.name));
    auto* layout = new QVBoxLayout(this);
    auto* about = new QLabel(QStringLiteral("%1 \u00B7 %2 \u00B7 %3")
                                 .arg(file_.name, file_.content_type.isEmpty() ? tr("unknown type") : file_.content_type,
                                      format_size(static_cast<std::uint64_t>(file_.data.size()))),
                             this);
    about->setObjectName(QStringLiteral("viewerAbout"));
    about->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(about);
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("viewerStatus"));

    QWidget* body = nullptr;
    const QString type = file_.content_type.toLower();
    if (type == QLatin1String("application/pdf") || file_.data.startsWith("%PDF-")) body = make_pdf_view();
    if (body == nullptr && (type.startsWith(QLatin1String("image/")) || type.isEmpty())) body = make_image_view();
    if (body == nullptr && type.startsWith(QLatin1String("text/"))) body = make_text_view();
    if (body == nullptr) {
        auto* none = new QLabel(tr("This kind of file cannot be shown here. Save a copy to open it with another "
                                   "program (the copy is decrypted: anyone who can read the disk can read it)."),
                                this);
        none->setObjectName(QStringLiteral("viewerNoPreview"));
        none->setWordWrap(true);
        body = none;
    }
    layout->addWidget(body, 1);
    layout->addWidget(status_);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* save = buttons->addButton(tr("&Save a copy\u2026"), QDialogButtonBox::ActionRole);
    save->setObjectName(QStringLiteral("viewerSaveButton"));
    save->setAccessibleName(tr("Save a decrypted copy"));
    buttons->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("viewerCloseButton"));
    buttons->button(QDialogButtonBox::Close)->setDefault(true);
    connect(save, &QPushButton::clicked, this, &DocumentViewer::save_as);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(900, 700);
}

// QPdfDocument reports a status change while it closes: it goes first, disconnected, before the
// labels its handler writes to and the buffer it reads from.
DocumentViewer::~DocumentViewer() {
    if (document_ != nullptr) {
        document_->disconnect(this);
        delete document_;
    }
}

QWidget* DocumentViewer::make_pdf_view() {
#ifdef DOSSIER_HAVE_QTPDF
    buffer_ = new QBuffer(&file_.data, this);
    buffer_->open(QIODevice::ReadOnly);
    auto* document = new QPdfDocument(this);
    document_ = document;
    auto* view = new QPdfView(this);
    view->setObjectName(QStringLiteral("pdfView"));
    view->setAccessibleName(tr("PDF document %1").arg(file_.name));
    view->setPageMode(QPdfView::PageMode::MultiPage);
    view->setZoomMode(QPdfView::ZoomMode::FitToWidth);
    view->setDocument(document);
    const auto show_page = [this, document, view] {
        if (document->status() == QPdfDocument::Status::Error) {
            status_->setText(tr("The PDF could not be read (it may be damaged). Save a copy to try another program."));
            return;
        }
        if (document->pageCount() > 0)
            status_->setText(tr("Page %1 of %2").arg(view->pageNavigator()->currentPage() + 1).arg(document->pageCount()));
    };
    connect(document, &QPdfDocument::statusChanged, this, show_page);
    connect(view->pageNavigator(), &QPdfPageNavigator::currentPageChanged, this, show_page);
    auto* zoom_in = new QShortcut(QKeySequence::ZoomIn, this);
    auto* zoom_out = new QShortcut(QKeySequence::ZoomOut, this);
    connect(zoom_in, &QShortcut::activated, view, [view] {
        view->setZoomMode(QPdfView::ZoomMode::Custom);
        view->setZoomFactor(view->zoomFactor() * 1.25);
    });
    connect(zoom_out, &QShortcut::activated, view, [view] {
        view->setZoomMode(QPdfView::ZoomMode::Custom);
        view->setZoomFactor(view->zoomFactor() / 1.25);
    });
    document->load(buffer_);
    show_page();
    shown_as_ = QStringLiteral("pdf");
    return view;
#else
    return nullptr;
#endif
}

QWidget* DocumentViewer::make_image_view() {
    QBuffer buffer(&file_.data);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setAutoTransform(true);
    const QImage image = reader.read();
    if (image.isNull()) return nullptr;
    auto* label = new QLabel;
    label->setObjectName(QStringLiteral("imageLabel"));
    label->setPixmap(QPixmap::fromImage(image));
    label->setAccessibleName(tr("Image %1").arg(file_.name));
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("imageView"));
    scroll->setWidget(label);
    scroll->setAlignment(Qt::AlignCenter);
    scroll->setAccessibleName(tr("Image %1").arg(file_.name));
    status_->setText(tr("%1 \u00D7 %2 pixels").arg(image.width()).arg(image.height()));
    shown_as_ = QStringLiteral("image");
    return scroll;
}

QWidget* DocumentViewer::make_text_view() {
    if (file_.data.size() > max_inline_text) return nullptr;
    auto* text = new QPlainTextEdit(QString::fromUtf8(file_.data), this);
    text->setObjectName(QStringLiteral("textView"));
    text->setReadOnly(true);
    text->setAccessibleName(tr("Text of %1").arg(file_.name));
    shown_as_ = QStringLiteral("text");
    return text;
}

void DocumentViewer::save_as() {
    const QString path = choose_save_file(this, tr("Save a decrypted copy of %1").arg(file_.name), file_.name);
    if (path.isEmpty()) return;
    // QSaveFile: the copy appears whole or not at all.
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(file_.data) != file_.data.size() || !out.commit()) {
        status_->setText(tr("Could not save: %1").arg(out.errorString()));
        return;
    }
    status_->setText(tr("Saved a decrypted copy to %1").arg(path));
}

}  // namespace dossier::desktop
