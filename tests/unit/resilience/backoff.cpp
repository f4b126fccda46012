#include <agentkit/agent/agent.hpp>
#include <agentkit/resilience/backoff.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <random>

namespace resilience_backoff_test {

using namespace agentkit::resilience;
using namespace std::chrono_literals;
using ns = std::chrono::nanoseconds;

TEST(Backoff, ExponentialWithoutJitterDoublesUpToTheCap) {
    const exponential_backoff<> b;  // the seeds' defaults: 1 s, x2, 30 s
    std::mt19937_64 random(1);
    EXPECT_EQ(b.delay(0, {}, random), ns(0));  // the first call does not wait
    EXPECT_EQ(b.delay(1, {}, random), ns(1s));
    EXPECT_EQ(b.delay(2, {}, random), ns(2s));
    EXPECT_EQ(b.delay(3, {}, random), ns(4s));
    EXPECT_EQ(b.delay(5, {}, random), ns(16s));
    EXPECT_EQ(b.delay(6, {}, random), ns(30s));  // 32 s clamped
    EXPECT_EQ(b.delay(7, {}, random), ns(30s));
}

TEST(Backoff, MultiplierPowerNeverOverflows) {
    const exponential_backoff<> b({.initial_delay = 500ms, .multiplier = 1.5, .max_delay = 60000ms});
    std::mt19937_64 random(1);
    EXPECT_EQ(b.delay(2, {}, random), ns(750ms));
    EXPECT_EQ(b.delay(3, {}, random), ns(1125ms));
    for (std::uint32_t a : {64u, 1000u, 100000u, 0xFFFFFFFFu}) EXPECT_EQ(b.delay(a, {}, random), ns(60s)) << a;
    const exponential_backoff<> huge({.initial_delay = 1ms, .multiplier = 1e300, .max_delay = 5000ms});
    EXPECT_EQ(huge.delay(3, {}, random), ns(5s));  // 1e600 is inf in double: clamped, not UB
    EXPECT_EQ(huge.delay(0xFFFFFFFFu, {}, random), ns(5s));
}

TEST(Backoff, ConstantAndLinear) {
    std::mt19937_64 random(1);
    const constant_backoff<> c({.delay = 250ms});
    EXPECT_EQ(c.delay(1, {}, random), ns(250ms));
    EXPECT_EQ(c.delay(99, {}, random), ns(250ms));
    const linear_backoff<> l({.initial_delay = 100ms, .increment = 200ms, .max_delay = 1000ms});
    EXPECT_EQ(l.delay(1, {}, random), ns(100ms));
    EXPECT_EQ(l.delay(2, {}, random), ns(300ms));
    EXPECT_EQ(l.delay(5, {}, random), ns(900ms));
    EXPECT_EQ(l.delay(6, {}, random), ns(1000ms));
    EXPECT_EQ(l.delay(0xFFFFFFFFu, {}, random), ns(1000ms));  // increment * attempt would overflow int64
}

TEST(Backoff, FullJitterStaysWithinZeroAndNominalAndIsSeeded) {
    const exponential_backoff<full_jitter> b({.initial_delay = 100ms, .multiplier = 2, .max_delay = 1000ms});
    std::mt19937_64 r1(42), r2(42);
    double sum = 0;
    for (int i = 0; i < 10000; ++i) {
        const auto d = b.delay(3, {}, r1);
        EXPECT_GE(d, ns(0));
        EXPECT_LE(d, ns(400ms));
        EXPECT_EQ(d, b.delay(3, {}, r2));  // same seed, same delays
        sum += static_cast<double>(d.count());
    }
    EXPECT_NEAR(sum / 10000 / 1e6, 200.0, 5.0);  // mean of uniform(0, 400 ms)
}

TEST(Backoff, EqualJitterNeverBelowHalf) {
    const exponential_backoff<equal_jitter> b({.initial_delay = 100ms, .multiplier = 2, .max_delay = 1000ms});
    std::mt19937_64 random(7);
    for (int i = 0; i < 10000; ++i) {
        const auto d = b.delay(4, {}, random);  // nominal 800 ms
        EXPECT_GE(d, ns(400ms));
        EXPECT_LE(d, ns(800ms));
    }
}

TEST(Backoff, DecorrelatedJitterGrowsFromThePreviousSleepAndIsCapped) {
    const exponential_backoff<decorrelated_jitter> b({.initial_delay = 5ms, .multiplier = 2, .max_delay = 2000ms});
    std::mt19937_64 random(3);
    for (int i = 0; i < 10000; ++i) {
        const auto first = b.delay(1, {}, random);  // previous 0: uniform(5 ms, 15 ms)
        EXPECT_GE(first, ns(5ms));
        EXPECT_LE(first, ns(15ms));
        const auto next = b.delay(2, 100ms, random);  // uniform(5 ms, 300 ms)
        EXPECT_GE(next, ns(5ms));
        EXPECT_LE(next, ns(300ms));
        EXPECT_LE(b.delay(9, 1900ms, random), ns(2000ms));  // uniform(5 ms, 5.7 s) clamped to the cap
    }
    EXPECT_LE(b.delay(2, ns::max(), random), ns(2000ms));  // 3 * previous saturates
}

TEST(Backoff, ProportionalJitterIsGrpcsPlusMinusTwentyPercent) {
    const exponential_backoff<proportional_jitter> b(
        {.initial_delay = 1000ms, .multiplier = 1.6, .max_delay = 120000ms});
    std::mt19937_64 random(5);
    for (int i = 0; i < 10000; ++i) {
        const auto d = b.delay(2, {}, random);  // nominal 1.6 s
        EXPECT_GE(d, ns(1280ms));
        EXPECT_LE(d, ns(1920ms));
    }
    EXPECT_THROW(proportional_jitter(1.5), agentkit::error);
}

TEST(Backoff, BadConfigNamesTheField) {
    try {
        exponential_backoff<> b({.initial_delay = 1000ms, .multiplier = 0.5, .max_delay = 30000ms});
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "retry.multiplier");
    }
    EXPECT_THROW(exponential_backoff<>({.initial_delay = 10ms, .multiplier = 2, .max_delay = 1ms}), agentkit::error);
    EXPECT_THROW(constant_backoff<>({.delay = -1ms}), agentkit::error);
    EXPECT_THROW(linear_backoff<>({.initial_delay = 1ms, .increment = -1ms, .max_delay = 10ms}), agentkit::error);
}

TEST(Backoff, AnyUniformRandomBitGeneratorWorks) {
    const exponential_backoff<full_jitter> b({.initial_delay = 100ms, .multiplier = 2, .max_delay = 1000ms});
    std::minstd_rand small(9);  // 31-bit engine: the generic path
    for (int i = 0; i < 1000; ++i) EXPECT_LE(b.delay(2, {}, small), ns(200ms));
}

TEST(Backoff, FitsTheAgentsRetrySlot) {
    using a = agentkit::agent<agentkit::with_retry<exponential_backoff<full_jitter>>>;
    static_assert(a::has_retry);
    a agent;
    std::mt19937_64 random(1);
    EXPECT_LE(agent.retry().backoff().delay(1, {}, random), ns(1s));  // held by the slot's complete retry policy
    static_assert(sizeof(exponential_backoff<full_jitter>) == sizeof(exponential_backoff<full_jitter>::config));
}

}  // namespace resilience_backoff_test
