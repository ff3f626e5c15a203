#pragma once
/// A page of the Add Patient wizard whose completeness a function decides, so that the wizard's
/// pages need no class each; and the checks those functions share.
#include <QDate>
#include <QString>
#include <QWizardPage>
#include <functional>

namespace dossier::desktop {

/// A wizard page whose completeness a function decides (the wizard re-asks on every edit).
class Step : public QWizardPage {
public:
    Step(const QString& title, const QString& subtitle, QWidget* parent) : QWizardPage(parent) {
        setTitle(title);
        setSubTitle(subtitle);
    }
    std::function<bool()> complete;
    std::function<void()> on_enter;
    void recheck() { emit completeChanged(); }

    [[nodiscard]] bool isComplete() const override { return complete ? complete() : true; }
    void initializePage() override {
        if (on_enter) on_enter();
    }
};

/// A YYYY-MM-DD date that exists and is not in the future.
inline bool valid_birth_date(const QString& text) {
    const QDate date = QDate::fromString(text, Qt::ISODate);
    return date.isValid() && date <= QDate::currentDate();
}

}  // namespace dossier::desktop
