#pragma once
// The SQLite schema as numbered migrations. PRAGMA user_version holds the version a database is at;
// opening applies the missing steps in one transaction each, and refuses a database written by a newer
// build. Session ids are AUTOINCREMENT, never reused, so a cached session key never points at a newcomer;
// message ids are plain rowids (AUTOINCREMENT there cost ~2x on batched appends): they grow, but the ids
// of the newest messages may be reused after those messages are deleted. Indexes are the seeds' (Flynn's session/message indexes, Caxton's memory-system indexes).
#include <agentkit/core/error.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include <array>
#include <string>
#include <string_view>

namespace agentkit::storage::sqlite_schema {

inline constexpr std::array<std::string_view, 2> migrations = {
    // 1: sessions, messages, key-value namespaces.
    R"sql(
CREATE TABLE sessions(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  last_active_at INTEGER NOT NULL,
  message_count INTEGER NOT NULL DEFAULT 0);
CREATE INDEX idx_sessions_created_at ON sessions(created_at);
CREATE INDEX idx_sessions_last_active ON sessions(last_active_at);
CREATE TABLE messages(
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  role INTEGER NOT NULL,
  content TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  tool_call_id TEXT NOT NULL DEFAULT '',
  tool_calls BLOB,
  importance REAL NOT NULL DEFAULT 0);
CREATE INDEX idx_messages_session_id ON messages(session_id, id);
CREATE TABLE kv(
  namespace TEXT NOT NULL,
  key TEXT NOT NULL,
  value BLOB NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY(namespace, key)) WITHOUT ROWID;
)sql",
    // 2: the knowledge graph (entities, relations, observations, embeddings) with Caxton's indexes.
    R"sql(
CREATE TABLE entities(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE(name, entity_type));
CREATE INDEX idx_entities_composite ON entities(entity_type, name, created_at);
CREATE INDEX idx_entities_updated ON entities(updated_at DESC);
CREATE TABLE relations(
  id INTEGER PRIMARY KEY,
  from_entity INTEGER NOT NULL,
  to_entity INTEGER NOT NULL,
  relation_type TEXT NOT NULL,
  strength REAL NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL);
CREATE INDEX idx_relations_composite ON relations(from_entity, to_entity, relation_type);
CREATE INDEX idx_relations_to ON relations(to_entity);
CREATE INDEX idx_relations_strength ON relations(strength DESC);
CREATE TABLE observations(
  id INTEGER PRIMARY KEY,
  entity_id INTEGER NOT NULL,
  content TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE INDEX idx_observations_entity_time ON observations(entity_id, created_at DESC);
CREATE TABLE embeddings(
  entity_id INTEGER NOT NULL,
  vector_hash TEXT NOT NULL,
  vector BLOB NOT NULL);
CREATE INDEX idx_embeddings_search ON embeddings(entity_id, vector_hash);
)sql",
};

inline constexpr int latest_version = static_cast<int>(migrations.size());

inline int version(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

// Brings `db` to `target` (default: latest). Each step and its version bump commit together.
inline void migrate(SQLite::Database& db, int target = latest_version) {
    const int current = version(db);
    if (current > latest_version)
        throw error(errc::invalid_argument,
                    std::string("database schema version ")
                        .append(std::to_string(current))
                        .append(" is newer than this build's ")
                        .append(std::to_string(latest_version))
                        .append(" (open it with a newer agentkit)"),
                    "sqlite.schema_version");
    for (int v = current; v < target; ++v) {
        SQLite::Transaction tx(db);
        db.exec(std::string(migrations[static_cast<std::size_t>(v)]));
        db.exec(std::string("PRAGMA user_version = ").append(std::to_string(v + 1)));
        tx.commit();
    }
}

}  // namespace agentkit::storage::sqlite_schema
