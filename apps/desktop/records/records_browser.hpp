#pragma once
/// A patient's records as people read them, shared by the doctor's Patient page and the patient's
/// Medical Records page: a timeline filtered by category (conditions, medications, allergies,
/// appointments, notes, files), the selected record as a readable form (never JSON), its
/// versions side by side with who changed what and when, and its attached files with a viewer
/// (PDF in memory, images) or Save As. The doctor's view (`writable`) adds New record, Edit (a new
/// version, conflicts shown, never overwritten) and Attach file (progress and Cancel).
#include <QWidget>
#include <cstdint>
#include <optional>

#include "app/task.hpp"
#include "dossier/client/types.hpp"

namespace dossier::desktop {

class Session;

class RecordsBrowser : public QWidget {
    Q_OBJECT
public:
    RecordsBrowser(Session& session, bool writable, QWidget* parent = nullptr);
    ~RecordsBrowser() override;

    void set_patient(const client::Address& patient);
    /// Reloads the list (off the UI thread) and keeps the selection when it still exists.
    void refresh();
    /// The record shown in the detail pane, if any.
    [[nodiscard]] std::optional<std::uint32_t> selected_record() const;

signals:
    /// The list loaded: `records` records.
    void loaded(int records);
    /// Listing was refused (permission_denied, access_expired, suspended): the page shows its
    /// access state instead.
    void access_refused(const dossier::desktop::Failure& failure);

private:
    void again();
    void reselect();
    void open_selected();
    void show_detail_placeholder(const QString& text);

    struct Impl;
    Impl* d_;
};

}  // namespace dossier::desktop
