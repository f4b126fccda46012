#pragma once
// Seed keys of the storage layer:
//   sessions.ttl ("7d") / maxSessions                           -> storage::session_config (Flynn)
//   automation.sessionPruner.enabled / interval ("1h")          -> storage::session_config (Flynn)
//   memory.sqlite_config.<pragma>                               -> storage::sqlite_config
// The SQLite keys are the pragmas' own names (journal_mode, synchronous, cache_size, mmap_size, page_size,
// temp_store, wal_autocheckpoint, journal_size_limit, busy_timeout, auto_vacuum) plus path, read_only and
// limits. Caxton's sugar is accepted on load and dumped as the pragma it sets: wal_mode (true = WAL),
// cache_size_mb, mmap_size_mb, journal_size_limit_mb / wal_size_limit_mb, wal_checkpoint_interval.
#include <agentkit/config/reader.hpp>
#include <agentkit/storage/session_pruner.hpp>
#include <agentkit/storage/sqlite_config.hpp>

#include <cstddef>
#include <cstdint>

namespace agentkit::config {

template <class V>
void visit_sessions(V& v, storage::session_config& c) {
    v.duration("ttl", c.ttl, duration_style::text, std::chrono::milliseconds(1));
    v.integer("maxSessions", c.max_sessions, std::size_t{1}, std::size_t{1} << 40);
}

template <class V>
void visit_session_pruner(V& v, storage::session_config& c) {
    v.boolean("enabled", c.pruner_enabled);
    v.duration("interval", c.interval, duration_style::text, std::chrono::milliseconds(1));
}

inline constexpr enum_word<storage::sqlite_journal_mode> journal_mode_words[] = {
    {"WAL", storage::sqlite_journal_mode::wal},           {"DELETE", storage::sqlite_journal_mode::delete_},
    {"TRUNCATE", storage::sqlite_journal_mode::truncate}, {"PERSIST", storage::sqlite_journal_mode::persist},
    {"MEMORY", storage::sqlite_journal_mode::memory},     {"OFF", storage::sqlite_journal_mode::off},
};
inline constexpr enum_word<storage::sqlite_synchronous> synchronous_words[] = {
    {"NORMAL", storage::sqlite_synchronous::normal},
    {"OFF", storage::sqlite_synchronous::off},
    {"FULL", storage::sqlite_synchronous::full},
    {"EXTRA", storage::sqlite_synchronous::extra},
};
inline constexpr enum_word<storage::sqlite_temp_store> temp_store_words[] = {
    {"MEMORY", storage::sqlite_temp_store::memory},
    {"FILE", storage::sqlite_temp_store::file},
    {"DEFAULT", storage::sqlite_temp_store::default_},
};
inline constexpr enum_word<storage::sqlite_auto_vacuum> auto_vacuum_words[] = {
    {"NONE", storage::sqlite_auto_vacuum::none},
    {"FULL", storage::sqlite_auto_vacuum::full},
    {"INCREMENTAL", storage::sqlite_auto_vacuum::incremental},
};

namespace detail {
// Caxton's "<pragma>_mb" sugar: megabytes -> the pragma's unit (factor), one of the two spellings only.
template <class V>
void megabytes_alias(V& v, std::string_view alias, std::string_view pragma_key, std::int64_t& field,
                     std::int64_t factor) {
    if constexpr (V::loading) {
        std::int64_t mb = 0;
        const bool has_alias = v.find(alias) != nullptr;
        if (!has_alias) return;
        if (json::member(v.current(), pragma_key))
            throw_invalid_field(
                v.key_path(alias),
                std::string("set either ").append(alias).append(" or ").append(pragma_key).append(", not both"));
        v.integer(alias, mb, std::int64_t{0}, std::int64_t{1} << 30);
        field = mb * factor;
    } else {
        (void)v, (void)alias, (void)pragma_key, (void)field, (void)factor;
    }
}
}  // namespace detail

template <class V>
void visit(V& v, storage::limits& c) {
    v.integer("max_message_bytes", c.max_message_bytes, std::size_t{1}, std::size_t{1} << 40);
    v.integer("max_session_id_bytes", c.max_session_id_bytes, std::size_t{1}, std::size_t{1} << 20);
    v.integer("max_key_bytes", c.max_key_bytes, std::size_t{1}, std::size_t{1} << 20);
    v.integer("max_value_bytes", c.max_value_bytes, std::size_t{1}, std::size_t{1} << 40);
}

template <class V>
void visit(V& v, storage::sqlite_config& c) {
    v.string("path", c.path, false);
    v.enumeration("journal_mode", c.journal_mode, journal_mode_words);
    if constexpr (V::loading) {
        bool wal = c.journal_mode == storage::sqlite_journal_mode::wal;
        if (v.find("wal_mode")) {
            if (json::member(v.current(), "journal_mode"))
                throw_invalid_field(v.key_path("wal_mode"), "set either wal_mode or journal_mode, not both");
            v.boolean("wal_mode", wal);
            c.journal_mode = wal ? storage::sqlite_journal_mode::wal : storage::sqlite_journal_mode::delete_;
        }
    }
    v.enumeration("synchronous", c.synchronous, synchronous_words);
    v.integer("cache_size", c.cache_size, std::int64_t{-(std::int64_t{1} << 40)}, std::int64_t{1} << 31);
    detail::megabytes_alias(v, "cache_size_mb", "cache_size", c.cache_size, -1024);  // negative = KiB
    v.enumeration("temp_store", c.temp_store, temp_store_words);
    v.integer("mmap_size", c.mmap_size, std::int64_t{0}, std::int64_t{1} << 50);
    detail::megabytes_alias(v, "mmap_size_mb", "mmap_size", c.mmap_size, std::int64_t{1} << 20);
    v.integer("page_size", c.page_size, std::int64_t{512}, std::int64_t{65536});
    v.integer("wal_autocheckpoint", c.wal_autocheckpoint, std::int64_t{0}, std::int64_t{1} << 31);
    if constexpr (V::loading) {
        if (v.find("wal_checkpoint_interval")) {
            if (json::member(v.current(), "wal_autocheckpoint"))
                throw_invalid_field(v.key_path("wal_checkpoint_interval"),
                                    "set either wal_checkpoint_interval or wal_autocheckpoint, not both");
            v.integer("wal_checkpoint_interval", c.wal_autocheckpoint, std::int64_t{0}, std::int64_t{1} << 31);
        }
    }
    v.integer("journal_size_limit", c.journal_size_limit, std::int64_t{-1}, std::int64_t{1} << 50);
    detail::megabytes_alias(v, "journal_size_limit_mb", "journal_size_limit", c.journal_size_limit,
                            std::int64_t{1} << 20);
    detail::megabytes_alias(v, "wal_size_limit_mb", "journal_size_limit", c.journal_size_limit, std::int64_t{1} << 20);
    v.duration("busy_timeout", c.busy_timeout, duration_style::integer);
    v.enumeration("auto_vacuum", c.auto_vacuum, auto_vacuum_words);
    v.boolean("read_only", c.read_only);
    v.integer("max_length", c.max_length, std::int64_t{0}, std::int64_t{1} << 31);
    v.section("limits", [&](auto& sub) { visit(sub, c.limits); });
}

}  // namespace agentkit::config
