#include <agentkit/core/clock.hpp>
#include <agentkit/observe/log_linear_histogram.hpp>
#include <agentkit/observe/scoped_timer.hpp>

#include <gtest/gtest.h>

#include <chrono>

namespace observe_scoped_timer_test {

namespace obs = agentkit::observe;
using namespace std::chrono_literals;

TEST(ScopedTimerRecording, RecordsElapsedManualTimeAtScopeEnd) {
    agentkit::manual_clock clock;
    obs::latency_histogram h;
    {
        obs::scoped_timer t(h, clock);
        clock.advance(42ms);
        EXPECT_EQ(t.elapsed(), 42ms);
        EXPECT_EQ(h.snapshot().count(), 0u);
    }
    const auto s = h.snapshot();
    EXPECT_EQ(s.count(), 1u);
    EXPECT_EQ(s.sum_ticks(), 42'000'000u);
}

TEST(ScopedTimerRecording, StopRecordsOnceAndCancelRecordsNothing) {
    agentkit::manual_clock clock;
    obs::latency_histogram h;
    {
        obs::scoped_timer t(h, clock);
        clock.advance(5us);
        EXPECT_EQ(t.stop(), 5us);
        clock.advance(1s);
        (void)t.stop();
    }
    {
        obs::scoped_timer t(h, clock);
        clock.advance(1s);
        t.cancel();
    }
    const auto s = h.snapshot();
    EXPECT_EQ(s.count(), 1u);
    EXPECT_EQ(s.sum_ticks(), 5'000u);
}

TEST(ScopedTimerRecording, ClockJumpingBackwardsIsCountedInvalid) {
    agentkit::manual_clock clock(agentkit::manual_clock::time_point(10s));
    obs::latency_histogram h;
    {
        obs::scoped_timer t(h, clock);
        clock.set(agentkit::manual_clock::time_point(9s));
    }
    EXPECT_EQ(h.snapshot().count(), 0u);
    EXPECT_EQ(h.snapshot().invalid(), 1u);
}

TEST(ScopedTimerRecording, SteadyClockByDefault) {
    obs::latency_histogram h;
    { obs::scoped_timer t(h); }
    EXPECT_EQ(h.snapshot().count(), 1u);
}

}  // namespace observe_scoped_timer_test
