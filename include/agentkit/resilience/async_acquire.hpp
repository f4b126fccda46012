#pragma once
// Waiting for a rate limiter on a timer: async_acquire tries, and when refused sleeps exactly the
// retry_after the limiter computed, then tries again (another waiter may have taken the slot), until
// admitted, or the wait would exceed max_wait, or the request can never be admitted (quantity > limit),
// or the coroutine is cancelled. No thread blocks; no polling.
//   if (!co_await async_acquire(limiter, 1, 200ms)) co_return reply_429();
#include <agentkit/resilience/async_sleep.hpp>
#include <agentkit/resilience/keyed_rate_limiter.hpp>
#include <agentkit/resilience/rate_limiter.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace agentkit::resilience {

namespace detail {
template <class Check, class Sleeper>
asio::awaitable<bool> acquire_loop(Check check, std::chrono::nanoseconds max_wait, Sleeper& sleeper) {
    std::chrono::nanoseconds waited{0};
    for (;;) {
        const rate_limit_result r = check();
        if (!r.limited) co_return true;
        if (r.retry_after < std::chrono::nanoseconds(0)) co_return false;  // can never be admitted
        if (r.retry_after > max_wait - waited) co_return false;
        if (!co_await sleep_or_cancel(sleeper, r.retry_after)) co_return false;
        waited += r.retry_after;
    }
}
}  // namespace detail

template <class Algorithm, class Clock, class Sync, async_sleeper Sleeper = timer_sleeper>
asio::awaitable<bool> async_acquire(rate_limiter<Algorithm, Clock, Sync>& limiter, std::int64_t quantity = 1,
                                    std::chrono::nanoseconds max_wait = std::chrono::nanoseconds::max(), Sleeper sleeper = {}) {
    // Named, not a temporary: GCC 12 mishandles non-trivial temporaries that live across a co_await.
    auto check = [&limiter, quantity] { return limiter.check(quantity); };
    co_return co_await detail::acquire_loop(check, max_wait, sleeper);
}

template <class Algorithm, class Clock, class Mutex, async_sleeper Sleeper = timer_sleeper>
asio::awaitable<bool> async_acquire(keyed_rate_limiter<Algorithm, Clock, Mutex>& limiter, std::string key,
                                    std::int64_t quantity = 1,
                                    std::chrono::nanoseconds max_wait = std::chrono::nanoseconds::max(), Sleeper sleeper = {}) {
    auto check = [&limiter, &key, quantity] { return limiter.check(key, quantity); };
    co_return co_await detail::acquire_loop(check, max_wait, sleeper);
}

}  // namespace agentkit::resilience
