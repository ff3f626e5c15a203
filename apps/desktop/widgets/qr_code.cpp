#include "widgets/qr_code.hpp"

#include <qrencode.h>

#include <QPainter>
#include <memory>

namespace dossier::desktop {

namespace {
constexpr int quiet_zone = 4;  // modules of white around the code (ISO/IEC 18004)
constexpr int min_module_px = 3;
}  // namespace

QrCodeView::QrCodeView(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void QrCodeView::set_text(const QString& text) {
    text_ = text;
    size_ = 0;
    dark_.clear();
    if (!text.isEmpty()) {
        const QByteArray utf8 = text.toUtf8();
        // Level M: an account's code is short, and M survives a smudged screen or print.
        std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
            QRcode_encodeString8bit(utf8.constData(), 0, QR_ECLEVEL_M), &QRcode_free);
        if (code) {
            size_ = code->width;
            dark_.resize(static_cast<std::size_t>(size_) * static_cast<std::size_t>(size_));
            for (std::size_t i = 0; i < dark_.size(); ++i) dark_[i] = (code->data[i] & 1U) != 0;
        }
    }
    setAccessibleName(text.isEmpty() ? QString() : tr("QR code of %1").arg(text));
    setToolTip(text);
    updateGeometry();
    update();
}

bool QrCodeView::dark(int x, int y) const {
    if (x < 0 || y < 0 || x >= size_ || y >= size_) return false;
    return dark_[static_cast<std::size_t>(y) * static_cast<std::size_t>(size_) + static_cast<std::size_t>(x)];
}

QSize QrCodeView::sizeHint() const {
    const int side = size_ ? (size_ + 2 * quiet_zone) * min_module_px * 2 : 0;
    return {side, side};
}

QSize QrCodeView::minimumSizeHint() const {
    const int side = size_ ? (size_ + 2 * quiet_zone) * min_module_px : 0;
    return {side, side};
}

void QrCodeView::paintEvent(QPaintEvent*) {
    if (!size_) return;
    QPainter painter(this);
    const int total = size_ + 2 * quiet_zone;
    // Whole device pixels per module: a blurred edge is what makes a screen's code unreadable.
    const qreal ratio = devicePixelRatioF();
    const int module_px = std::max(1, static_cast<int>(std::min(width(), height()) * ratio) / total);
    painter.scale(1.0 / ratio, 1.0 / ratio);
    const int side = module_px * total;
    painter.fillRect(0, 0, side, side, Qt::white);  // a code reads dark on light, whatever the theme
    for (int y = 0; y < size_; ++y) {
        for (int x = 0; x < size_; ++x) {
            if (dark(x, y))
                painter.fillRect((x + quiet_zone) * module_px, (y + quiet_zone) * module_px, module_px, module_px, Qt::black);
        }
    }
}

}  // namespace dossier::desktop
