#include "shell/settings_dialog.hpp"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "app/format.hpp"

namespace dossier::desktop {

SettingsDialog::SettingsDialog(const AppSettings& settings, QWidget* parent)
    : QDialog(parent),
      base_(settings),
      data_dir_(new QLineEdit(settings.data_dir, this)),
      network_(new QComboBox(this)),
      rpc_url_(new QLineEdit(settings.rpc_url, this)),
      chain_id_(new QLineEdit(settings.chain_id ? QString::number(*settings.chain_id) : QString(), this)),
      ipfs_api_(new QLineEdit(settings.ipfs_api, this)),
      manifest_(new QLineEdit(settings.manifest, this)),
      idle_(new QSpinBox(this)) {
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));
    data_dir_->setObjectName(QStringLiteral("dataDirEdit"));
    data_dir_->setPlaceholderText(qstr(client::default_data_dir().string()));
    network_->setObjectName(QStringLiteral("networkCombo"));
    network_->addItem(tr("This computer (embedded chain and store)"));
    network_->addItem(tr("Remote chain and IPFS node"));
    network_->setCurrentIndex(settings.remote ? 1 : 0);
    rpc_url_->setObjectName(QStringLiteral("rpcUrlEdit"));
    rpc_url_->setPlaceholderText(QStringLiteral("http://127.0.0.1:8545"));
    chain_id_->setObjectName(QStringLiteral("chainIdEdit"));
    ipfs_api_->setObjectName(QStringLiteral("ipfsApiEdit"));
    ipfs_api_->setPlaceholderText(QStringLiteral("http://127.0.0.1:5001"));
    manifest_->setObjectName(QStringLiteral("manifestEdit"));
    idle_->setObjectName(QStringLiteral("idleLockSpin"));
    idle_->setRange(0, 240);
    idle_->setSuffix(tr(" min"));
    idle_->setSpecialValueText(tr("Never"));
    idle_->setValue(settings.idle_lock_minutes);

    auto* form = new QFormLayout;
    auto add = [&](const QString& text, QWidget* field) {
        auto* label = new QLabel(text, this);
        label->setBuddy(field);
        field->setAccessibleName(QString(text).remove(QLatin1Char('&')).remove(QLatin1Char(':')));
        form->addRow(label, field);
    };
    add(tr("&Data directory:"), data_dir_);
    add(tr("&Network:"), network_);
    add(tr("JSON-&RPC URL:"), rpc_url_);
    add(tr("C&hain id:"), chain_id_);
    add(tr("&IPFS API URL:"), ipfs_api_);
    add(tr("Deployment &manifest:"), manifest_);
    add(tr("&Lock after idle:"), idle_);

    auto* note = new QLabel(tr("Changes to the data directory or the network apply when you next sign in."), this);
    note->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(network_, &QComboBox::currentIndexChanged, this, &SettingsDialog::update_fields);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
    update_fields();
}

void SettingsDialog::update_fields() {
    const bool remote = network_->currentIndex() == 1;
    for (QWidget* w : {static_cast<QWidget*>(rpc_url_), static_cast<QWidget*>(chain_id_),
                       static_cast<QWidget*>(ipfs_api_), static_cast<QWidget*>(manifest_)}) {
        w->setEnabled(remote);
    }
}

AppSettings SettingsDialog::settings() const {
    AppSettings s = base_;
    s.data_dir = data_dir_->text().trimmed();
    s.remote = network_->currentIndex() == 1;
    s.rpc_url = rpc_url_->text().trimmed();
    s.ipfs_api = ipfs_api_->text().trimmed();
    s.manifest = manifest_->text().trimmed();
    bool ok = false;
    const auto id = chain_id_->text().trimmed().toULongLong(&ok);
    s.chain_id = ok ? std::optional<quint64>(id) : std::nullopt;
    s.idle_lock_minutes = idle_->value();
    return s;
}

}  // namespace dossier::desktop
