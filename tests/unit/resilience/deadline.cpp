#include <agentkit/resilience/deadline.hpp>

#include <gtest/gtest.h>

#include <chrono>

namespace resilience_deadline_test {

using namespace agentkit;
using namespace agentkit::resilience;
using namespace std::chrono_literals;
using ns = std::chrono::nanoseconds;

TEST(Deadline, RemainingExpiredAndChildNeverLaterThanParent) {
    manual_clock clock;
    const auto parent = deadline<manual_clock>::after(clock, 10s);
    EXPECT_EQ(parent.remaining(clock.now()), ns(10s));
    EXPECT_FALSE(parent.expired(clock.now()));
    EXPECT_EQ(parent.child(clock.now(), 30s), parent);  // a callee asking for more gets what is left
    const auto child = parent.child(clock.now(), 2s);
    EXPECT_EQ(child.remaining(clock.now()), ns(2s));
    clock.advance(10s);
    EXPECT_TRUE(parent.expired(clock.now()));
    EXPECT_EQ(parent.remaining(clock.now()), ns(0));
    clock.advance(-20s);  // a clock jump backwards just means more time left
    EXPECT_EQ(parent.remaining(clock.now()), ns(20s));
}

TEST(Deadline, NeverAndSaturation) {
    manual_clock clock;
    const auto never = deadline<manual_clock>::never();
    EXPECT_TRUE(never.is_never());
    EXPECT_FALSE(never.expired(clock.now()));
    EXPECT_EQ(never.remaining(clock.now()), ns::max());
    EXPECT_TRUE(deadline<manual_clock>::after(clock, ns::max()).is_never());  // no overflow
    EXPECT_TRUE(deadline<manual_clock>::after(clock, ns(0)).expired(clock.now()));
    EXPECT_EQ(never.sooner(deadline<manual_clock>::after(clock, 1s)).remaining(clock.now()), ns(1s));
}

TEST(Deadline, GrpcTimeoutHeader) {
    manual_clock clock;
    EXPECT_EQ(deadline<manual_clock>::after(clock, 250us).grpc_timeout(clock.now()), "250000n");
    EXPECT_EQ(deadline<manual_clock>::after(clock, 250ms).grpc_timeout(clock.now()), "250000u");  // at most 8 digits
    EXPECT_EQ(deadline<manual_clock>::after(clock, 30s).grpc_timeout(clock.now()), "30000000u");
    EXPECT_EQ(deadline<manual_clock>::after(clock, 3h).grpc_timeout(clock.now()), "10800000m");
    EXPECT_EQ(deadline<manual_clock>::never().grpc_timeout(clock.now()), "");
}

}  // namespace resilience_deadline_test
