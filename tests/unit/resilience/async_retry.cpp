// retry on Asio coroutines. The io_context runs in the test; waits go through a sleeper that advances the
// manual clock and yields, so nothing sleeps. The real steady_timer path is exercised with zero delays
// and with a one-hour wait that is cancelled.
#include <agentkit/resilience/async_retry.hpp>
#include <agentkit/resilience/backoff.hpp>

#include <agentkit_test/manual_sleeper.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <exception>
#include <optional>
#include <vector>

namespace resilience_async_retry_test {

using namespace agentkit;
using namespace agentkit::resilience;
using namespace std::chrono_literals;
using ns = std::chrono::nanoseconds;
namespace asio = boost::asio;

using agentkit_test::manual_sleeper;

template <class T>
T run(asio::io_context& io, asio::awaitable<T> a) {
    std::optional<T> out;
    std::exception_ptr error;
    asio::co_spawn(io, std::move(a), [&](std::exception_ptr e, T v) {
        error = e;
        if (!e) out.emplace(std::move(v));
    });
    io.run();
    io.restart();
    if (error) std::rethrow_exception(error);
    return std::move(*out);
}

TEST(AsyncRetry, RetriesOnTheLoopWithBackoffAndRetryAfter) {
    asio::io_context io;
    manual_clock clock;
    retry<exponential_backoff<>, default_classifier, manual_clock> r(retry_config{.max_attempts = 4}, {}, {}, clock);
    std::vector<ns> slept;
    int calls = 0;
    auto op = [&](const attempt<manual_clock>& a) -> asio::awaitable<outcome<int>> {
        ++calls;
        if (a.number == 1) co_return failure::from_http(503);
        if (a.number == 2) co_return failure::from_http(429, "", ns(5s));
        co_return 42;
    };
    auto o = run(io, async_execute(r, op, no_hooks{}, deadline<manual_clock>::never(), manual_sleeper{clock, &slept}));
    ASSERT_TRUE(o.has_value());
    EXPECT_EQ(o.value(), 42);
    EXPECT_EQ(calls, 3);
    EXPECT_EQ(slept, (std::vector<ns>{1s, 5s}));
}

TEST(AsyncRetry, GivesUpLikeTheSyncForm) {
    asio::io_context io;
    manual_clock clock;
    retry<exponential_backoff<>, default_classifier, manual_clock> r(
        retry_config{.max_attempts = 10, .timeout = 4000ms}, {}, {}, clock);
    std::vector<ns> slept;
    struct hooks_t {
        give_up_reason* reason;
        void on_give_up(give_up_reason g, const failure&) { *reason = g; }
    };
    give_up_reason reason = give_up_reason::none;
    auto op = [&](const attempt<manual_clock>&) -> asio::awaitable<outcome<int>> {
        co_return failure::from_errc(errc::timeout);
    };
    auto o =
        run(io, async_execute(r, op, hooks_t{&reason}, deadline<manual_clock>::never(), manual_sleeper{clock, &slept}));
    EXPECT_FALSE(o.has_value());
    EXPECT_EQ(reason, give_up_reason::deadline);
    EXPECT_EQ(slept, (std::vector<ns>{1s, 2s}));  // the next 4 s wait would pass the 4 s deadline
    auto invalid = [&](const attempt<manual_clock>&) -> asio::awaitable<outcome<int>> {
        co_return failure::from_http(401);
    };
    EXPECT_FALSE(
        run(io,
            async_execute(r, invalid, hooks_t{&reason}, deadline<manual_clock>::never(), manual_sleeper{clock, &slept}))
            .has_value());
    EXPECT_EQ(reason, give_up_reason::not_retryable);
}

TEST(AsyncRetry, RealTimerPathWithZeroDelay) {
    asio::io_context io;
    retry<constant_backoff<>> r(retry_config{.max_attempts = 3}, constant_backoff<>({.delay = 0ms}));
    int calls = 0;
    auto op = [&](const attempt<>&) -> asio::awaitable<outcome<int>> {
        if (++calls < 3) co_return failure::from_errc(errc::unavailable);
        co_return 7;
    };
    auto o = run(io, async_execute(r, op));
    ASSERT_TRUE(o.has_value());
    EXPECT_EQ(calls, 3);
}

TEST(AsyncRetry, CancellationEndsAPendingWaitAtOnce) {
    asio::io_context io;
    retry<constant_backoff<>> r(retry_config{.max_attempts = 3, .max_delay = 3600000ms},
                                constant_backoff<>({.delay = 3600000ms}));
    int calls = 0;
    auto op = [&](const attempt<>&) -> asio::awaitable<outcome<int>> {
        ++calls;
        co_return failure::from_errc(errc::unavailable);
    };
    asio::cancellation_signal cancel;
    std::optional<outcome<int>> result;
    asio::co_spawn(io, async_execute(r, op),
                   asio::bind_cancellation_slot(cancel.slot(), [&](std::exception_ptr e, outcome<int> o) {
                       ASSERT_FALSE(e);
                       result.emplace(std::move(o));
                   }));
    asio::post(io, [&] { cancel.emit(asio::cancellation_type::terminal); });  // runs once the coroutine waits
    const auto start = std::chrono::steady_clock::now();
    io.run_for(10s);  // bounded: a broken cancellation fails the test instead of hanging it
    ASSERT_TRUE(result.has_value());
    ASSERT_FALSE(result->has_value());
    EXPECT_EQ(result->error().code, make_error_code(errc::cancelled));
    EXPECT_EQ(calls, 1);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

}  // namespace resilience_async_retry_test
