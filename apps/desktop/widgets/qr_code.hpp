#pragma once
/// A QR code of a short text (an account's code text), drawn crisp at any scale: each module is a
/// filled square of whole device pixels, with the four-module quiet zone scanners need.
#include <QString>
#include <QWidget>
#include <vector>

namespace dossier::desktop {

class QrCodeView : public QWidget {
    Q_OBJECT
public:
    explicit QrCodeView(QWidget* parent = nullptr);
    /// Encodes `text` (error correction level M); an empty text shows nothing.
    void set_text(const QString& text);
    [[nodiscard]] const QString& text() const noexcept { return text_; }
    /// Modules per side without the quiet zone (0 when empty or the text cannot be encoded).
    [[nodiscard]] int modules() const noexcept { return size_; }
    /// Whether the module at (x, y) is dark; for tests that read the code back.
    [[nodiscard]] bool dark(int x, int y) const;

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QString text_;
    int size_ = 0;
    std::vector<bool> dark_;
};

}  // namespace dossier::desktop
