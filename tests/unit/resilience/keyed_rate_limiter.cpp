#include <agentkit/resilience/gcra.hpp>
#include <agentkit/resilience/keyed_rate_limiter.hpp>
#include <agentkit/resilience/token_bucket.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <string>

namespace resilience_keyed_rate_limiter_test {

using namespace agentkit;
using namespace agentkit::resilience;
using namespace std::chrono_literals;

TEST(KeyedRateLimiter, EachKeyHasItsOwnLimit) {
    manual_clock clock;
    keyed_rate_limiter<gcra, manual_clock> limiter(gcra({.rate = 100, .period = 1s, .burst_size = 3}),
                                                   {.max_keys = 1024}, clock);
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.try_acquire("10.0.0.1"));
    EXPECT_FALSE(limiter.try_acquire("10.0.0.1"));
    EXPECT_TRUE(limiter.try_acquire("10.0.0.2"));
    const auto r = limiter.check("10.0.0.1");
    EXPECT_TRUE(r.limited);
    EXPECT_EQ(r.retry_after, std::chrono::nanoseconds(10ms));
    clock.advance(10ms);
    EXPECT_TRUE(limiter.try_acquire("10.0.0.1"));
}

TEST(KeyedRateLimiter, HostileKeysCannotGrowMemoryNorEvictBusyKeysWhileIdleSlotsExist) {
    manual_clock clock;
    keyed_rate_limiter<gcra, manual_clock> limiter(gcra({.rate = 100, .period = 1s, .burst_size = 200}),
                                                   {.max_keys = 4096}, clock);
    const auto bytes = limiter.memory_bytes();
    EXPECT_EQ(bytes, 4096u * 16u);
    // A victim key drains its burst.
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(limiter.try_acquire("victim"));
    EXPECT_FALSE(limiter.try_acquire("victim"));
    // An attacker sends one request each from a million addresses, 1 ms apart: each key goes idle after
    // 10 ms (one request at 100/s), so the table recycles idle slots.
    for (int i = 0; i < 1'000'000; ++i) {
        (void)limiter.try_acquire("attacker-" + std::to_string(i));
        if (i % 1000 == 0) clock.advance(1ms);
    }
    EXPECT_EQ(limiter.memory_bytes(), bytes);
    EXPECT_LE(limiter.active_keys(), limiter.capacity());
    // 10 000 keys are busy at any moment for 4096 slots: evictions happen, and they take the entries
    // closest to idle, never the drained victim. After 1 s it has refilled 100 of 200, not a fresh burst.
    EXPECT_GT(limiter.evictions(), 0u);
    EXPECT_EQ(limiter.check("victim", 0).remaining, 100);
}

TEST(KeyedRateLimiter, WhenFullTheEntryClosestToIdleIsEvicted) {
    manual_clock clock;
    // 8 slots = one set: every key competes for the same 8 ways.
    keyed_rate_limiter<token_bucket, manual_clock, std::mutex> limiter(
        token_bucket({.rate = 1, .period = 1s, .burst_size = 10}), {.max_keys = 8}, clock);
    EXPECT_EQ(limiter.capacity(), 8u);
    for (int k = 0; k < 8; ++k)
        for (int i = 0; i < 10; ++i) ASSERT_TRUE(limiter.try_acquire("key" + std::to_string(k)));
    EXPECT_EQ(limiter.evictions(), 0u);
    EXPECT_TRUE(limiter.try_acquire("newcomer"));
    EXPECT_EQ(limiter.evictions(), 1u);
    EXPECT_EQ(limiter.active_keys(), 8u);
}

TEST(KeyedRateLimiter, BadConfig) { EXPECT_THROW((keyed_rate_limiter<gcra>(gcra(), {.max_keys = 0})), error); }

}  // namespace resilience_keyed_rate_limiter_test
