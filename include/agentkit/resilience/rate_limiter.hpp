#pragma once
// A global rate limiter: one algorithm (gcra, token_bucket), one clock, one word of state.
//   rate_limiter<gcra> limiter(gcra({.rate = 10000, .burst_size = 200}));
//   if (!limiter.try_acquire()) return reply_429(limiter.check(0).retry_after);
// Sync policy `concurrent` (default) keeps the word in a std::atomic<std::int64_t>: admitting is one CAS,
// refusing writes nothing; `single_thread` keeps a plain integer for a limiter owned by one strand.
#include <agentkit/core/clock.hpp>
#include <agentkit/resilience/rate_limit_algorithm.hpp>
#include <agentkit/resilience/sync_policy.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <type_traits>

namespace agentkit::resilience {

namespace detail {
template <clock_policy Clock>
inline std::int64_t now_ns(const Clock& clock) noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(clock.now().time_since_epoch()).count();
}
}  // namespace detail

template <class Algorithm, class Clock = steady_clock, class Sync = concurrent>
class rate_limiter {
    static_assert(
        rate_limit_algorithm<Algorithm>,
        "agentkit::resilience::rate_limiter<A, Clock, Sync>: A is not a rate-limit algorithm (gcra, token_bucket, "
        "or a type with empty, step(state, now, quantity, out), idle(state, now), limit())");
    static_assert(clock_policy<Clock>,
                  "agentkit::resilience::rate_limiter<A, Clock, Sync>: Clock is not a clock policy");
    static_assert(sync_policy<Sync>,
                  "agentkit::resilience::rate_limiter<A, Clock, Sync>: Sync must be concurrent or single_thread");
    static constexpr bool thread_safe = [] {  // a wrong Sync stops at the static_assert alone
        if constexpr (sync_policy<Sync>)
            return bool{Sync::thread_safe};
        else
            return true;
    }();
    using word = std::conditional_t<thread_safe, std::atomic<std::int64_t>, std::int64_t>;

public:
    using algorithm_type = Algorithm;
    using clock_type = Clock;

    explicit rate_limiter(Algorithm algorithm = {}, Clock clock = {})
        : algorithm_(algorithm), clock_(clock), state_(Algorithm::empty) {}
    // Starts from a given state (e.g. token_bucket::state_with(0, now) for an empty bucket).
    rate_limiter(Algorithm algorithm, Clock clock, std::int64_t initial_state)
        : algorithm_(algorithm), clock_(clock), state_(initial_state) {}

    const Algorithm& algorithm() const noexcept { return algorithm_; }
    const Clock& clock() const noexcept { return clock_; }

    // Non-blocking: take `quantity` now or refuse.
    bool try_acquire(std::int64_t quantity = 1) noexcept { return run(detail::now_ns(clock_), quantity, nullptr); }
    // Same, at a time the caller already read (several checks sharing one clock read).
    bool try_acquire_at(std::int64_t now_ns, std::int64_t quantity = 1) noexcept {
        return run(now_ns, quantity, nullptr);
    }
    // The full answer (limit, remaining, retry_after, reset_after); quantity 0 only looks.
    rate_limit_result check(std::int64_t quantity = 1) noexcept {
        rate_limit_result r;
        run(detail::now_ns(clock_), quantity, &r);
        return r;
    }

private:
    bool run(std::int64_t now, std::int64_t quantity, rate_limit_result* out) noexcept {
        if constexpr (thread_safe) {
            std::int64_t seen = state_.load(std::memory_order_relaxed);
            for (;;) {
                std::int64_t next = seen;
                if (!algorithm_.step(next, now, quantity, out)) return false;
                if (next == seen) return true;  // a look (quantity 0) writes nothing
                if (state_.compare_exchange_weak(seen, next, std::memory_order_relaxed, std::memory_order_relaxed))
                    return true;
            }
        } else {
            return algorithm_.step(state_, now, quantity, out);
        }
    }

    Algorithm algorithm_;
    [[no_unique_address]] Clock clock_;
    word state_;
};

}  // namespace agentkit::resilience
