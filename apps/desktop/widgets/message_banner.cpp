#include "widgets/message_banner.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

#include "app/error_text.hpp"

namespace dossier::desktop {

MessageBanner::MessageBanner(QWidget* parent) : QFrame(parent), label_(new QLabel(this)), action_(new QPushButton(this)) {
    setObjectName(QStringLiteral("messageBanner"));
    setFrameShape(QFrame::StyledPanel);
    label_->setObjectName(QStringLiteral("messageText"));
    label_->setWordWrap(true);
    label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    action_->setObjectName(QStringLiteral("messageAction"));
    action_->hide();
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(label_, 1);
    layout->addWidget(action_);
    connect(action_, &QPushButton::clicked, this, [this] {
        if (on_action_) on_action_();
    });
    hide();
}

void MessageBanner::show_message(Kind kind, const QString& text) {
    kind_ = kind;
    // A symbol as well as a colour: the state must read without colour.
    static const char* const prefixes[] = {"\u2139 ", "\u2713 ", "\u26a0 ", "\u2717 "};
    static const char* const colours[] = {"#dbe9f7", "#dcf2dc", "#fbeed5", "#f7dada"};
    const auto i = static_cast<int>(kind);
    label_->setText(QString::fromUtf8(prefixes[i]) + text);
    setStyleSheet(QStringLiteral("dossier--desktop--MessageBanner { background: %1; color: black; }").arg(QLatin1String(colours[i])));
    setAccessibleName(text);
    action_->hide();
    on_action_ = nullptr;
    show();
}

void MessageBanner::show_failure(const Failure& failure) {
    show_message(failure.code == ErrorCode::cancelled ? Kind::info : Kind::error, failure_text(failure));
}

void MessageBanner::set_action(const QString& label, std::function<void()> action) {
    action_->setText(label);
    on_action_ = std::move(action);
    action_->show();
}

void MessageBanner::clear() {
    label_->clear();
    on_action_ = nullptr;
    hide();
}

QString MessageBanner::text() const { return label_->text(); }

}  // namespace dossier::desktop
