#pragma once
/// Every version of a record (`versionsDialog`): who wrote each and when, from the chain
/// (Client::record_history), and two chosen versions side by side with the fields that differ
/// highlighted.
#include <QDialog>
#include <QString>
#include <vector>

#include "dossier/client/types.hpp"

class QComboBox;
class QListWidget;
class QTextBrowser;

namespace dossier::desktop {

class MessageBanner;
class Session;

class VersionsDialog : public QDialog {
    Q_OBJECT
public:
    VersionsDialog(Session& session, const client::Address& patient, std::uint32_t record_id, QWidget* parent = nullptr);

    /// The labels of the fields that differ between the two versions shown.
    [[nodiscard]] const std::vector<QString>& changed_fields() const noexcept { return changed_; }

signals:
    /// The history and the two versions chosen first are shown.
    void ready();

private:
    struct Version {
        client::RecordVersion info;
        QString author;
    };
    void load_history();
    void compare();

    Session& session_;
    client::Address patient_;
    std::uint32_t record_id_;
    std::vector<Version> versions_;
    std::vector<QString> changed_;
    int generation_ = 0;
    bool announced_ = false;

    MessageBanner* banner_;
    QListWidget* list_;
    QComboBox* left_;
    QComboBox* right_;
    QTextBrowser* left_view_;
    QTextBrowser* right_view_;
};

}  // namespace dossier::desktop
