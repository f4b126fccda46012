#include <agentkit/resilience/async_acquire.hpp>
#include <agentkit/resilience/gcra.hpp>
#include <agentkit/resilience/token_bucket.hpp>

#include <agentkit_test/manual_sleeper.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace resilience_async_acquire_test {

using namespace agentkit;
using namespace agentkit::resilience;
using namespace std::chrono_literals;
using ns = std::chrono::nanoseconds;
namespace asio = boost::asio;

using agentkit_test::manual_sleeper;

TEST(AsyncAcquire, WaitsExactlyTheRetryAfter) {
    asio::io_context io;
    manual_clock clock;
    rate_limiter<gcra, manual_clock> limiter(gcra({.rate = 10, .period = 1s, .burst_size = 1}), clock);
    std::vector<ns> slept;
    std::vector<bool> got;
    // A named lambda: a coroutine lambda must outlive its frame (its captures live in the lambda).
    auto body = [&]() -> asio::awaitable<void> {
        // The sleeper is a named local: GCC 12 destroys non-trivial temporaries of a co_await expression twice.
        const manual_sleeper sleeper{clock, &slept};
        for (int i = 0; i < 3; ++i) got.push_back(co_await async_acquire(limiter, 1, ns::max(), sleeper));
    };
    asio::co_spawn(io, body(), asio::detached);
    io.run();
    EXPECT_EQ(got, (std::vector<bool>{true, true, true}));
    EXPECT_EQ(slept, (std::vector<ns>{100ms, 100ms}));
}

TEST(AsyncAcquire, GivesUpBeyondMaxWaitOrWhenItCanNeverPass) {
    asio::io_context io;
    manual_clock clock;
    keyed_rate_limiter<token_bucket, manual_clock> limiter(token_bucket({.rate = 1, .period = 1s, .burst_size = 2}),
                                                           {.max_keys = 64}, clock);
    std::vector<ns> slept;
    std::vector<bool> got;
    // A named lambda: a coroutine lambda must outlive its frame (its captures live in the lambda).
    auto body = [&]() -> asio::awaitable<void> {
        const manual_sleeper sleeper{clock, &slept};
        const std::string key = "k";
        got.push_back(co_await async_acquire(limiter, key, 2, 10ms, sleeper));
        got.push_back(co_await async_acquire(limiter, key, 1, 10ms, sleeper));       // needs 1 s
        got.push_back(co_await async_acquire(limiter, key, 3, ns::max(), sleeper));  // more than the burst
        got.push_back(co_await async_acquire(limiter, key, 1, 2s, sleeper));
    };
    asio::co_spawn(io, body(), asio::detached);
    io.run();
    EXPECT_EQ(got, (std::vector<bool>{true, false, false, true}));
    EXPECT_EQ(slept, (std::vector<ns>{1s}));
}

TEST(AsyncAcquire, RealTimerWhenAlreadyAvailable) {
    asio::io_context io;
    rate_limiter<gcra> limiter(gcra({.rate = 1000, .period = 1s, .burst_size = 5}));
    bool got = false;
    // A named lambda: a coroutine lambda must outlive its frame (its captures live in the lambda).
    auto body = [&]() -> asio::awaitable<void> { got = co_await async_acquire(limiter); };
    asio::co_spawn(io, body(), asio::detached);
    io.run();
    EXPECT_TRUE(got);
}

}  // namespace resilience_async_acquire_test
