// core/sleep.hpp: the sleep hook a config holds, the real sleeper, and a test's manual-clock sleeper.
#include <agentkit/core/clock.hpp>
#include <agentkit/core/sleep.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

using namespace agentkit;
using namespace std::chrono_literals;

TEST(Sleep, HookAdvancesAManualClockInsteadOfSleeping) {
    manual_clock clock;
    sleep_hook hook = [clock](std::chrono::nanoseconds d) mutable { clock.advance(d); };
    hook(250ms);
    hook(1s);
    EXPECT_EQ(clock.now().time_since_epoch(), 1250ms);
}

TEST(Sleep, ThreadSleeperWaitsAtLeastTheDuration) {
    const auto before = std::chrono::steady_clock::now();
    thread_sleeper{}(2ms);
    EXPECT_GE(std::chrono::steady_clock::now() - before, 2ms);  // sleep_for's guarantee, not a timing bound
}

TEST(Sleep, ConceptAcceptsCallablesOfNanoseconds) {
    static_assert(sleeper<thread_sleeper> && sleeper<sleep_hook>);
    auto record = [waits = std::vector<std::chrono::nanoseconds>{}](std::chrono::nanoseconds d) mutable {
        waits.push_back(d);
    };
    static_assert(sleeper<decltype(record)>);
    static_assert(!sleeper<int>);
    const sleep_hook by_default = thread_sleeper{};
    EXPECT_TRUE(static_cast<bool>(by_default));
}
