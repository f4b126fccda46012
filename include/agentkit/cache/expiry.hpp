#pragma once
// Expiry policies. no_expiry stores nothing and every branch on it compiles away. ttl<Clock> stores one
// deadline per entry: a per-cache default (`ttl`, 0 = entries live until evicted), a per-entry override on
// put, and `update_age_on_get` (lru-cache's updateAgeOnGet) to restart the clock on every hit. Expired
// entries are dropped lazily on access, or all at once by clear_expired().
#include <agentkit/core/clock.hpp>

#include <chrono>

namespace agentkit::cache {

struct no_expiry {
    static constexpr bool enabled = false;
    struct config {};
    struct entry_time {};
};

template <clock_policy Clock = steady_clock>
struct ttl {
    static constexpr bool enabled = true;
    using clock_type = Clock;
    using duration = typename Clock::duration;
    using time_point = typename Clock::time_point;
    struct config {
        duration ttl{};                  // default time to live; zero = no default expiry
        bool update_age_on_get = false;  // a hit restarts the entry's time to live
        Clock clock{};
    };
    struct entry_time {
        time_point deadline = time_point::max();
        duration ttl{};  // this entry's time to live, kept for update_age_on_get
    };
};

template <class X>
concept expiry_policy = requires {
    X::enabled;
    typename X::config;
    typename X::entry_time;
};

}  // namespace agentkit::cache
