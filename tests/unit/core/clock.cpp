#include <agentkit/core/clock.hpp>

#include <gtest/gtest.h>

using namespace std::chrono_literals;

TEST(Clock, ManualClockMovesOnlyWhenToldAndCopiesShareTime) {
    agentkit::manual_clock clock;
    const auto copy = clock;
    const auto t0 = clock.now();
    EXPECT_EQ(clock.now(), t0);
    clock.advance(1500ms);
    EXPECT_EQ(copy.now() - t0, 1500ms);
    clock.set(t0 - 1s);  // clocks may jump back
    EXPECT_EQ(copy.now(), t0 - 1s);
}

TEST(Clock, RealClocksMoveForward) {
    agentkit::steady_clock steady;
    const auto a = steady.now();
    EXPECT_LE(a, steady.now());
    agentkit::system_clock wall;
    EXPECT_GT(wall.now().time_since_epoch().count(), 0);
}
