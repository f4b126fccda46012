// tsc_clock: the ticks -> nanoseconds conversion on a manual tick source (deterministic), the rate limiters
// keeping their 1 % accuracy under 10x overload when their time comes through it, the fallback to
// steady_clock, and on this machine's real counter: monotonic reads that agree with steady_clock.
#include <agentkit/resilience/gcra.hpp>
#include <agentkit/resilience/rate_limiter.hpp>
#include <agentkit/resilience/token_bucket.hpp>
#include <agentkit/core/tsc_clock.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <string_view>
#include <utility>

namespace tsc_clock_test {

// A tick counter the test moves; copies share it (like manual_clock).
struct manual_ticks {
    std::shared_ptr<std::uint64_t> ticks = std::make_shared<std::uint64_t>(0);
    std::uint64_t operator()() const noexcept { return *ticks; }
};

constexpr double hz = 2'994'374'123.0;  // an odd frequency: the conversion is not exact

using clock_t_ = agentkit::basic_tsc_clock<manual_ticks>;

}  // namespace tsc_clock_test

TEST(TscClockConversion, TicksToNanoseconds) {
    using agentkit::tsc_calibration;
    const auto c = tsc_calibration::from_frequency(2.5e9, 1'000'000, 7'000'000'000);
    EXPECT_TRUE(c.precise);
    EXPECT_EQ(c.to_ns(1'000'000), 7'000'000'000);
    EXPECT_EQ(c.to_ns(1'000'000 + 2'500'000'000), 8'000'000'000);
    EXPECT_EQ(c.to_ns(1'000'000 - 2'500), 6'999'999'000);  // before the anchor (another CPU)
    // A year of ticks does not overflow.
    const std::uint64_t year = 2'500'000'000ull * 86400 * 365;
    EXPECT_EQ(c.to_ns(1'000'000 + year), 7'000'000'000 + 1'000'000'000ll * 86400 * 365);
    // Monotonic.
    const auto odd = tsc_calibration::from_frequency(tsc_clock_test::hz, 123, 0);
    std::mt19937_64 random(7);
    std::uint64_t t = 0;
    std::int64_t last = odd.to_ns(0);
    for (int i = 0; i < 100'000; ++i) {
        t += random() % 5000;
        const std::int64_t now = odd.to_ns(t);
        ASSERT_GE(now, last);
        last = now;
    }
}

// As the manual-clock tests of gcra.cpp, with the time going through the tick conversion. With burst 1
// GCRA has no tolerance: an arrival a nanosecond early waits a whole arrival interval, so that case uses a
// frequency where 100 us is a whole number of ticks (3 GHz); burst 200 runs at an odd frequency.
TEST(TscClockConversion, RateLimitersStayWithinOnePercentUnderTenTimesOverload) {
    using namespace std::chrono_literals;
    namespace r = agentkit::resilience;
    for (const auto& [burst, hz] : {std::pair<std::int64_t, double>{1, 3e9}, {200, tsc_clock_test::hz}}) {
        const tsc_clock_test::manual_ticks ticks;
        const tsc_clock_test::clock_t_ clock(agentkit::tsc_calibration::from_frequency(hz, 0, 0), ticks);
        const auto ticks_per_100us = static_cast<std::uint64_t>(hz / 10'000);
        r::rate_limiter<r::gcra, tsc_clock_test::clock_t_> by_gcra_limiter(
            r::gcra({.rate = 1000, .period = 1s, .burst_size = burst}), clock);
        r::rate_limiter<r::token_bucket, tsc_clock_test::clock_t_> bucket(
            r::token_bucket({.rate = 1000, .period = 1s, .burst_size = burst}), clock);
        std::int64_t by_gcra = 0, by_bucket = 0;
        for (int i = 0; i < 100'000; ++i) {  // 10 000/s offered for 10 s of (tick) time
            by_gcra += by_gcra_limiter.try_acquire() ? 1 : 0;
            by_bucket += bucket.try_acquire() ? 1 : 0;
            *ticks.ticks += ticks_per_100us;
        }
        const double seconds = static_cast<double>(*ticks.ticks) / hz;
        EXPECT_NEAR(static_cast<double>(by_gcra - burst) / seconds, 1000.0, 10.0)
            << "burst " << burst << " admitted " << by_gcra;
        EXPECT_NEAR(static_cast<double>(by_bucket - burst) / seconds, 1000.0, 10.0)
            << "burst " << burst << " admitted " << by_bucket;
        EXPECT_LE(by_gcra, 10'000 + burst);
    }
}

TEST(TscClockFallback, OffSwitchUsesSteadyClock) {
    namespace r = agentkit::resilience;
    const char* old = std::getenv("AGENTKIT_TSC_CLOCK");
    ::setenv("AGENTKIT_TSC_CLOCK", "off", 1);
    const agentkit::tsc_calibration c = agentkit::detail::calibrate_tsc();
    if (old)
        ::setenv("AGENTKIT_TSC_CLOCK", old, 1);
    else
        ::unsetenv("AGENTKIT_TSC_CLOCK");
    EXPECT_FALSE(c.precise);
    EXPECT_NE(std::string_view(c.reason).find("fallback"), std::string_view::npos);
    const agentkit::tsc_clock clock(c);
    const auto before = std::chrono::steady_clock::now().time_since_epoch();
    const auto t = clock.now().time_since_epoch();
    const auto after = std::chrono::steady_clock::now().time_since_epoch();
    EXPECT_GE(t, before);
    EXPECT_LE(t, after);
}

// The real counter of this machine (or the fallback, whichever calibration chose).
TEST(TscClockHardware, MonotonicAndAgreesWithSteadyClock) {
    namespace r = agentkit::resilience;
    const agentkit::tsc_clock clock;
    SCOPED_TRACE(agentkit::tsc_clock::calibration().reason);
    const auto s0 = std::chrono::steady_clock::now();
    const auto t0 = clock.now();
    auto last = t0;
    for (int i = 0; i < 200'000; ++i) {
        const auto t = clock.now();
        ASSERT_GE(t, last);
        last = t;
    }
    const auto t1 = clock.now();
    const auto s1 = std::chrono::steady_clock::now();
    const double by_tsc = static_cast<double>((t1 - t0).count());
    const double by_steady = static_cast<double>((s1 - s0).count());
    EXPECT_NEAR(by_tsc, by_steady, by_steady * 0.01 + 50'000.0);  // 1 % + 50 us of read jitter
    // Same epoch as steady_clock (anchored to it at calibration).
    const double offset = static_cast<double>(clock.now().time_since_epoch().count()) -
        static_cast<double>(std::chrono::steady_clock::now().time_since_epoch().count());
    EXPECT_LT(std::abs(offset), 1e9) << offset;
}
