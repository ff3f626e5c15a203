#pragma once
/// A centred sentence over an empty list's viewport ("No pending requests"), as Zeal does: an
/// empty table says why it is empty instead of looking broken.
#include <QLabel>

class QAbstractItemView;

namespace dossier::desktop {

class EmptyState : public QLabel {
    Q_OBJECT
public:
    /// Overlays `view`'s viewport and follows its size.
    EmptyState(QAbstractItemView* view, const QString& text);
    /// Shown while `empty`; hidden otherwise.
    void set_empty(bool empty);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
};

}  // namespace dossier::desktop
