#pragma once
/// One screen of the main window (a Patients list, a Requests page...). The window shows pages
/// in a stack with a navigation list; a page refreshes itself when shown and when the session
/// says the chain changed, and asks the window to open another page by its objectName.
#include <QString>
#include <QWidget>

namespace dossier::desktop {

class Session;

class Page : public QWidget {
    Q_OBJECT
public:
    Page(Session& session, QWidget* parent = nullptr);

    /// The navigation entry's text ("Patients").
    [[nodiscard]] virtual QString title() const = 0;
    /// Reloads what the page shows (off the UI thread). Called when the page is shown and when
    /// the chain changed while it is visible.
    virtual void refresh() {}
    /// Opens the page on an argument given by another page (a patient's address...).
    virtual void open(const QString& argument) { (void)argument; }

signals:
    /// Asks the window to show the page named `page` (an objectName), opened on `argument`.
    void navigate(const QString& page, const QString& argument);

protected:
    void showEvent(QShowEvent* event) override;
    Session& session_;

private:
    bool stale_ = true;
};

}  // namespace dossier::desktop
