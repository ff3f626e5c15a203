#pragma once
/// An audit trail as a table (when, who, action, what, transaction) with quick filters (all,
/// access only, changes only, text) and the verification badge: "✓ Verified: N entries match the
/// chain head" only when the hash chain verifies, a red "✗ ..." naming the first bad entry when
/// it does not. Used by the patient's History (their own trail) and the doctor's History (every
/// trail of the doctor's patients, entries by or about the doctor).
#include <QWidget>
#include <optional>
#include <vector>

#include "dossier/client/types.hpp"

namespace dossier::desktop {

class Session;

class AuditView : public QWidget {
    Q_OBJECT
public:
    explicit AuditView(Session& session, QWidget* parent = nullptr);
    ~AuditView() override;

    /// The trails to show (merged, newest first); `only_doctor`: keep the entries whose actor or
    /// doctor is that address.
    void set_patients(std::vector<client::Address> patients, std::optional<client::Address> only_doctor = std::nullopt);
    /// Reloads the trails and verifies each (off the UI thread).
    void refresh();

private:
    struct Impl;
    Impl* d_;
};

}  // namespace dossier::desktop
