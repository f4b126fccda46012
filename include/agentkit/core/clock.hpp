#pragma once
// Clock policies. Every time-dependent policy (TTL caches, backoff, rate limiters, session pruning) takes a
// Clock parameter and calls clock.now(): system_clock for wall time, steady_clock for intervals, and
// manual_clock for tests that must not sleep. Two cheaper monotonic clocks for hot rate-limit checks live
// beside this one: core/coarse_clock.hpp (the kernel's tick) and core/tsc_clock.hpp (the CPU's counter).
// How a blocking wait passes (a real sleep, or a manual clock's advance) is core/sleep.hpp.
#include <atomic>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <memory>

namespace agentkit {

template <class C>
concept clock_policy = requires(const C& c) {
    typename C::duration;
    typename C::time_point;
    { c.now() } -> std::same_as<typename C::time_point>;
};

// Wall-clock time; use where times are stored or shown (session timestamps, HTTP dates).
struct system_clock {
    using duration = std::chrono::system_clock::duration;
    using time_point = std::chrono::system_clock::time_point;
    time_point now() const noexcept { return std::chrono::system_clock::now(); }
};

// Monotonic time; the default for timeouts, TTLs and rate limits.
struct steady_clock {
    using duration = std::chrono::steady_clock::duration;
    using time_point = std::chrono::steady_clock::time_point;
    time_point now() const noexcept { return std::chrono::steady_clock::now(); }
};

// The member types of a clock that counts 64-bit nanoseconds from its own epoch (std::chrono's Clock
// requirements, with now() left to the clock).
template <class Clock, bool Steady>
struct nanosecond_clock {
    using rep = std::int64_t;
    using period = std::nano;
    using duration = std::chrono::nanoseconds;
    using time_point = std::chrono::time_point<Clock, duration>;
    static constexpr bool is_steady = Steady;
};

// A clock that moves only when told to. Copies share one time, so a test keeps a copy and advances the
// clock a cache or limiter holds. It may also jump backwards (set), to test clock jumps.
class manual_clock : public nanosecond_clock<manual_clock, false> {
public:
    manual_clock() : ticks_(std::make_shared<std::atomic<rep>>(0)) {}
    explicit manual_clock(time_point start)
        : ticks_(std::make_shared<std::atomic<rep>>(start.time_since_epoch().count())) {}

    time_point now() const noexcept { return time_point(duration(ticks_->load(std::memory_order_acquire))); }
    void advance(duration d) noexcept { ticks_->fetch_add(d.count(), std::memory_order_acq_rel); }
    void set(time_point t) noexcept { ticks_->store(t.time_since_epoch().count(), std::memory_order_release); }

private:
    std::shared_ptr<std::atomic<rep>> ticks_;
};

static_assert(clock_policy<system_clock> && clock_policy<steady_clock> && clock_policy<manual_clock>);

}  // namespace agentkit
