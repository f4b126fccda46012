#pragma once
// The definition of resilience::timer_sleeper (async_sleep.hpp): included by it (header-only) or compiled once
// (src/agentkit.cpp).
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/resilience/async_sleep.hpp>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit::resilience {

AGENTKIT_DECL asio::awaitable<bool> timer_sleeper::operator()(std::chrono::nanoseconds d) const {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(std::chrono::duration_cast<asio::steady_timer::duration>(d));
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
}

}  // namespace agentkit::resilience
AGENTKIT_COROUTINES_END
