#include "dossier/index/index_queries.hpp"

#include <charconv>
#include <map>

#include "eth/uint256.hpp"

namespace dossier::index {

namespace {

std::span<const std::uint8_t> view(const eth::Address& a) { return a.bytes; }

eth::Address address_at(const sql::Statement& q, int col) {
    eth::Address a;
    a.bytes = q.fixed<20>(col);
    return a;
}

/// Columns: subject, info, data, block, tx, pos.
core::AuditEntry entry_at(const sql::Statement& q, int first) {
    core::AuditEntry e = core::decode_entry(q.fixed<32>(first), eth::from_be(q.blob(first + 1)), q.fixed<32>(first + 2));
    e.block = q.u64(first + 3);
    e.tx_hash = q.fixed<32>(first + 4);
    e.log_index = q.u64(first + 5) & 0xffffff;
    return e;
}

constexpr const char* kEntryColumns = "subject, info, data, block, tx, pos";

/// The grant-bearing kinds (registered, requested, approved, denied, revoked): the predicate of
/// the partial index audit_pair, repeated verbatim so that SQLite uses it.
constexpr const char* kGrantKinds = "kind IN (0, 2, 3, 4, 5)";

std::pair<std::int64_t, std::int64_t> parse_cursor(const std::string& text) {
    const auto dot = text.find('.');
    std::int64_t ts = 0, pos = 0;
    const auto ok = [](const char* b, const char* e, std::int64_t& v) {
        const auto r = std::from_chars(b, e, v);
        return r.ec == std::errc() && r.ptr == e;
    };
    if (dot == std::string::npos || !ok(text.data(), text.data() + dot, ts) ||
        !ok(text.data() + dot + 1, text.data() + text.size(), pos))
        throw Error(ErrorCode::invalid_input, "\"" + text + "\" is not a history cursor (it looks like 1700000000.123)");
    return {ts, pos};
}

/// The patient's record and file writes, which Accessed entries are resolved against.
std::vector<core::AuditEntry> writes_of(IndexDb& db, const eth::Address& patient) {
    sql::Statement q(db.db(), std::string("SELECT ") + kEntryColumns +
                                  " FROM audit WHERE patient = ?1 AND kind IN (7, 8, 9) ORDER BY pos");
    q.bind(1, view(patient));
    std::vector<core::AuditEntry> out;
    while (q.step()) out.push_back(entry_at(q, 0));
    return out;
}

}  // namespace

HistoryPage history(IndexDb& db, const HistoryQuery& query) {
    if (!query.patient && !query.actor)
        throw Error(ErrorCode::invalid_input, "a history is of a patient or of an actor: name one");
    std::string sql = std::string("SELECT patient, ") + kEntryColumns + ", ts FROM audit WHERE 1";
    int n = 0;
    if (query.patient) sql += " AND patient = ?" + std::to_string(++n);
    if (query.actor) sql += " AND actor = ?" + std::to_string(++n);
    if (query.kind) sql += " AND kind = ?" + std::to_string(++n);
    if (query.since) sql += " AND ts >= ?" + std::to_string(++n);
    if (query.until) sql += " AND ts <= ?" + std::to_string(++n);
    std::optional<std::pair<std::int64_t, std::int64_t>> after;
    if (query.after) {
        after = parse_cursor(*query.after);
        sql += " AND (ts, pos) < (?" + std::to_string(n + 1) + ", ?" + std::to_string(n + 2) + ")";
        n += 2;
    }
    // ts never decreases along the chain, so (ts, pos) is chain order and the indexes' order.
    sql += " ORDER BY ts DESC, pos DESC LIMIT ?" + std::to_string(++n);
    sql::Statement q(db.db(), sql);
    int i = 0;
    if (query.patient) q.bind(++i, view(*query.patient));
    if (query.actor) q.bind(++i, view(*query.actor));
    if (query.kind) q.bind(++i, static_cast<int>(*query.kind));
    if (query.since) q.bind(++i, *query.since);
    if (query.until) q.bind(++i, *query.until);
    if (after) {
        q.bind(++i, after->first);
        q.bind(++i, after->second);
    }
    const std::size_t limit = std::max<std::size_t>(1, query.limit);
    q.bind(++i, static_cast<std::int64_t>(limit + 1));

    HistoryPage page;
    std::int64_t last_ts = 0, last_pos = 0;
    while (q.step()) {
        if (page.entries.size() == limit) {
            page.next = std::to_string(last_ts) + "." + std::to_string(last_pos);
            break;
        }
        page.entries.push_back(IndexedEntry{address_at(q, 0), entry_at(q, 1)});
        last_pos = q.i64(6);
        last_ts = q.i64(7);
    }
    // Resolve what was opened, one patient at a time.
    std::map<eth::Address, std::vector<std::size_t>> accessed;
    for (std::size_t k = 0; k < page.entries.size(); ++k)
        if (page.entries[k].entry.kind == core::AuditKind::accessed) accessed[page.entries[k].patient].push_back(k);
    for (const auto& [patient, rows] : accessed) {
        if (!query.log_key) continue;
        const auto key = query.log_key(patient);
        if (!key) continue;
        std::vector<core::AuditEntry> entries;
        for (const auto k : rows) entries.push_back(page.entries[k].entry);
        core::resolve_accesses(entries, writes_of(db, patient), &*key);
        for (std::size_t k = 0; k < rows.size(); ++k) page.entries[rows[k]].entry = std::move(entries[k]);
    }
    return page;
}

std::vector<core::AuditEntry> patient_trail(IndexDb& db, const eth::Address& patient,
                                            const crypto::SecretKey32* log_key) {
    sql::Statement q(db.db(), std::string("SELECT ") + kEntryColumns + " FROM audit WHERE patient = ?1 ORDER BY seq");
    q.bind(1, view(patient));
    std::vector<core::AuditEntry> out;
    while (q.step()) out.push_back(entry_at(q, 0));
    if (log_key != nullptr) core::resolve_accesses(out, writes_of(db, patient), log_key);
    return out;
}

std::vector<core::AccessRequest> patient_requests(IndexDb& db, const eth::Address& patient, std::uint64_t now) {
    sql::Statement q(db.db(), std::string("SELECT ") + kEntryColumns + " FROM audit WHERE patient = ?1 AND " +
                                  kGrantKinds + " ORDER BY pos");
    q.bind(1, view(patient));
    std::vector<core::AuditEntry> entries;
    while (q.step()) entries.push_back(entry_at(q, 0));
    return core::requests_from_entries(entries, now);
}

std::vector<DoctorsPatient> doctor_patients(IndexDb& db, const eth::Address& doctor, std::uint64_t now) {
    sql::Statement q(db.db(), std::string("SELECT patient, ") + kEntryColumns + " FROM audit WHERE doctor = ?1 AND " +
                                  kGrantKinds + " ORDER BY patient, pos");
    q.bind(1, view(doctor));
    std::vector<DoctorsPatient> out;
    std::vector<core::AuditEntry> run;  // one patient's entries about this doctor
    std::optional<eth::Address> current;
    bool registered = false;
    const auto flush = [&] {
        if (!current) return;
        for (const auto& r : core::requests_from_entries(run, now))
            if (r.doctor == doctor) out.push_back(DoctorsPatient{*current, r, registered});
        run.clear();
        registered = false;
    };
    while (q.step()) {
        const eth::Address patient = address_at(q, 0);
        if (current != patient) {
            flush();
            current = patient;
        }
        run.push_back(entry_at(q, 1));
        registered = registered || run.back().kind == core::AuditKind::registered;
    }
    flush();
    return out;
}

std::vector<eth::Address> registered_patients(IndexDb& db) {
    sql::Statement q(db.db(), "SELECT patient FROM audit WHERE kind = 0 ORDER BY pos");
    std::vector<eth::Address> out;
    while (q.step()) out.push_back(address_at(q, 0));
    return out;
}

}  // namespace dossier::index
