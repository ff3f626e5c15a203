#include "records/versions_dialog.hpp"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>

#include "app/format.hpp"
#include "app/session.hpp"
#include "app/task.hpp"
#include "records/record_form.hpp"
#include "records/tab_order.hpp"
#include "widgets/message_banner.hpp"

namespace dossier::desktop {

namespace {

struct Side {
    client::Record record;
    QString author;
    ReferenceNames names;
};

/// Labels whose value differs between the two field lists, or that only one of them has.
std::vector<QString> differing(const std::vector<FormField>& a, const std::vector<FormField>& b) {
    std::vector<QString> out;
    const auto value_in = [](const std::vector<FormField>& list, const QString& label) -> const QString* {
        for (const auto& f : list)
            if (f.label == label) return &f.value;
        return nullptr;
    };
    for (const auto* list : {&a, &b}) {
        for (const auto& f : *list) {
            const QString* x = value_in(a, f.label);
            const QString* y = value_in(b, f.label);
            if ((x == nullptr || y == nullptr || *x != *y) && std::find(out.begin(), out.end(), f.label) == out.end())
                out.push_back(f.label);
        }
    }
    return out;
}

QString side_html(const Side& s, const std::vector<FormField>& fields, const std::vector<QString>& changed) {
    return QStringLiteral("<p><b>%1</b></p>")
               .arg(version_line(s.record.info, s.record.latest_version, s.author).toHtmlEscaped()) +
           fields_html(fields, changed);
}

}  // namespace

VersionsDialog::VersionsDialog(Session& session, const client::Address& patient, std::uint32_t record_id,
                               QWidget* parent)
    : QDialog(parent), session_(session), patient_(patient), record_id_(record_id) {
    setObjectName(QStringLiteral("versionsDialog"));
    setWindowTitle(tr("Versions of record %1").arg(record_id));
    setAccessibleName(windowTitle());
    auto* layout = new QVBoxLayout(this);
    banner_ = new MessageBanner(this);
    layout->addWidget(banner_);

    auto* list_label = new QLabel(tr("&Every version, newest first:"), this);
    list_ = new QListWidget(this);
    list_->setObjectName(QStringLiteral("versionsList"));
    list_->setAccessibleName(tr("Versions"));
    list_->setMaximumHeight(150);
    list_label->setBuddy(list_);
    layout->addWidget(list_label);
    layout->addWidget(list_);

    auto* pick = new QGridLayout;
    left_ = new QComboBox(this);
    left_->setObjectName(QStringLiteral("leftVersionCombo"));
    right_ = new QComboBox(this);
    right_->setObjectName(QStringLiteral("rightVersionCombo"));
    auto* left_label = new QLabel(tr("Co&mpare:"), this);
    left_label->setBuddy(left_);
    auto* right_label = new QLabel(tr("&with:"), this);
    right_label->setBuddy(right_);
    left_->setAccessibleName(tr("Older version to compare"));
    right_->setAccessibleName(tr("Newer version to compare"));
    pick->addWidget(left_label, 0, 0);
    pick->addWidget(left_, 0, 1);
    pick->addWidget(right_label, 0, 2);
    pick->addWidget(right_, 0, 3);
    pick->setColumnStretch(1, 1);
    pick->setColumnStretch(3, 1);
    layout->addLayout(pick);

    auto* split = new QSplitter(Qt::Horizontal, this);
    left_view_ = new QTextBrowser(split);
    left_view_->setObjectName(QStringLiteral("leftVersionView"));
    left_view_->setAccessibleName(tr("Older version"));
    right_view_ = new QTextBrowser(split);
    right_view_->setObjectName(QStringLiteral("rightVersionView"));
    right_view_->setAccessibleName(tr("Newer version"));
    layout->addWidget(split, 1);
    auto* legend = new QLabel(tr("\u270E marks a field that differs between the two versions."), this);
    legend->setObjectName(QStringLiteral("versionsLegend"));
    layout->addWidget(legend);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("versionsCloseButton"));
    buttons->button(QDialogButtonBox::Close)->setDefault(true);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    chain_tab_order(list_, left_, right_, left_view_, right_view_, buttons->button(QDialogButtonBox::Close));

