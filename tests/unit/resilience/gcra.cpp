// GCRA against redis-cell's CL.THROTTLE: the (time, quantity) vectors and answers below are redis-cell's
// own recorded test cases (redis-cell-impl it_rate_limits: 1 per second, max_burst 4) and its README
// example, replayed on the manual clock.
#include <agentkit/core/coarse_clock.hpp>
#include <agentkit/resilience/gcra.hpp>
#include <agentkit/resilience/rate_limiter.hpp>
#include <agentkit/resilience/token_bucket.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace resilience_gcra_test {

using namespace agentkit;
using namespace agentkit::resilience;
using namespace std::chrono_literals;
using ns = std::chrono::nanoseconds;

struct recorded {
    ns at;
    std::int64_t quantity;
    std::int64_t remaining;
    ns reset_after;
    ns retry_after;
    bool limited;
};

TEST(Gcra, EqualsRedisCellOnItsRecordedVectors) {
    const auto start = manual_clock::time_point(1'700'000'000s);
    manual_clock clock(start);
    rate_limiter<gcra, manual_clock, single_thread> limiter(gcra::from_cl_throttle(4, 1, 1s), clock);
    const std::vector<recorded> cases = {
        {0ms, 6, 5, 0s, -1s, true},  // never more than the limit at once
        {0ms, 1, 4, 1s, -1s, false},        {0ms, 1, 3, 2s, -1s, false},
        {0ms, 1, 2, 3s, -1s, false},        {0ms, 1, 1, 4s, -1s, false},
        {0ms, 1, 0, 5s, -1s, false},        {0ms, 1, 0, 5s, 1s, true},
        {3000ms, 1, 2, 3000ms, -1s, false}, {3100ms, 1, 1, 3900ms, -1s, false},
        {4000ms, 1, 1, 4000ms, -1s, false}, {8000ms, 1, 4, 1000ms, -1s, false},
        {9500ms, 1, 4, 1000ms, -1s, false}, {9500ms, 0, 4, 1s, -1s, false},  // quantity 0 only looks
        {9500ms, 2, 2, 3s, -1s, false},     {9500ms, 5, 2, 3s, 3s, true},    // a large request cannot exceed the limit
    };
    int n = 0;
    for (const auto& c : cases) {
        clock.set(start + c.at);
        const auto r = limiter.check(c.quantity);
        EXPECT_EQ(r.limited, c.limited) << "case " << n;
        EXPECT_EQ(r.limit, 5) << "case " << n;
        EXPECT_EQ(r.remaining, c.remaining) << "case " << n;
        EXPECT_EQ(r.reset_after, c.reset_after) << "case " << n;
        EXPECT_EQ(r.retry_after, c.retry_after) << "case " << n;
        ++n;
    }
}

TEST(Gcra, ClThrottleReplyOfTheReadmeExample) {
    // CL.THROTTLE user123 15 30 60 -> 0, 16, 15, -1, 2
    manual_clock clock(manual_clock::time_point(1'000'000s));
    rate_limiter<gcra, manual_clock> limiter(gcra::from_cl_throttle(15, 30, 60s), clock);
    EXPECT_EQ(to_cl_throttle(limiter.check(1)), (cl_throttle_reply{0, 16, 15, -1, 2}));
    for (int i = 0; i < 15; ++i) limiter.check(1);
    // 16 taken: limited, retry in 2 s (one emission interval), reset in 32 s.
    EXPECT_EQ(to_cl_throttle(limiter.check(1)), (cl_throttle_reply{1, 16, 0, 2, 32}));
    clock.advance(1500ms);  // a partial second rounds up
    EXPECT_EQ(to_cl_throttle(limiter.check(1)), (cl_throttle_reply{1, 16, 0, 1, 31}));
}

TEST(Gcra, AdmittedRateWithinOnePercentUnderTenTimesOverload) {
    for (std::int64_t burst : {1, 200}) {
        manual_clock clock;
        rate_limiter<gcra, manual_clock> limiter(gcra({.rate = 1000, .period = 1s, .burst_size = burst}), clock);
        std::int64_t admitted = 0;
        for (int i = 0; i < 100'000; ++i) {  // 10 000/s offered for 10 s of simulated time
            admitted += limiter.try_acquire() ? 1 : 0;
            clock.advance(100us);
        }
        const double rate = static_cast<double>(admitted - burst) / 10.0;  // the burst is the allowed excess
        EXPECT_NEAR(rate, 1000.0, 10.0) << "burst " << burst << " admitted " << admitted;
        EXPECT_LE(admitted, 10'000 + burst);
    }
}

TEST(TokenBucket, AdmittedRateWithinOnePercentUnderTenTimesOverload) {
    manual_clock clock;
    rate_limiter<token_bucket, manual_clock> limiter(token_bucket({.rate = 10000, .period = 1s, .burst_size = 200}),
                                                     clock);
    std::int64_t admitted = 0;
    for (int i = 0; i < 1'000'000; ++i) {  // 100 000/s offered for 10 s
        admitted += limiter.try_acquire() ? 1 : 0;
        clock.advance(10us);
    }
    EXPECT_NEAR(static_cast<double>(admitted - 200) / 10.0, 10000.0, 100.0) << admitted;
}

TEST(TokenBucket, BurstRefillAndRetryAfter) {
    manual_clock clock;
    rate_limiter<token_bucket, manual_clock, single_thread> limiter(
        token_bucket({.rate = 10, .period = 1s, .burst_size = 5}), clock);
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.try_acquire());
    auto r = limiter.check(1);
    EXPECT_TRUE(r.limited);
    EXPECT_EQ(r.retry_after, ns(100ms));
    EXPECT_EQ(r.remaining, 0);
    clock.advance(250ms);
    r = limiter.check(1);  // 2.5 tokens refilled
    EXPECT_FALSE(r.limited);
    EXPECT_EQ(r.remaining, 1);
    EXPECT_EQ(limiter.check(6).retry_after, ns(-1s));  // more than the capacity: never
    clock.advance(1h);
    EXPECT_EQ(limiter.check(0).remaining, 5);  // full again, not more
}

TEST(TokenBucket, CanStartEmpty) {
    manual_clock clock(manual_clock::time_point(5s));
    const token_bucket tb({.rate = 10, .period = 1s, .burst_size = 5});
    rate_limiter<token_bucket, manual_clock> limiter(tb, clock, tb.state_with(0, 5'000'000'000));
    EXPECT_FALSE(limiter.try_acquire());
    clock.advance(100ms);
    EXPECT_TRUE(limiter.try_acquire());
}

TEST(RateLimiter, ClockJumpsNeitherCrashNorGrantAnExtraBurst) {
    manual_clock clock(manual_clock::time_point(100s));
    rate_limiter<gcra, manual_clock> limiter(gcra({.rate = 1, .period = 1s, .burst_size = 2}), clock);
    EXPECT_TRUE(limiter.try_acquire());
    EXPECT_TRUE(limiter.try_acquire());
    EXPECT_FALSE(limiter.try_acquire());
    clock.set(manual_clock::time_point(50s));  // backwards: still limited, for longer
    EXPECT_FALSE(limiter.try_acquire());
    EXPECT_GT(limiter.check(1).retry_after, ns(50s));
    clock.set(manual_clock::time_point(10'000s));  // far forward: one burst, not more
    EXPECT_TRUE(limiter.try_acquire());
    EXPECT_TRUE(limiter.try_acquire());
    EXPECT_FALSE(limiter.try_acquire());
}

TEST(RateLimiter, NegativeQuantitiesAreRefusedNotCredited) {
    manual_clock clock;
    rate_limiter<gcra, manual_clock> g(gcra({.rate = 1, .period = 1s, .burst_size = 2}), clock);
    rate_limiter<token_bucket, manual_clock> t(token_bucket({.rate = 1, .period = 1s, .burst_size = 2}), clock);
    EXPECT_FALSE(g.try_acquire(-5));
    EXPECT_FALSE(t.try_acquire(-5));
    EXPECT_EQ(g.check(-1).retry_after, ns(-1s));
    EXPECT_TRUE(g.try_acquire(2));
    EXPECT_TRUE(t.try_acquire(2));
    EXPECT_FALSE(g.try_acquire(1));
    EXPECT_FALSE(t.try_acquire(1));
}

TEST(RateLimiter, BadConfigNamesTheField) {
    try {
        gcra g({.rate = 0, .period = 1s, .burst_size = 1});
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.field(), "rate_limit.rate");
    }
    EXPECT_THROW(gcra({.rate = 1, .period = 0s, .burst_size = 1}), error);
    EXPECT_THROW(token_bucket({.rate = 1, .period = 1s, .burst_size = 0}), error);
    EXPECT_THROW(token_bucket({.rate = 1, .period = 1'000'000h, .burst_size = 1'000'000'000'000}), error);
}

TEST(RateLimiter, ConcurrentAcquiresNeverOverAdmit) {
    manual_clock clock;  // time stands still: exactly the burst may pass, whatever the interleaving
    rate_limiter<gcra, manual_clock> limiter(gcra({.rate = 1, .period = 1s, .burst_size = 1000}), clock);
    std::atomic<int> admitted{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 5000; ++i) admitted += limiter.try_acquire() ? 1 : 0;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(admitted.load(), 1000);
}

TEST(RateLimiter, CoarseClockIsMonotonicAndUsable) {
    const coarse_steady_clock clock;
    const auto a = clock.now();
    const auto b = clock.now();
    EXPECT_LE(a, b);
    rate_limiter<gcra, coarse_steady_clock> limiter(gcra({.rate = 10, .period = 1s, .burst_size = 3}), clock);
    EXPECT_TRUE(limiter.try_acquire(3));
    EXPECT_FALSE(limiter.try_acquire(3));  // 300 ms of refill cannot pass between two reads in practice
}

}  // namespace resilience_gcra_test
