#pragma once
// Waiting without blocking a thread: the async forms of retry, rate limiting and bulkhead wait through an
// async sleeper, `sleeper(nanoseconds) -> asio::awaitable<bool>` (false: the wait was cancelled). The
// production one is a steady_timer on the coroutine's executor; its wait ends early when the coroutine is
// cancelled (a cancellation slot bound to co_spawn, terminal cancellation). Tests pass a sleeper that
// advances a manual clock and yields, so nothing really waits.
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/core/config_macros.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/system/system_error.hpp>

#include <chrono>
#include <concepts>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit::resilience {

namespace asio = boost::asio;

template <class S>
concept async_sleeper = requires(S& s, std::chrono::nanoseconds d) {
    { s(d) } -> std::same_as<asio::awaitable<bool>>;
};

// A steady_timer on the coroutine's executor. Defined in impl/async_sleep.ipp (compiled once in the separate
// mode, so a translation unit that only awaits it sees no timer machinery).
struct timer_sleeper {
    AGENTKIT_DECL asio::awaitable<bool> operator()(std::chrono::nanoseconds d) const;
};

namespace detail {
// True when the running coroutine has been asked to stop.
inline asio::awaitable<bool> cancelled() {
    const asio::cancellation_state cs = co_await asio::this_coro::cancellation_state;
    co_return cs.cancelled() != asio::cancellation_type::none;
}

// Runs a sleeper, reporting cancellation (as false) whether it arrives as an error code or, after the
// coroutine was cancelled, as an exception thrown at resumption.
template <async_sleeper S>
asio::awaitable<bool> sleep_or_cancel(S& sleeper, std::chrono::nanoseconds d) {
    bool ok = false;
    try {
        ok = co_await sleeper(d);
    } catch (const boost::system::system_error& e) {
        if (e.code() != asio::error::operation_aborted) throw;
        ok = false;
    }
    co_return ok;
}
}  // namespace detail

static_assert(async_sleeper<timer_sleeper>);

}  // namespace agentkit::resilience
AGENTKIT_COROUTINES_END

#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#include <agentkit/resilience/impl/async_sleep.ipp>
#endif
