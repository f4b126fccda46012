#pragma once
// Reused prepared statements (SQLite's, through SQLiteCpp), shared by the layers that keep a database:
// cache::sqlite_store and storage::sqlite. A template over the statement type, so that this layer needs no
// SQLite header.
namespace agentkit::detail {

// Resets a reused statement when a call leaves, however it leaves, and drops its bindings: a statement left
// on a row keeps its read transaction (and snapshot) open, and a bindNoCopy'd argument does not outlive the
// call.
template <class Statement>
struct statement_use {
    Statement& s;
    explicit statement_use(Statement& st) noexcept : s(st) {}
    ~statement_use() {
        s.tryReset();
        try {
            s.clearBindings();
        } catch (...) {  // sqlite3_clear_bindings cannot fail on a prepared statement; nothing is bound otherwise
        }
    }
    statement_use(const statement_use&) = delete;
    statement_use& operator=(const statement_use&) = delete;
};

}  // namespace agentkit::detail
