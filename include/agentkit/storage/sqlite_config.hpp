#pragma once
// Every SQLite pragma the seeds tune, as one config struct with the seeds' names, plus their three
// ready-made profiles. Defaults are Flynn's production pragmas (WAL, synchronous NORMAL, 64 MB cache,
// temp_store MEMORY, 256 MB mmap, 4 KiB pages).
// Note: Debian's SQLite is built so that WAL databases default to synchronous=FULL; we always issue the
// synchronous pragma, so NORMAL is what you get when you ask for NORMAL.
#include <agentkit/core/error.hpp>
#include <agentkit/storage/records.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace agentkit::storage {

enum class sqlite_journal_mode { delete_, truncate, persist, memory, wal, off };
enum class sqlite_synchronous { off, normal, full, extra };
enum class sqlite_temp_store { default_, file, memory };
enum class sqlite_auto_vacuum { none, full, incremental };

constexpr std::string_view to_string(sqlite_journal_mode m) noexcept {
    switch (m) {
        case sqlite_journal_mode::delete_: return "DELETE";
        case sqlite_journal_mode::truncate: return "TRUNCATE";
        case sqlite_journal_mode::persist: return "PERSIST";
        case sqlite_journal_mode::memory: return "MEMORY";
        case sqlite_journal_mode::wal: return "WAL";
        case sqlite_journal_mode::off: return "OFF";
    }
    return "WAL";
}
constexpr std::string_view to_string(sqlite_synchronous m) noexcept {
    switch (m) {
        case sqlite_synchronous::off: return "OFF";
        case sqlite_synchronous::normal: return "NORMAL";
        case sqlite_synchronous::full: return "FULL";
        case sqlite_synchronous::extra: return "EXTRA";
    }
    return "NORMAL";
}
constexpr std::string_view to_string(sqlite_temp_store m) noexcept {
    switch (m) {
        case sqlite_temp_store::default_: return "DEFAULT";
        case sqlite_temp_store::file: return "FILE";
        case sqlite_temp_store::memory: return "MEMORY";
    }
    return "DEFAULT";
}
constexpr std::string_view to_string(sqlite_auto_vacuum m) noexcept {
    switch (m) {
        case sqlite_auto_vacuum::none: return "NONE";
        case sqlite_auto_vacuum::full: return "FULL";
        case sqlite_auto_vacuum::incremental: return "INCREMENTAL";
    }
    return "NONE";
}

struct sqlite_config {
    std::string path = ":memory:";  // a file path, or ":memory:" (then WAL is not available)
    sqlite_journal_mode journal_mode = sqlite_journal_mode::wal;
    sqlite_synchronous synchronous = sqlite_synchronous::normal;
    std::int64_t cache_size = -64000;  // PRAGMA cache_size: < 0 means KiB (-64000 = 64 MB), > 0 pages
    sqlite_temp_store temp_store = sqlite_temp_store::memory;
    std::int64_t mmap_size = 268435456;            // bytes (256 MB); 0 turns memory-mapped I/O off
    std::int64_t page_size = 4096;                 // applies to a new database (or after VACUUM)
    std::int64_t wal_autocheckpoint = 1000;        // pages; 0 turns automatic checkpoints off
    std::int64_t journal_size_limit = -1;          // bytes the WAL is truncated to after a checkpoint; -1 no limit
    std::chrono::milliseconds busy_timeout{5000};  // how long to wait for a lock before SQLITE_BUSY
    // Longest string or blob bound or stored, in bytes (SQLITE_LIMIT_LENGTH on each connection); a longer
    // one is refused (capacity_exceeded, sqlite.max_length) before it is bound. 0 = SQLite's own limit
    // (1e9 bytes by default); a larger value is capped at SQLite's hard limit (at most INT_MAX).
    std::int64_t max_length = 0;
    sqlite_auto_vacuum auto_vacuum = sqlite_auto_vacuum::none;  // set on a new database
    bool read_only = false;
    storage::limits limits{};

    // Throws agentkit::error naming the field of a value SQLite would reject or silently ignore.
    void validate() const {
        if (path.empty()) throw_invalid_field("sqlite.path", "is empty (use \":memory:\" for an in-memory database)");
        if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0)
            throw_invalid_field(
                "sqlite.page_size",
                std::string("must be a power of two in [512, 65536], got ").append(std::to_string(page_size)));
        if (cache_size == 0) throw_invalid_field("sqlite.cache_size", "is 0 (negative = KiB, positive = pages)");
        if (mmap_size < 0) throw_invalid_field("sqlite.mmap_size", "is negative");
        if (wal_autocheckpoint < 0) throw_invalid_field("sqlite.wal_autocheckpoint", "is negative");
        if (journal_size_limit < -1) throw_invalid_field("sqlite.journal_size_limit", "must be -1 (no limit) or >= 0");
        if (busy_timeout.count() < 0) throw_invalid_field("sqlite.busy_timeout", "is negative");
        if (max_length < 0) throw_invalid_field("sqlite.max_length", "is negative (0 = SQLite's own limit)");
        if (limits.max_message_bytes == 0) throw_invalid_field("sqlite.limits.max_message_bytes", "is 0");
    }
};

// The seeds' three profiles (Caxton's sqlite_config blocks and "essential pragmas").
namespace sqlite_profiles {

// Many writes per second: big cache and mmap, less frequent checkpoints, a bounded WAL.
inline sqlite_config high_throughput(std::string path) {
    sqlite_config c;
    c.path = std::move(path);
    c.journal_mode = sqlite_journal_mode::wal;
    c.synchronous = sqlite_synchronous::normal;
    c.cache_size = -262144;    // 256 MB
    c.mmap_size = 1073741824;  // 1 GB
    c.page_size = 4096;
    c.temp_store = sqlite_temp_store::memory;
    c.wal_autocheckpoint = 2000;
    c.journal_size_limit = 104857600;  // 100 MB
    return c;
}

// Reads first: the largest cache and mmap, rare checkpoints (wal_checkpoint_interval 5000).
inline sqlite_config low_latency(std::string path) {
    sqlite_config c;
    c.path = std::move(path);
    c.journal_mode = sqlite_journal_mode::wal;
    c.synchronous = sqlite_synchronous::normal;
    c.cache_size = -524288;    // 512 MB
    c.mmap_size = 2147483648;  // 2 GB
    c.temp_store = sqlite_temp_store::memory;
    c.wal_autocheckpoint = 5000;
    return c;
}

// Under 512 MB of RAM: small cache and mmap, small pages, incremental vacuum, a small WAL, temp on disk.
inline sqlite_config resource_constrained(std::string path) {
    sqlite_config c;
    c.path = std::move(path);
    c.journal_mode = sqlite_journal_mode::wal;
    c.synchronous = sqlite_synchronous::normal;
    c.cache_size = -65536;    // 64 MB
    c.mmap_size = 134217728;  // 128 MB
    c.page_size = 1024;
    c.auto_vacuum = sqlite_auto_vacuum::incremental;
    c.journal_size_limit = 20971520;  // 20 MB (wal_size_limit_mb 20)
    c.temp_store = sqlite_temp_store::file;
    return c;
}

}  // namespace sqlite_profiles
}  // namespace agentkit::storage
