#include <agentkit/observe/counter.hpp>
#include <agentkit/observe/gauge.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <thread>
#include <vector>

namespace observe_counter_test {

namespace obs = agentkit::observe;

template <class Counter>
std::uint64_t hammer(Counter& c, int threads, std::uint64_t per_thread) {
    std::vector<std::thread> ts;
    for (int t = 0; t < threads; ++t)
        ts.emplace_back([&] {
            for (std::uint64_t i = 0; i < per_thread; ++i) c.increment();
        });
    for (auto& t : ts) t.join();
    return c.value();
}

TEST(CounterBasics, IncrementsByOneOrByN) {
    obs::counter c;
    EXPECT_EQ(c.value(), 0u);
    c.increment();
    c.increment(41);
    EXPECT_EQ(c.value(), 42u);
    c.reset();
    EXPECT_EQ(c.value(), 0u);
}

TEST(CounterConcurrency, ExactUnderTwoToFourThreads) {
    for (int threads : {2, 3, 4}) {
        obs::counter c;
        EXPECT_EQ(hammer(c, threads, 50'000), static_cast<std::uint64_t>(threads) * 50'000) << threads << " threads";
    }
}

TEST(StripedCounterConcurrency, ExactUnderTwoToFourThreads) {
    for (int threads : {2, 3, 4}) {
        obs::striped_counter<> c;
        EXPECT_EQ(hammer(c, threads, 50'000), static_cast<std::uint64_t>(threads) * 50'000) << threads << " threads";
    }
}

TEST(StripedCounterLayout, OneCacheLinePerStripe) {
    EXPECT_EQ(sizeof(obs::striped_counter<8>), 8 * 64u);
    EXPECT_EQ(sizeof(obs::striped_counter<1>), 64u);
    obs::striped_counter<4> c;
    c.increment(5);
    c.increment();
    EXPECT_EQ(c.value(), 6u);
    c.reset();
    EXPECT_EQ(c.value(), 0u);
}

TEST(GaugeBasics, SetAddSub) {
    obs::gauge g;
    EXPECT_EQ(g.value(), 0.0);
    g.set(10.5);
    g.add(2);
    g.sub(0.5);
    g.increment();
    g.decrement();
    g.decrement();
    EXPECT_DOUBLE_EQ(g.value(), 11.0);
    g.set(-3);
    EXPECT_EQ(g.value(), -3.0);
}

TEST(GaugeConcurrency, AddsFromFourThreadsAreAllKept) {
    obs::gauge g;
    std::vector<std::thread> ts;
    for (int t = 0; t < 4; ++t)
        ts.emplace_back([&, t] {
            for (int i = 0; i < 20'000; ++i) (t % 2) ? g.add(1.0) : g.add(2.0);
        });
    for (auto& t : ts) t.join();
    EXPECT_EQ(g.value(), 2 * 20'000 * 1.0 + 2 * 20'000 * 2.0);  // small integers: exact in a double
}

}  // namespace observe_counter_test
