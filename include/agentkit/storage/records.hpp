#pragma once
// What storage backends hand back: stored messages with their id and time, session summaries, prune counts,
// knowledge-graph rows, and the input limits every backend enforces the same way.
#include <agentkit/core/error.hpp>
#include <agentkit/core/message.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace agentkit::storage {

// Times are milliseconds since the backend clock's epoch (system_clock: Unix time).
using timestamp_ms = std::int64_t;
// Message ids grow with every append across all sessions, so "range by id" is also "range by order".
using message_id = std::int64_t;

template <class Clock>
timestamp_ms to_ms(typename Clock::time_point t) noexcept {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

struct stored_message {
    message_id id = 0;
    timestamp_ms created_at = 0;
    agentkit::message message;
};

struct session_info {
    std::string id;
    timestamp_ms created_at = 0;
    timestamp_ms last_active_at = 0;
    std::size_t message_count = 0;
};

// What one prune pass removed.
struct prune_counts {
    std::size_t sessions_expired = 0;  // idle longer than the ttl
    std::size_t sessions_evicted = 0;  // least recently active beyond max_sessions
    std::size_t messages_deleted = 0;
    std::size_t sessions() const noexcept { return sessions_expired + sessions_evicted; }
    prune_counts& operator+=(const prune_counts& o) noexcept {
        sessions_expired += o.sessions_expired;
        sessions_evicted += o.sessions_evicted;
        messages_deleted += o.messages_deleted;
        return *this;
    }
};

// Knowledge-graph rows (the search layer builds on these tables).
using entity_id = std::int64_t;
struct entity {
    entity_id id = 0;
    std::string name;
    std::string entity_type;
    timestamp_ms created_at = 0;
    timestamp_ms updated_at = 0;
};
struct relation {
    std::int64_t id = 0;
    entity_id from_entity = 0;
    entity_id to_entity = 0;
    std::string relation_type;
    double strength = 1.0;
    timestamp_ms created_at = 0;
};
struct observation {
    std::int64_t id = 0;
    entity_id entity = 0;
    std::string content;
    timestamp_ms created_at = 0;
};

// Input caps shared by every backend; a value beyond a cap is refused with an error naming the field.
struct limits {
    std::size_t max_message_bytes = 1u << 20;  // content + tool-call arguments of one message
    std::size_t max_session_id_bytes = 256;
    std::size_t max_key_bytes = 1024;         // key-value namespace and key
    std::size_t max_value_bytes = 64u << 20;  // one key-value value (a checkpoint of a whole conversation)
};

namespace detail {

inline void check_session_id(std::string_view id, const limits& lim) {
    if (id.empty()) throw_invalid_field("session", "is empty");
    if (id.size() > lim.max_session_id_bytes)
        throw error(errc::capacity_exceeded,
                    std::string("is ")
                        .append(std::to_string(id.size()))
                        .append(" bytes, over max_session_id_bytes ")
                        .append(std::to_string(lim.max_session_id_bytes)),
                    "session");
}

inline std::size_t message_bytes(const message& m) noexcept {
    std::size_t n = m.content().size() + m.name().size() + m.tool_call_id().size();
    for (const auto& c : m.tool_calls()) n += c.id.size() + c.name.size() + c.arguments.size();
    return n;
}

inline void check_message(const message& m, const limits& lim, const std::string& field = "message") {
    agentkit::validate(m, field);
    if (const auto n = message_bytes(m); n > lim.max_message_bytes)
        throw error(errc::capacity_exceeded,
                    std::string("is ")
                        .append(std::to_string(n))
                        .append(" bytes, over max_message_bytes ")
                        .append(std::to_string(lim.max_message_bytes)),
                    field);
}

inline void check_key(std::string_view ns, std::string_view key, const limits& lim) {
    if (ns.empty()) throw_invalid_field("namespace", "is empty");
    if (ns.size() + key.size() > lim.max_key_bytes)
        throw error(errc::capacity_exceeded,
                    std::string("namespace + key exceed max_key_bytes ").append(std::to_string(lim.max_key_bytes)),
                    "key");
}

inline void check_value(std::string_view value, const limits& lim) {
    if (value.size() > lim.max_value_bytes)
        throw error(errc::capacity_exceeded,
                    std::string("is ")
                        .append(std::to_string(value.size()))
                        .append(" bytes, over max_value_bytes ")
                        .append(std::to_string(lim.max_value_bytes)),
                    "value");
}

[[noreturn]] inline void throw_unknown_session(std::string_view id) {
    throw error(errc::not_found, std::string("no session '").append(id).append("' (create_session first)"), "session");
}

}  // namespace detail
}  // namespace agentkit::storage
