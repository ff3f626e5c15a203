#include "dossier/index/index_db.hpp"

#include <system_error>

#include "base/hex.hpp"
#include "chain/contract_bindings.hpp"
#include "dossier/audit.hpp"
#include "eth/abi_event.hpp"
#include "eth/uint256.hpp"

namespace dossier::index {
namespace abi = eth::abi;
namespace gen = chain::gen;

namespace {

/// Bumped when the tables change: an index of another version is rebuilt from the chain.
constexpr const char* kSchemaVersion = "1";

// Why each index exists: the history views page newest first by (ts, pos) for one patient or one
// actor, optionally of one kind or between two times; audit_pair answers "where does each
// (patient, doctor) grant stand" from the request/decision entries alone.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blocks(number INTEGER PRIMARY KEY, hash BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS audit(
  pos INTEGER PRIMARY KEY, block INTEGER NOT NULL, tx BLOB NOT NULL,
  patient BLOB NOT NULL, seq INTEGER NOT NULL, kind INTEGER NOT NULL, actor BLOB NOT NULL, ts INTEGER NOT NULL,
  doctor BLOB, subject BLOB NOT NULL, info BLOB NOT NULL, data BLOB NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS audit_seq ON audit(patient, seq);
CREATE INDEX IF NOT EXISTS audit_patient ON audit(patient, ts, pos);
CREATE INDEX IF NOT EXISTS audit_patient_kind ON audit(patient, kind, ts, pos);
CREATE INDEX IF NOT EXISTS audit_patient_actor ON audit(patient, actor, ts, pos);
CREATE INDEX IF NOT EXISTS audit_actor ON audit(actor, ts, pos);
CREATE INDEX IF NOT EXISTS audit_actor_kind ON audit(actor, kind, ts, pos);
CREATE INDEX IF NOT EXISTS audit_pair ON audit(doctor, patient, pos) WHERE kind IN (0, 2, 3, 4, 5);
CREATE TABLE IF NOT EXISTS versions(
  pos INTEGER PRIMARY KEY, block INTEGER NOT NULL, tx BLOB NOT NULL, patient BLOB NOT NULL,
  record_id INTEGER NOT NULL, version INTEGER NOT NULL, author BLOB NOT NULL,
  digest BLOB NOT NULL, previous BLOB NOT NULL, meta BLOB NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS versions_record ON versions(patient, record_id, version);
CREATE TABLE IF NOT EXISTS files(
  pos INTEGER PRIMARY KEY, block INTEGER NOT NULL, tx BLOB NOT NULL, patient BLOB NOT NULL,
  record_id INTEGER NOT NULL, idx INTEGER NOT NULL, author BLOB NOT NULL, digest BLOB NOT NULL, meta BLOB NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS files_record ON files(patient, record_id, idx);
CREATE TABLE IF NOT EXISTS envelopes(
  pos INTEGER PRIMARY KEY, block INTEGER NOT NULL, tx BLOB NOT NULL, patient BLOB NOT NULL,
  recipient BLOB NOT NULL, epoch INTEGER NOT NULL, envelope BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS envelopes_recipient ON envelopes(patient, recipient, epoch);
CREATE TABLE IF NOT EXISTS doctor_events(
  pos INTEGER PRIMARY KEY, block INTEGER NOT NULL, tx BLOB NOT NULL, doctor BLOB NOT NULL,
  event INTEGER NOT NULL, public_key BLOB, profile BLOB, status INTEGER);
CREATE INDEX IF NOT EXISTS doctor_events_doctor ON doctor_events(doctor, pos);
)sql";

constexpr const char* kEventTables[] = {"audit", "versions", "files", "envelopes", "doctor_events"};

std::span<const std::uint8_t> view(const eth::Address& a) { return a.bytes; }
std::span<const std::uint8_t> view(const Bytes32& b) { return b; }

std::string deployment_identity(const chain::Manifest& m) {
    return std::to_string(m.chain_id) + "/" + m.audit.to_hex() + "/" + m.doctor.to_hex() + "/" + m.patient.to_hex() +
           "/" + std::to_string(m.deployment_block);
}

/// The topics of the events the index keeps, computed once.
struct Topics {
    Bytes32 entry = abi::event_topic(gen::AuditContract::ev::Entry.signature);
    Bytes32 version = abi::event_topic(gen::PatientContract::ev::RecordVersion.signature);
    Bytes32 file = abi::event_topic(gen::PatientContract::ev::FileAttached.signature);
    Bytes32 envelope = abi::event_topic(gen::PatientContract::ev::KeyEnvelope.signature);
    Bytes32 registered = abi::event_topic(gen::DoctorContract::ev::DoctorRegistered.signature);
    Bytes32 profile = abi::event_topic(gen::DoctorContract::ev::DoctorProfileUpdated.signature);
    Bytes32 status = abi::event_topic(gen::DoctorContract::ev::DoctorStatusChanged.signature);
};
const Topics& topics() {
    static const Topics t;
    return t;
}

template <std::size_t N>
std::vector<abi::Value> decode(const gen::Event<N>& ev, const eth::Log& log) {
    return abi::decode_log(ev.signature, std::vector<bool>(ev.indexed.begin(), ev.indexed.end()), log.topics, log.data);
}

std::uint64_t size_of(const std::filesystem::path& p) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(p, ec);
    return ec ? 0 : n;
}

}  // namespace

IndexDb::IndexDb(const std::filesystem::path& file, const chain::Manifest& manifest)
    : file_(file), manifest_(manifest), db_((std::filesystem::create_directories(file.parent_path()), file)) {
    create_schema();
    bind_deployment();
}

void IndexDb::create_schema() {
    const auto version = [&]() -> std::optional<std::string> {
        db_.exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        return meta("schema");
    }();
    if (version && *version != kSchemaVersion) {
        // An index of another layout: its content is a cache of the chain, so it is rebuilt.
        for (const char* t : kEventTables) db_.exec(std::string("DROP TABLE IF EXISTS ") + t);
        db_.exec("DROP TABLE IF EXISTS blocks; DELETE FROM meta;");
    }
    db_.exec(kSchema);
    set_meta("schema", kSchemaVersion);
}

void IndexDb::bind_deployment() {
    const std::string identity = deployment_identity(manifest_);
    const auto stored = meta("deployment");
    if (stored && *stored == identity) return;
    if (stored) clear();
    set_meta("deployment", identity);
}

std::optional<std::string> IndexDb::meta(const std::string& key) {
    sql::Statement q(db_, "SELECT value FROM meta WHERE key = ?1");
    q.bind_text(1, key);
    if (!q.step()) return std::nullopt;
    return q.text(0);
}

void IndexDb::set_meta(const std::string& key, const std::string& value) {
    sql::Statement q(db_, "INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2");
    q.bind_text(1, key).bind_text(2, value).run();
}

std::optional<Tip> IndexDb::tip() {
    const auto block = meta("tip_block");
    const auto hash = meta("tip_hash");
    if (!block || !hash) return std::nullopt;
    Tip t;
    t.block = std::stoull(*block);
    const Bytes h = from_hex(*hash);
    if (h.size() != 32) throw Error(ErrorCode::tampered, file_.string() + ": the index's tip is damaged; run `dossier index rebuild`");
    std::copy(h.begin(), h.end(), t.hash.begin());
    return t;
}

std::optional<Bytes32> IndexDb::block_hash(std::uint64_t block) {
    sql::Statement q(db_, "SELECT hash FROM blocks WHERE number = ?1");
    q.bind(1, block);
    if (!q.step()) return std::nullopt;
    return q.fixed<32>(0);
}

std::vector<std::uint64_t> IndexDb::stored_blocks(std::uint64_t from, std::uint64_t to) {
    sql::Statement q(db_, "SELECT number FROM blocks WHERE number BETWEEN ?1 AND ?2 ORDER BY number");
    q.bind(1, from).bind(2, to);
    std::vector<std::uint64_t> out;
    while (q.step()) out.push_back(q.u64(0));
    return out;
}

IndexDb::PageResult IndexDb::apply_page(std::span<const eth::Log> logs, const Tip& to, std::uint64_t head) {
    PageResult result;
    sql::Transaction tx(db_);
    sql::Statement get_block(db_, "SELECT hash FROM blocks WHERE number = ?1");
    sql::Statement put_block(db_, "INSERT OR IGNORE INTO blocks(number, hash) VALUES(?1, ?2)");
    // A block's hash as the page's logs (or its end) name it; a different stored hash means the
    // chain changed under the reader.
    auto note_block = [&](std::uint64_t number, const Bytes32& hash) {
        get_block.bind(1, number);
        const bool known = get_block.step();
        const bool same = known && std::equal(hash.begin(), hash.end(), get_block.blob(0).begin(), get_block.blob(0).end());
        get_block.reset();
        if (known && !same) return false;
        if (!known) put_block.bind(1, number).bind(2, view(hash)).run();
        return true;
    };

    sql::Statement put_audit(db_,
                             "INSERT INTO audit(pos, block, tx, patient, seq, kind, actor, ts, doctor, subject, info, data) "
                             "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    sql::Statement put_version(db_,
                               "INSERT INTO versions(pos, block, tx, patient, record_id, version, author, digest, previous, "
                               "meta) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    sql::Statement put_file(db_,
                            "INSERT INTO files(pos, block, tx, patient, record_id, idx, author, digest, meta) "
                            "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    sql::Statement put_envelope(db_,
                                "INSERT INTO envelopes(pos, block, tx, patient, recipient, epoch, envelope) "
                                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    sql::Statement put_doctor(db_,
                              "INSERT INTO doctor_events(pos, block, tx, doctor, event, public_key, profile, status) "
                              "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    const Topics& t = topics();
    std::optional<std::uint64_t> noted;  // logs come in chain order: one check per block
    for (const eth::Log& log : logs) {
        if (noted != log.block_number && !note_block(log.block_number, log.block_hash)) {
            result.conflict_block = log.block_number;
            return result;  // the transaction rolls back
        }
        noted = log.block_number;
        if (log.topics.empty()) {
            ++result.ignored;
            continue;
        }
        const std::int64_t pos = position(log.block_number, log.log_index);
        const Bytes32& topic = log.topics[0];
        if (log.address == manifest_.audit && topic == t.entry) {
            // Entry(address indexed patient, bytes32 indexed subject, uint256 info, bytes32 data),
            // decoded by hand: it is most of the events. The audit contract emits no other shape,
            // so another one is a log it did not emit, refused rather than skipped.
            if (log.topics.size() != 3 || log.data.size() != 64)
                throw abi::AbiError("an Entry log has " + std::to_string(log.topics.size()) + " topics and " +
                                    std::to_string(log.data.size()) + " data bytes, not 3 and 64");
            Bytes32 info{}, data{};
            std::copy_n(log.data.begin(), 32, info.begin());
            std::copy_n(log.data.begin() + 32, 32, data.begin());
            const core::AuditEntry e = core::decode_entry(log.topics[2], eth::from_be(info), data);
            put_audit.bind(1, pos).bind(2, log.block_number).bind(3, view(log.transaction_hash));
            put_audit.bind(4, view(eth::Address::from_word(log.topics[1]))).bind(5, e.seq);
            put_audit.bind(6, static_cast<int>(e.kind_code)).bind(7, view(e.actor)).bind(8, e.timestamp);
            if (e.doctor) put_audit.bind(9, view(*e.doctor));
            else put_audit.bind_null(9);
            put_audit.bind(10, view(log.topics[2])).bind(11, view(info)).bind(12, view(data)).run();
        } else if (log.address == manifest_.patient && topic == t.version) {
            const auto v = decode(gen::PatientContract::ev::RecordVersion, log);
            put_version.bind(1, pos).bind(2, log.block_number).bind(3, view(log.transaction_hash));
            put_version.bind(4, view(v.at(0).as_address())).bind(5, eth::to_u64(v.at(1).as_uint()));
            put_version.bind(6, eth::to_u64(v.at(2).as_uint())).bind(7, view(v.at(3).as_address()));
            put_version.bind(8, view(v.at(4).as_bytes32())).bind(9, view(v.at(5).as_bytes32()));
            put_version.bind(10, view(v.at(6).as_bytes32())).run();
        } else if (log.address == manifest_.patient && topic == t.file) {
            const auto v = decode(gen::PatientContract::ev::FileAttached, log);
            put_file.bind(1, pos).bind(2, log.block_number).bind(3, view(log.transaction_hash));
            put_file.bind(4, view(v.at(0).as_address())).bind(5, eth::to_u64(v.at(1).as_uint()));
            put_file.bind(6, eth::to_u64(v.at(2).as_uint())).bind(7, view(v.at(3).as_address()));
            put_file.bind(8, view(v.at(4).as_bytes32())).bind(9, view(v.at(5).as_bytes32())).run();
        } else if (log.address == manifest_.patient && topic == t.envelope) {
            const auto v = decode(gen::PatientContract::ev::KeyEnvelope, log);
            put_envelope.bind(1, pos).bind(2, log.block_number).bind(3, view(log.transaction_hash));
            put_envelope.bind(4, view(v.at(0).as_address())).bind(5, view(v.at(1).as_address()));
            put_envelope.bind(6, eth::to_u64(v.at(2).as_uint())).bind(7, v.at(3).as_bytes()).run();
        } else if (log.address == manifest_.doctor && (topic == t.registered || topic == t.profile || topic == t.status)) {
            put_doctor.bind(1, pos).bind(2, log.block_number).bind(3, view(log.transaction_hash));
            if (topic == t.registered) {
                const auto v = decode(gen::DoctorContract::ev::DoctorRegistered, log);
                put_doctor.bind(4, view(v.at(0).as_address())).bind(5, 0).bind(6, v.at(1).as_bytes());
                put_doctor.bind(7, view(v.at(2).as_bytes32())).bind_null(8);
            } else if (topic == t.profile) {
                const auto v = decode(gen::DoctorContract::ev::DoctorProfileUpdated, log);
                put_doctor.bind(4, view(v.at(0).as_address())).bind(5, 1).bind_null(6);
                put_doctor.bind(7, view(v.at(1).as_bytes32())).bind_null(8);
            } else {
                const auto v = decode(gen::DoctorContract::ev::DoctorStatusChanged, log);
                put_doctor.bind(4, view(v.at(0).as_address())).bind(5, 2).bind_null(6).bind_null(7);
                put_doctor.bind(8, eth::to_u64(v.at(1).as_uint()));
            }
            put_doctor.run();
        } else {
            ++result.ignored;
            continue;
        }
        ++result.events;
    }
    if (!note_block(to.block, to.hash)) {
        result.conflict_block = to.block;
        return result;
    }
    set_meta("tip_block", std::to_string(to.block));
    set_meta("tip_hash", to_hex(to.hash));
    set_meta("head", std::to_string(head));
    tx.commit();
    return result;
}

std::uint64_t IndexDb::rollback_to(const std::optional<Tip>& ancestor, const std::string& why) {
    sql::Transaction tx(db_);
    std::uint64_t removed = 0;
    const std::int64_t first_gone = ancestor ? position(ancestor->block + 1, 0) : 0;
    for (const char* table : kEventTables) {
        sql::Statement q(db_, std::string("DELETE FROM ") + table + " WHERE pos >= ?1");
        q.bind(1, first_gone).run();
        removed += static_cast<std::uint64_t>(db_.changes());
    }
    sql::Statement blocks(db_, "DELETE FROM blocks WHERE number > ?1");
    blocks.bind(1, ancestor ? static_cast<std::int64_t>(ancestor->block) : -1).run();
    if (ancestor) {
        set_meta("tip_block", std::to_string(ancestor->block));
        set_meta("tip_hash", to_hex(ancestor->hash));
    } else {
        db_.exec("DELETE FROM meta WHERE key IN ('tip_block', 'tip_hash')");
    }
    set_meta("last_reorg", why + "; " + std::to_string(removed) + " indexed events were rolled back and read again");
    tx.commit();
    return removed;
}

void IndexDb::clear() {
    sql::Transaction tx(db_);
    for (const char* t : kEventTables) db_.exec(std::string("DELETE FROM ") + t);
    db_.exec("DELETE FROM blocks; DELETE FROM meta WHERE key IN ('tip_block', 'tip_hash', 'head', 'last_reorg');");
    tx.commit();
}

IndexStats IndexDb::stats() {
    IndexStats s;
    s.tip = tip();
    for (const char* t : kEventTables) {
        sql::Statement q(db_, std::string("SELECT count(*) FROM ") + t);
        if (q.step()) s.events += q.u64(0);
        if (std::string_view(t) == "audit") s.audit_entries = q.u64(0);
    }
    s.file_bytes = size_of(file_) + size_of(file_.string() + "-wal");
    s.last_reorg = meta("last_reorg");
    if (const auto h = meta("head")) s.head_at_sync = std::stoull(*h);
    return s;
}

}  // namespace dossier::index
