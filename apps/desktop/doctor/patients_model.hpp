#pragma once
/// The doctor's Patients table: every registered patient with this doctor's access state and
/// expiry. Rows arrive from one worker task and are inserted in chunks, a chunk per turn of the
/// event loop, so that 10,000 patients fill the view without freezing it; data() reads only the
/// cached values (a view never reaches the client from a paint).
#include <QAbstractTableModel>
#include <QTimer>
#include <optional>
#include <vector>

#include "doctor/my_patients.hpp"

namespace dossier::desktop {

class PatientsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { name_column, address_column, access_column, expires_column, column_count };
    enum Role {
        address_role = Qt::UserRole + 1,  ///< the patient's lower-case hex address (QString)
        state_role,                       ///< client::RequestState as int
    };

    explicit PatientsModel(QObject* parent = nullptr);

    /// Replaces every row; the new rows are inserted in chunks (loading() until the last one).
    void set_rows(std::vector<PatientAccess> rows);
    [[nodiscard]] bool loading() const noexcept { return next_ < pending_.size(); }
    /// This doctor's state for `patient` (none when not listed).
    [[nodiscard]] client::RequestState state_of(const client::Address& patient) const;
    /// Whether row `left` sorts before row `right` by `column`: names case-folded, access grouped
    /// by state, expiry by time. Compared without a QVariant: a view sorts 10,000 rows with some
    /// 140,000 of these.
    [[nodiscard]] bool less(int left, int right, int column) const;
    /// Shows a request just sent without waiting for the next refresh.
    void mark_pending(const client::Address& patient);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    /// The last chunk is in.
    void filled();

private:
    void insert_chunk();
    [[nodiscard]] std::optional<int> row_of(const client::Address& patient) const;

    /// The texts that sorting and filtering read for every row, made once per row: computed per
    /// call, a sort of 10,000 rows converted and case-folded strings some 280,000 times.
    struct RowText {
        QString name, folded, hex;
    };

    std::vector<PatientAccess> rows_;     ///< shown
    std::vector<RowText> text_;           ///< of rows_, row for row
    std::vector<PatientAccess> pending_;  ///< still to insert, from next_
    std::size_t next_ = 0;
    QTimer chunk_timer_;
};

/// The words of the Access column: "Approved", "Pending", "Expired", "Denied", "Revoked",
/// "No access".
[[nodiscard]] QString access_text(client::RequestState state);

}  // namespace dossier::desktop