    connect(left_, &QComboBox::activated, this, &VersionsDialog::compare);
    connect(right_, &QComboBox::activated, this, &VersionsDialog::compare);
    // Choosing a version in the list compares it with the one before it.
    connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0 || versions_.empty()) return;
        const int index = static_cast<int>(versions_.size()) - 1 - row;  // the list is newest first
        right_->setCurrentIndex(index);
        left_->setCurrentIndex(std::max(0, index - 1));
        compare();
    });
    resize(1000, 650);
    load_history();
}

void VersionsDialog::load_history() {
    auto client = session_.client();
    const auto patient = patient_;
    const auto id = record_id_;
    left_view_->setPlainText(tr("Loading\u2026"));
    run_task(
        this,
        [client, patient, id](const TaskIo&) {
            std::vector<Version> out;
            for (auto& v : client->record_history(patient, id)) out.push_back({v, qstr(client->display_name(v.author))});
            std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.info.version < b.info.version; });
            return out;
        },
        [this](std::vector<Version> versions) {
            versions_ = std::move(versions);
            const QSignalBlocker block_list(list_), block_left(left_), block_right(right_);
            list_->clear();
            left_->clear();
            right_->clear();
            const auto latest = versions_.empty() ? 0u : versions_.back().info.version;
            for (const auto& v : versions_) {
                const QString line = version_line(v.info, latest, v.author);
                list_->insertItem(0, line);
                left_->addItem(QStringLiteral("v%1").arg(v.info.version), static_cast<uint>(v.info.version));
                right_->addItem(QStringLiteral("v%1").arg(v.info.version), static_cast<uint>(v.info.version));
            }
            if (versions_.empty()) {
                left_view_->setPlainText(tr("This record has no versions on the chain."));
                return;
            }
            right_->setCurrentIndex(right_->count() - 1);
            left_->setCurrentIndex(std::max(0, right_->count() - 2));
            list_->setCurrentRow(0);
            compare();
        },
        [this](const Failure& failure) {
            left_view_->clear();
            banner_->show_failure(failure);
        });
}

void VersionsDialog::compare() {
    auto account = session_.account();
    if (!account) {
        banner_->show_message(MessageBanner::Kind::error, tr("The account is locked."));
        return;
    }
    if (left_->currentIndex() < 0 || right_->currentIndex() < 0) return;
    auto client = session_.client();
    const auto patient = patient_;
    const auto id = record_id_;
    const auto a = static_cast<std::uint32_t>(left_->currentData().toUInt());
    const auto b = static_cast<std::uint32_t>(right_->currentData().toUInt());
    const int generation = ++generation_;
    banner_->clear();
    run_task(
        this,
        [account, client, patient, id, a, b](const TaskIo&) {
            std::pair<Side, Side> out;
            for (auto [side, version] : {std::pair{&out.first, a}, std::pair{&out.second, b}}) {
                side->record = account->show_record(patient, id, version);
                side->author = qstr(client->display_name(side->record.info.author));
                side->names = name_references(*client, side->record.resource);
            }
            return out;
        },
        [this, generation](std::pair<Side, Side> sides) {
            if (generation != generation_) return;  // a later choice is being loaded
            const auto left_fields = form_fields(sides.first.record.resource, sides.first.names);
            const auto right_fields = form_fields(sides.second.record.resource, sides.second.names);
            changed_ = differing(left_fields, right_fields);
            left_view_->setHtml(side_html(sides.first, left_fields, changed_));
            right_view_->setHtml(side_html(sides.second, right_fields, changed_));
            if (!announced_) {
                announced_ = true;
                emit ready();
            }
        },
        [this, generation](const Failure& failure) {
            if (generation != generation_) return;
            banner_->show_failure(failure);
        });
}

}  // namespace dossier::desktop
