#include "shell/page.hpp"

#include "app/session.hpp"

namespace dossier::desktop {

Page::Page(Session& session, QWidget* parent) : QWidget(parent), session_(session) {
    // A change seen while hidden is refreshed when the page is shown again, not in the background.
    connect(&session_, &Session::changed, this, [this] {
        if (isVisible()) {
            refresh();
        } else {
            stale_ = true;
        }
    });
}

void Page::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (stale_) {
        stale_ = false;
        refresh();
    }
}

}  // namespace dossier::desktop
