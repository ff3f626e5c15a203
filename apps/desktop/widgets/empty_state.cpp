#include "widgets/empty_state.hpp"

#include <QAbstractItemView>
#include <QEvent>

namespace dossier::desktop {

EmptyState::EmptyState(QAbstractItemView* view, const QString& text) : QLabel(text, view->viewport()) {
    setObjectName(QStringLiteral("emptyState"));
    setAlignment(Qt::AlignCenter);
    setWordWrap(true);
    setEnabled(false);  // drawn in the disabled text colour of the palette, dark themes included
    view->viewport()->installEventFilter(this);
    resize(view->viewport()->size());
    hide();
}

void EmptyState::set_empty(bool empty) {
    if (empty) {
        resize(parentWidget()->size());
        show();
    } else {
        hide();
    }
}

bool EmptyState::eventFilter(QObject* watched, QEvent* event) {
    if (watched == parentWidget() && event->type() == QEvent::Resize) resize(parentWidget()->size());
    return QLabel::eventFilter(watched, event);
}

}  // namespace dossier::desktop
