#pragma once
/// Settings: which chain and IPFS node (this computer's embedded node, or a remote JSON-RPC chain
/// with its deployment manifest and a Kubo node: the CLI's global options), where the data
/// lives, and after how many idle minutes the app locks.
#include <QDialog>

#include "app/settings.hpp"

class QCheckBox;
class QLineEdit;
class QSpinBox;
class QComboBox;

namespace dossier::desktop {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(const AppSettings& settings, QWidget* parent = nullptr);
    [[nodiscard]] AppSettings settings() const;

private:
    void update_fields();

    AppSettings base_;
    QLineEdit* data_dir_;
    QComboBox* network_;
    QLineEdit* rpc_url_;
    QLineEdit* chain_id_;
    QLineEdit* ipfs_api_;
    QLineEdit* manifest_;
    QSpinBox* idle_;
};

}  // namespace dossier::desktop
