#pragma once
/// The patient's own Medical Records, read-only: the same browser as the doctor's Patient page,
/// with Export… (their records, decrypted, to a FHIR or PDF file of their choosing).
#include <QString>
#include <optional>

#include "dossier/client/types.hpp"
#include "shell/page.hpp"

class QPushButton;

namespace dossier::desktop {

class RecordsBrowser;

class MyRecordsPage : public Page {
    Q_OBJECT
public:
    explicit MyRecordsPage(Session& session, QWidget* parent = nullptr);

    [[nodiscard]] QString title() const override { return tr("Medical Records"); }
    void refresh() override;

private:
    void export_records();

    QPushButton* export_button_;
    RecordsBrowser* browser_;
    std::optional<client::Address> patient_;
};

}  // namespace dossier::desktop
