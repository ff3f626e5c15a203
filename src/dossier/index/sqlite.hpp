#pragma once
/// A thin RAII layer over SQLite (Debian's libsqlite3): a database handle, prepared statements
/// with typed binds and columns, and a transaction guard. Every failure is a dossier::Error with
/// code io naming the database file and SQLite's own sentence; nothing else of SQLite leaks out.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "base/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace dossier::sql {

class Database;

/// A prepared statement. Binds are 1-based (as in SQL text "?1"); columns 0-based.
class Statement {
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int i, std::int64_t v);
    Statement& bind(int i, std::uint64_t v) { return bind(i, static_cast<std::int64_t>(v)); }
    Statement& bind(int i, std::uint32_t v) { return bind(i, static_cast<std::int64_t>(v)); }
    Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
    Statement& bind(int i, std::span<const std::uint8_t> blob);
    Statement& bind_text(int i, std::string_view text);
    Statement& bind_null(int i);

    /// Advances: true while a row is available.
    bool step();
    /// Runs a statement that returns no row.
    void run();
    /// Clears the bindings and rewinds, for the next use.
    void reset();

    [[nodiscard]] bool is_null(int col) const;
    [[nodiscard]] std::int64_t i64(int col) const;
    [[nodiscard]] std::uint64_t u64(int col) const { return static_cast<std::uint64_t>(i64(col)); }
    [[nodiscard]] std::span<const std::uint8_t> blob(int col) const;
    [[nodiscard]] std::string text(int col) const;
    /// A fixed-size blob column; Error(tampered) if its size differs (a damaged index file).
    template <std::size_t N>
    [[nodiscard]] FixedBytes<N> fixed(int col) const {
        const auto b = blob(col);
        if (b.size() != N) size_mismatch(col, N, b.size());
        FixedBytes<N> out{};
        std::copy(b.begin(), b.end(), out.begin());
        return out;
    }

private:
    [[noreturn]] void size_mismatch(int col, std::size_t want, std::size_t got) const;
    void check(int rc, const char* what);
    Database& db_;
    sqlite3_stmt* stmt_ = nullptr;
};

class Database {
public:
    /// Opens (creating if needed) the database at `path`, in WAL mode with synchronous=NORMAL
    /// (a commit survives a crash of the process; a power loss may lose the last commits, never
    /// corrupt the file) and a busy timeout, so that the CLI and the desktop app share it.
    explicit Database(const std::filesystem::path& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// Runs one or more statements that return nothing.
    void exec(std::string_view sql);
    [[nodiscard]] std::int64_t changes() const;
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    [[nodiscard]] sqlite3* handle() noexcept { return db_; }

    /// Throws Error(io) "<path>: <what>: <sqlite's message>".
    [[noreturn]] void fail(const char* what) const;

private:
    std::filesystem::path path_;
    sqlite3* db_ = nullptr;
};

/// BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed uncommitted (an exception, a cancel).
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool open_ = true;
};

}  // namespace dossier::sql
