#pragma once
// basic_sqlite_graph — storage::sqlite's knowledge graph (storage::graph_store) on a shared
// basic_sqlite_connection: entities unique by (name, type), relations and observations that must name an
// existing entity (else not_found naming the field).
#include <agentkit/core/clock.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/storage/graph_store.hpp>
#include <agentkit/storage/records.hpp>
#include <agentkit/storage/sqlite/connection.hpp>
#include <agentkit/storage/sqlite/support.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::storage {

template <clock_policy Clock = system_clock>
class basic_sqlite_graph {
public:
    using connection_type = basic_sqlite_connection<Clock>;

    // `connection` must outlive this part.
    explicit basic_sqlite_graph(connection_type& connection)
        : conn_(connection), st_(connection.template prepare<statements>()) {}

    entity_id upsert_entity(std::string_view name, std::string_view type) {
        if (name.empty()) throw_invalid_field("entity.name", "is empty");
        return conn_.locked("upsert_entity", [&](SQLite::Database&) {
            auto& s = st_->entity_upsert;
            detail::statement_use use(s);
            detail::bind_text(s, 1, name, conn_.max_length());
            detail::bind_text(s, 2, type, conn_.max_length());
            s.bind(3, conn_.now_ms());
            entity_id id = 0;
            conn_.in_transaction([&] {
                s.executeStep();
                id = s.getColumn(0).getInt64();
                while (s.executeStep()) {}
            });
            return id;
        });
    }
    std::int64_t add_relation(entity_id from, entity_id to, std::string_view type, double strength) {
        return conn_.locked("add_relation", [&](SQLite::Database& db) {
            require_entity(from, "relation.from_entity");
            require_entity(to, "relation.to_entity");
            auto& s = st_->relation_insert;
            detail::statement_use use(s);
            s.bind(1, from);
            s.bind(2, to);
            detail::bind_text(s, 3, type, conn_.max_length());
            s.bind(4, strength);
            s.bind(5, conn_.now_ms());
            conn_.in_transaction([&] { s.exec(); });
            return db.getLastInsertRowid();
        });
    }
    std::int64_t add_observation(entity_id e, std::string_view content) {
        return conn_.locked("add_observation", [&](SQLite::Database& db) {
            require_entity(e, "observation.entity_id");
            auto& s = st_->observation_insert;
            detail::statement_use use(s);
            s.bind(1, e);
            detail::bind_text(s, 2, content, conn_.max_length());
            s.bind(3, conn_.now_ms());
            conn_.in_transaction([&] { s.exec(); });
            return db.getLastInsertRowid();
        });
    }
    std::optional<entity> find_entity(std::string_view name, std::string_view type) const {
        return conn_.locked("find_entity", [&](SQLite::Database&) -> std::optional<entity> {
            auto& s = st_->entity_find;
            detail::statement_use use(s);
            detail::bind_text(s, 1, name, conn_.max_length());
            detail::bind_text(s, 2, type, conn_.max_length());
            if (!s.executeStep()) return std::nullopt;
            return entity{s.getColumn(0).getInt64(), detail::column_text(s.getColumn(1)),
                          detail::column_text(s.getColumn(2)), s.getColumn(3).getInt64(), s.getColumn(4).getInt64()};
        });
    }
    std::vector<relation> relations_of(entity_id e) const {
        return conn_.locked("relations_of", [&](SQLite::Database&) {
            auto& s = st_->relations_of;
            detail::statement_use use(s);
            s.bind(1, e);
            std::vector<relation> out;
            while (s.executeStep())
                out.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getInt64(), s.getColumn(2).getInt64(),
                               detail::column_text(s.getColumn(3)), s.getColumn(4).getDouble(),
                               s.getColumn(5).getInt64()});
            return out;
        });
    }
    std::vector<observation> observations_of(entity_id e, std::size_t limit) const {
        return conn_.locked("observations_of", [&](SQLite::Database&) {
            auto& s = st_->observations_of;
            detail::statement_use use(s);
            s.bind(1, e);
            s.bind(2, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
            std::vector<observation> out;
            while (s.executeStep())
                out.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getInt64(),
                               detail::column_text(s.getColumn(2)), s.getColumn(3).getInt64()});
            return out;
        });
    }

private:
    struct statements {
        explicit statements(SQLite::Database& db)
            : entity_upsert(
                  db,
                  "INSERT INTO entities(name, entity_type, created_at, updated_at) VALUES(?1, ?2, ?3, ?3) "
                  "ON CONFLICT(name, entity_type) DO UPDATE SET updated_at = excluded.updated_at RETURNING id"),
              entity_exists(db, "SELECT 1 FROM entities WHERE id = ?"),
              relation_insert(db,
                              "INSERT INTO relations(from_entity, to_entity, relation_type, strength, created_at) "
                              "VALUES(?, ?, ?, ?, ?)"),
              observation_insert(db, "INSERT INTO observations(entity_id, content, created_at) VALUES(?, ?, ?)"),
              entity_find(db,
                          "SELECT id, name, entity_type, created_at, updated_at FROM entities WHERE name = ? AND "
                          "entity_type = ?"),
              relations_of(db,
                           "SELECT id, from_entity, to_entity, relation_type, strength, created_at FROM relations "
                           "WHERE from_entity = ?1 UNION ALL SELECT id, from_entity, to_entity, relation_type, "
                           "strength, created_at "
                           "FROM relations WHERE to_entity = ?1 AND from_entity <> ?1 ORDER BY id"),
              observations_of(db,
                              "SELECT id, entity_id, content, created_at FROM observations WHERE entity_id = ? "
                              "ORDER BY created_at DESC, id DESC LIMIT ?") {}
        SQLite::Statement entity_upsert, entity_exists, relation_insert, observation_insert, entity_find, relations_of,
            observations_of;
    };

    void require_entity(entity_id e, const char* field) {
        auto& s = st_->entity_exists;
        detail::statement_use use(s);
        s.bind(1, e);
        if (!s.executeStep()) throw error(errc::not_found, std::string("no entity ").append(std::to_string(e)), field);
    }

    connection_type& conn_;
    std::unique_ptr<statements> st_;
};

#if defined(AGENTKIT_SEPARATE_COMPILATION)
extern template class basic_sqlite_graph<system_clock>;
#endif

static_assert(graph_store<basic_sqlite_graph<system_clock>>);

}  // namespace agentkit::storage
