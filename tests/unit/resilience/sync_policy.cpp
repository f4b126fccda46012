// spin_mutex as the Mutex policy of a shared breaker (its locking itself: tests/unit/core/sync.cpp).
#include <agentkit/core/clock.hpp>
#include <agentkit/resilience/circuit_breaker.hpp>
#include <agentkit/resilience/sync_policy.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

TEST(SpinMutexLocking, SharedBreakerCountsEveryOutcome) {
    using namespace std::chrono_literals;
    agentkit::manual_clock clock;
    agentkit::resilience::circuit_breaker_config c;
    c.sliding_window_size = 1'000'000;
    c.minimum_number_of_calls = 1'000'000;
    agentkit::resilience::circuit_breaker<agentkit::manual_clock, agentkit::resilience::spin_mutex> breaker(c, clock);
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 10'000; ++i) breaker.record(i % 4 == 0, 1ms);
        });
    for (auto& t : threads) t.join();
    const auto m = breaker.metrics();
    EXPECT_EQ(m.calls, 20'000u);
    EXPECT_EQ(m.failures, 5'000u);
    EXPECT_EQ(m.state, agentkit::resilience::circuit_state::closed);
}
