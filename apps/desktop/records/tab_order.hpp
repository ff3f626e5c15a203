#pragma once
/// Sets the Tab order of widgets in the order given, skipping null ones (widgets a role does not
/// have); Qt 6.4 has only the pairwise setTabOrder.
#include <QWidget>
#include <initializer_list>

namespace dossier::desktop {

inline void chain_tab_order(std::initializer_list<QWidget*> widgets) {
    QWidget* previous = nullptr;
    for (QWidget* w : widgets) {
        if (previous != nullptr && w != nullptr) QWidget::setTabOrder(previous, w);
        if (w != nullptr) previous = w;
    }
}

template <class... Widgets>
void chain_tab_order(Widgets*... widgets) {
    chain_tab_order({static_cast<QWidget*>(widgets)...});
}

}  // namespace dossier::desktop
