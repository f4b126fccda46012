#include <agentkit/resilience/retry_budget.hpp>

#include <gtest/gtest.h>

#include <chrono>

namespace resilience_retry_budget_test {

using namespace agentkit;
using namespace agentkit::resilience;
using namespace std::chrono_literals;

TEST(RetryBudget, FloorThenPercentOfRecentRequests) {
    manual_clock clock;
    retry_budget<manual_clock> budget({.ttl = 10000ms, .min_retries_per_sec = 1, .percent_can_retry = 0.2}, clock);
    int allowed = 0;
    while (budget.try_withdraw()) ++allowed;
    EXPECT_EQ(allowed, 10);  // the floor: 1/s over 10 s
    for (int i = 0; i < 100; ++i) budget.deposit();
    allowed = 0;
    while (budget.try_withdraw()) ++allowed;
    EXPECT_EQ(allowed, 20);  // 20 % of 100
}

TEST(RetryBudget, DepositsExpireAfterTheTtl) {
    manual_clock clock;
    retry_budget<manual_clock> budget({.ttl = 10000ms, .min_retries_per_sec = 0, .percent_can_retry = 0.5}, clock);
    for (int i = 0; i < 10; ++i) budget.deposit();
    EXPECT_DOUBLE_EQ(budget.balance(), 5.0);
    clock.advance(11s);
    EXPECT_DOUBLE_EQ(budget.balance(), 0.0);
    EXPECT_FALSE(budget.try_withdraw());
    clock.advance(-100s);  // a jump backwards forgets rather than double counts
    EXPECT_DOUBLE_EQ(budget.balance(), 0.0);
}

TEST(RetryBudget, BadConfig) {
    EXPECT_THROW(retry_budget<>({.ttl = 1ms, .min_retries_per_sec = 1, .percent_can_retry = 0.2}), error);
    EXPECT_THROW(retry_budget<>({.ttl = 1000ms, .min_retries_per_sec = -1, .percent_can_retry = 0.2}), error);
}

}  // namespace resilience_retry_budget_test
