#include <agentkit/resilience/async_acquire.hpp>
#include <agentkit/resilience/bulkhead.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace resilience_bulkhead_test {

using namespace agentkit;
using namespace agentkit::resilience;
using namespace std::chrono_literals;
namespace asio = boost::asio;

TEST(Bulkhead, TryAcquireCapsConcurrentCalls) {
    bulkhead b({.max_concurrent_calls = 2, .max_wait_queue = 0, .max_wait_duration = 0ms});
    auto p1 = b.try_acquire();
    auto p2 = b.try_acquire();
    EXPECT_TRUE(p1 && p2);
    EXPECT_FALSE(b.try_acquire());
    EXPECT_EQ(b.rejected(), 1u);
    p1.reset();
    EXPECT_EQ(b.in_flight(), 1u);
    auto p3 = b.try_acquire();
    EXPECT_TRUE(p3);
    bulkhead::permit moved = std::move(p3);
    EXPECT_FALSE(p3);
    EXPECT_EQ(b.in_flight(), 2u);
}

TEST(Bulkhead, WaitersGetReleasedSlotsInOrderAndTheQueueIsBounded) {
    asio::io_context io;
    bulkhead b({.max_concurrent_calls = 1, .max_wait_queue = 2, .max_wait_duration = 3600000ms});
    std::vector<int> order;
    std::vector<bulkhead::permit> held;
    auto caller = [&](int id) -> asio::awaitable<void> {
        auto p = co_await async_acquire(b);
        if (!p) {
            order.push_back(-id);
            co_return;
        }
        order.push_back(id);
        held.push_back(std::move(p));
    };
    for (int id = 1; id <= 4; ++id) asio::co_spawn(io, caller(id), asio::detached);
    io.poll();
    // 1 runs, 2 and 3 wait, 4 finds the queue full.
    EXPECT_EQ(order, (std::vector<int>{1, -4}));
    EXPECT_EQ(b.waiting(), 2u);
    held.front().reset();  // 1 done: its slot goes to 2
    io.poll();
    EXPECT_EQ(order, (std::vector<int>{1, -4, 2}));
    EXPECT_EQ(b.in_flight(), 1u);
    held.clear();  // 2 done: 3 gets it
    io.poll();
    EXPECT_EQ(order, (std::vector<int>{1, -4, 2, 3}));
    held.clear();
    EXPECT_EQ(b.in_flight(), 0u);
    EXPECT_EQ(b.waiting(), 0u);
}

TEST(Bulkhead, ZeroWaitRefusesAtOnce) {
    asio::io_context io;
    bulkhead b({.max_concurrent_calls = 1, .max_wait_queue = 10, .max_wait_duration = 0ms});
    auto first = b.try_acquire();
    bool refused = false;
    // A named lambda: a coroutine lambda must outlive its frame (its captures live in the lambda).
    auto body = [&]() -> asio::awaitable<void> { refused = !(co_await async_acquire(b)); };
    asio::co_spawn(io, body(), asio::detached);
    io.run();
    EXPECT_TRUE(refused);
    EXPECT_THROW(bulkhead({.max_concurrent_calls = 0, .max_wait_queue = 0, .max_wait_duration = 0ms}), error);
}

TEST(Bulkhead, AWaiterThatTimesOutLeavesTheQueue) {
    asio::io_context io;
    bulkhead b({.max_concurrent_calls = 1, .max_wait_queue = 10, .max_wait_duration = 1ms});
    auto first = b.try_acquire();
    bool refused = false;
    // A named lambda: a coroutine lambda must outlive its frame (its captures live in the lambda).
    auto body = [&]() -> asio::awaitable<void> { refused = !(co_await async_acquire(b)); };
    asio::co_spawn(io, body(), asio::detached);
    io.run_for(5s);  // the 1 ms timer is the only thing that runs
    EXPECT_TRUE(refused);
    EXPECT_EQ(b.waiting(), 0u);
    first.reset();
    EXPECT_EQ(b.in_flight(), 0u);
}

}  // namespace resilience_bulkhead_test
