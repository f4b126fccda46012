#pragma once
// Waiting for a rate limiter on a timer: async_acquire tries, and when refused sleeps exactly the
// retry_after the limiter computed, then tries again (another waiter may have taken the slot), until
// admitted, or the wait would exceed max_wait, or the request can never be admitted (quantity > limit),
// or the coroutine is cancelled. No thread blocks; no polling.
//   if (!co_await async_acquire(limiter, 1, 200ms)) co_return reply_429();
// And waiting for a bulkhead's slot: FIFO, at most its max_wait_duration, woken by the release that hands
// the slot over.
//   auto permit = co_await async_acquire(bulkhead);  if (!permit) co_return reply_503();
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/resilience/async_sleep.hpp>
#include <agentkit/resilience/bulkhead.hpp>
#include <agentkit/resilience/keyed_rate_limiter.hpp>
#include <agentkit/resilience/rate_limiter.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <string>

AGENTKIT_COROUTINES_BEGIN
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
                                    std::chrono::nanoseconds max_wait = std::chrono::nanoseconds::max(),
                                    Sleeper sleeper = {}) {
    // Named, not a temporary: GCC 12 mishandles non-trivial temporaries that live across a co_await.
    auto check = [&limiter, quantity] { return limiter.check(quantity); };
    co_return co_await detail::acquire_loop(check, max_wait, sleeper);
}

template <class Algorithm, class Clock, class Mutex, async_sleeper Sleeper = timer_sleeper>
asio::awaitable<bool> async_acquire(keyed_rate_limiter<Algorithm, Clock, Mutex>& limiter, std::string key,
                                    std::int64_t quantity = 1,
                                    std::chrono::nanoseconds max_wait = std::chrono::nanoseconds::max(),
                                    Sleeper sleeper = {}) {
    auto check = [&limiter, &key, quantity] { return limiter.check(key, quantity); };
    co_return co_await detail::acquire_loop(check, max_wait, sleeper);
}

// A slot of `b`: at once if one is free, else after waiting in its FIFO for at most max_wait_duration on a
// timer; an empty permit when the queue is full, the wait timed out or the coroutine was cancelled.
inline asio::awaitable<bulkhead::permit> async_acquire(bulkhead& b) {
    bulkhead::waiter w;
    bool queued = false;
    if (auto p = b.acquire_or_queue(w, queued); p || !queued) co_return p;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(b.configuration().max_wait_duration);
    w.context = &timer;
    w.wake = [](void* t) noexcept { static_cast<asio::steady_timer*>(t)->cancel(); };
    if (!w.granted) {  // a strand runs one coroutine at a time, so nothing released since we queued
        try {
            boost::system::error_code ec;
            co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        } catch (const boost::system::system_error&) {
            // cancelled from outside: finish_wait leaves the queue
        }
    }
    co_return b.finish_wait(w);
}

}  // namespace agentkit::resilience
AGENTKIT_COROUTINES_END
