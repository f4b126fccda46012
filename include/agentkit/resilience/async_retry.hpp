#pragma once
// retry on Boost.Asio C++20 coroutines: the same decisions as retry::execute (retry.hpp), but the waits are
// timers, so no thread is blocked while waiting, and the whole thing is cancellable.
//
//   asio::awaitable<outcome<std::string>> call(const attempt<>& a);     // one request
//   auto o = co_await async_execute(my_retry, call);                    // with retries
//
// Cancel it by binding a cancellation slot to co_spawn and emitting terminal cancellation: a pending wait
// ends at once and the result is a failure with errc::cancelled. `r` must outlive the coroutine.
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/resilience/async_sleep.hpp>
#include <agentkit/resilience/retry.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <type_traits>
#include <utility>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit::resilience {

namespace detail {
template <class A>
struct awaitable_value;
template <class T, class E>
struct awaitable_value<asio::awaitable<T, E>> {
    using type = T;
};
}  // namespace detail

template <class Backoff, class Classifier, class Clock, class Op, class Hooks = no_hooks,
          async_sleeper Sleeper = timer_sleeper>
auto async_execute(retry<Backoff, Classifier, Clock>& r, Op op, Hooks hooks = {},
                   deadline<Clock> dl = deadline<Clock>::never(), Sleeper sleeper = {})
    -> asio::awaitable<typename detail::awaitable_value<std::invoke_result_t<Op&, const attempt<Clock>&>>::type> {
    using result = typename detail::awaitable_value<std::invoke_result_t<Op&, const attempt<Clock>&>>::type;
    static_assert(is_outcome<result>::value,
                  "agentkit::resilience::async_execute: the operation must return asio::awaitable<outcome<T>>");
    const Clock& clock = r.clock();
    if (r.configuration().timeout.count() != 0) dl = r.effective_deadline(clock.now(), dl);
    if (r.budget()) r.budget()->deposit();
    std::chrono::nanoseconds previous{0};
    for (std::uint32_t n = 1;; ++n) {
        if (co_await detail::cancelled()) {
            failure f = failure::from_errc(errc::cancelled,
                                           std::string("retry cancelled before attempt ").append(std::to_string(n)));
            detail::hook_give_up(hooks, give_up_reason::cancelled, f);
            co_return result(std::move(f));
        }
        if (!dl.is_never() && dl.expired(clock.now())) {
            failure f = failure::from_errc(errc::timeout,
                                           std::string("deadline passed before attempt ").append(std::to_string(n)));
            detail::hook_give_up(hooks, give_up_reason::deadline, f);
            co_return result(std::move(f));
        }
        detail::hook_attempt(hooks, n);
        result o = co_await op(attempt<Clock>{n, dl});
        if (o.has_value()) {
            detail::hook_success(hooks, n);
            co_return o;
        }
        const retry_decision d = r.decide(n, o.error(), previous, r.random(), r.now_if(dl), dl);
        if (!d.retry) {
            detail::hook_give_up(hooks, d.reason, o.error());
            co_return o;
        }
        detail::hook_retry(hooks, n, d.delay, o.error());
        if (!co_await detail::sleep_or_cancel(sleeper, d.delay)) {
            failure f = failure::from_errc(errc::cancelled, "retry cancelled while waiting");
            detail::hook_give_up(hooks, give_up_reason::cancelled, f);
            co_return result(std::move(f));
        }
        previous = d.delay;
    }
}

}  // namespace agentkit::resilience
AGENTKIT_COROUTINES_END
