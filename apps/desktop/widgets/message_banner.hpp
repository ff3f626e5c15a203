#pragma once
/// An inline message above a form or a list (KeePassXC's MessageWidget): errors stay next to what
/// failed instead of in a popup, with at most one action button ("Retry", "Start node").
#include <QFrame>
#include <QString>
#include <functional>

class QLabel;
class QPushButton;

namespace dossier::desktop {

struct Failure;

class MessageBanner : public QFrame {
    Q_OBJECT
public:
    enum class Kind { info, success, warning, error };
    explicit MessageBanner(QWidget* parent = nullptr);

    void show_message(Kind kind, const QString& text);
    /// The failure's sentence and advice, as an error (a cancel as information).
    void show_failure(const Failure& failure);
    /// Adds one action button to the message shown now (removed by the next message).
    void set_action(const QString& label, std::function<void()> action);
    void clear();

    [[nodiscard]] QString text() const;
    [[nodiscard]] Kind kind() const noexcept { return kind_; }

private:
    QLabel* label_;
    QPushButton* action_;
    std::function<void()> on_action_;
    Kind kind_ = Kind::info;
};

}  // namespace dossier::desktop
