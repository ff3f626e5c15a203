#pragma once
/// The form of a new record or of a new version of one (`recordEditor`): the simple fields of a
/// kind, mapped onto client::RecordFields (the library builds the FHIR resource). A new version
/// names the version it was based on; if someone saved a newer one meanwhile the library refuses
/// (conflict) and the form offers to reload it, keeping the draft to copy from: nothing is ever
/// overwritten silently.
#include <QDialog>
#include <optional>

#include "dossier/client/types.hpp"

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace dossier::desktop {

class MessageBanner;
class Session;

class RecordEditor : public QDialog {
    Q_OBJECT
public:
    /// `base`: the record to add a version to (its kind is fixed); none: a new record.
    RecordEditor(Session& session, const client::Address& patient, std::optional<client::Record> base,
                 QWidget* parent = nullptr);

    /// What the form holds now.
    [[nodiscard]] client::RecordFields fields() const;
    [[nodiscard]] client::RecordKind kind() const;
    /// The version a save is based on (none for a new record).
    [[nodiscard]] std::optional<std::uint32_t> base_version() const;

signals:
    void saved(const dossier::client::WrittenRecord& written);

public slots:
    void reject() override;

private:
    void build();
    void show_kind_rows();
    void load(const client::Record& record);
    void set_fields(const client::RecordFields& fields);
    void save();
    void on_conflict(const client::RecordVersion& newer, const QString& author);
    void reload();
    void set_busy(bool busy);

    Session& session_;
    client::Address patient_;
    std::optional<client::Record> base_;
    std::optional<client::RecordFields> draft_;  ///< kept when the form was reloaded over it
    bool dirty_ = false;

    MessageBanner* banner_ = nullptr;
    QFormLayout* form_ = nullptr;
    QComboBox* kind_ = nullptr;
    QLabel* base_label_ = nullptr;
    QLineEdit* code_ = nullptr;
    QPlainTextEdit* text_ = nullptr;
    QLabel* text_label_ = nullptr;
    QLabel* code_label_ = nullptr;
    QLineEdit* status_ = nullptr;
    QLineEdit* start_ = nullptr;
    QLineEdit* end_ = nullptr;
    QLineEdit* dosage_ = nullptr;
    QComboBox* criticality_ = nullptr;
    QLineEdit* reaction_ = nullptr;
    QLineEdit* title_ = nullptr;
    QPlainTextEdit* draft_view_ = nullptr;
    QPushButton* restore_ = nullptr;
    QPushButton* save_ = nullptr;
};

}  // namespace dossier::desktop
