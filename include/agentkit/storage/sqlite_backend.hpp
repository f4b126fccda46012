#pragma once
// storage::sqlite — sessions, messages, key-value namespaces and the knowledge graph in one SQLite file
// (SQLiteCpp over the system SQLite). Every pragma of the seeds is configurable (sqlite_config.hpp, with
// the three profiles); the schema is versioned and migrated on open (sqlite_schema.hpp).
//
// One connection (sqlite/connection.hpp) shared by one part per concern, each usable on its own:
//   basic_sqlite_sessions     sessions and messages      storage::message_store    sqlite/sessions.hpp
//   basic_sqlite_kv           key-value namespaces       storage::kv_store         sqlite/kv.hpp
//   basic_sqlite_graph        the knowledge graph        storage::graph_store      sqlite/graph.hpp
//   basic_sqlite_maintenance  pruning and file upkeep    storage::store_maintenance sqlite/maintenance.hpp
// storage::sqlite is all four on one connection (storage::session_store).
//
// Speed: every statement is prepared once and reused; each append is one transaction (BEGIN IMMEDIATE ..
// COMMIT) and append_batch / batch(f) put many writes in one, so a batch costs one commit.
// Concurrency: one backend object is one connection, safe to share between threads (a mutex serialises
// it); under WAL, any number of sqlite_reader connections (open_reader) read while the one writer writes.
// Durability: an append has committed when it returns. With synchronous=NORMAL a committed transaction
// survives the process being killed (SIGKILL) but may be lost on power failure; FULL survives both.
#include <agentkit/core/clock.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/storage/backend.hpp>  // every storage concept
#include <agentkit/storage/sqlite/connection.hpp>
#include <agentkit/storage/sqlite/graph.hpp>
#include <agentkit/storage/sqlite/kv.hpp>
#include <agentkit/storage/sqlite/maintenance.hpp>
#include <agentkit/storage/sqlite/reader.hpp>
#include <agentkit/storage/sqlite/sessions.hpp>
#include <agentkit/storage/sqlite_config.hpp>

#include <cstddef>
#include <utility>

namespace agentkit::storage {

namespace detail {
// Holds the connection in a base listed before the parts, so it exists before they prepare on it.
template <clock_policy Clock>
struct sqlite_connection_owner {
    sqlite_connection_owner(sqlite_config cfg, Clock clock) : connection(std::move(cfg), std::move(clock)) {}
    basic_sqlite_connection<Clock> connection;
};
}  // namespace detail

template <clock_policy Clock = system_clock>
class basic_sqlite_backend : private detail::sqlite_connection_owner<Clock>,
                             public basic_sqlite_sessions<Clock>,
                             public basic_sqlite_kv<Clock>,
                             public basic_sqlite_graph<Clock>,
                             public basic_sqlite_maintenance<Clock> {
    using owner = detail::sqlite_connection_owner<Clock>;

public:
    using config = sqlite_config;
    using clock_type = Clock;
    using connection_type = basic_sqlite_connection<Clock>;

    // Default: an in-memory database (nothing persists); give a config with a path for a file.
    basic_sqlite_backend() : basic_sqlite_backend(config{}) {}
    explicit basic_sqlite_backend(config cfg, Clock clock = Clock{})
        : owner(std::move(cfg), std::move(clock)),
          basic_sqlite_sessions<Clock>(owner::connection),
          basic_sqlite_kv<Clock>(owner::connection),
          basic_sqlite_graph<Clock>(owner::connection),
          basic_sqlite_maintenance<Clock>(owner::connection) {}

    // A read-only connection to the same file, for another thread (WAL: readers never block the writer).
    sqlite_reader open_reader() const {
        const auto& cfg = owner::connection.configuration();
        if (cfg.path == ":memory:" || cfg.path.empty())
            throw_invalid_field("sqlite.path", "an in-memory database has no second connection");
        return sqlite_reader(cfg);
    }

    // Runs f with every write inside one transaction (one commit): the way to batch mixed writes.
    // If f throws, everything it wrote is rolled back.
    template <class F>
    void batch(F&& f) {
        owner::connection.transaction(std::forward<F>(f));
    }

    const config& configuration() const noexcept { return owner::connection.configuration(); }
    // The longest string or blob this backend binds (sqlite.max_length as SQLite applied it).
    std::size_t max_length() const noexcept { return owner::connection.max_length(); }
};

using sqlite = basic_sqlite_backend<system_clock>;
#if defined(AGENTKIT_SEPARATE_COMPILATION)
// Compiled once, in src/sqlite.cpp: a user's translation unit instantiates none of sqlite's members.
extern template class basic_sqlite_backend<system_clock>;
#endif

static_assert(session_store<sqlite>);

}  // namespace agentkit::storage
