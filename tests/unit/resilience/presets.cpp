#include <agentkit/resilience/presets.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <vector>

namespace resilience_presets_test {

using namespace agentkit;
using namespace agentkit::resilience;
using namespace std::chrono_literals;
using ns = std::chrono::nanoseconds;

std::vector<ns> delays_until_give_up(const presets::retry_profile& p) {
    manual_clock clock;
    auto r = presets::make_retry<no_jitter>(p, {}, clock);
    std::vector<ns> slept;
    (void)r.execute([](const attempt<manual_clock>&) -> outcome<int> { return failure::from_http(503); },
                    [&](ns d) { slept.push_back(d); });
    return slept;
}

TEST(Presets, SeedsRetryProfiles) {
    EXPECT_EQ(delays_until_give_up(presets::flynn_retry()), (std::vector<ns>{1s, 2s}));
    EXPECT_EQ(delays_until_give_up(presets::production_retry()), (std::vector<ns>{500ms, 750ms, 1125ms, 1687500us}));
    const default_classifier flynn(presets::flynn_retry().classifier);
    EXPECT_EQ(flynn.classify(failure::from_http(429, "rate_limit_exceeded")), verdict::stop);
    EXPECT_EQ(flynn.classify(failure::from_http(401, "invalid_api_key")), verdict::stop);
}

TEST(Presets, OpenAIClient) {
    const auto p = presets::openai_client_retry();
    EXPECT_EQ(delays_until_give_up(p), (std::vector<ns>{500ms, 1s}));
    manual_clock clock;
    auto r = presets::make_retry(p, downward_jitter{}, clock);
    std::mt19937_64 random(1);
    for (int i = 0; i < 1000; ++i) {
        const auto d = r.backoff().delay(5, {}, random);  // 8 s cap, x[0.75, 1]
        EXPECT_GE(d, ns(6s));
        EXPECT_LE(d, ns(8s));
    }
    const auto long_wait = r.decide(1, failure::from_http(429, "", ns(120s)), ns(0));
    EXPECT_TRUE(long_wait.retry);  // a Retry-After over 60 s is ignored, the backoff applies
    EXPECT_LE(long_wait.delay, ns(500ms));
    EXPECT_EQ(r.decide(1, failure::from_http(429, "", ns(30s)), ns(0)).delay, ns(30s));
    EXPECT_EQ(r.classifier().classify(failure::from_http(408)), verdict::retry);
}

TEST(Presets, GrpcConnectionBackoff) {
    const presets::grpc_backoff b(presets::grpc_connection_backoff().backoff, proportional_jitter(0.2));
    EXPECT_EQ(b.nominal(1), ns(1s));
    EXPECT_EQ(b.nominal(2), ns(1600ms));
    EXPECT_EQ(b.nominal(3), ns(2560ms));
    EXPECT_EQ(b.nominal(20), ns(120s));
    std::mt19937_64 random(2);
    for (int i = 0; i < 1000; ++i) {
        const auto d = b.delay(20, {}, random);
        EXPECT_GE(d, ns(96s));
        EXPECT_LE(d, ns(144s));
    }
}

TEST(Presets, Breakers) {
    const auto r4j = presets::resilience4j_breaker();
    EXPECT_EQ(r4j.failure_rate_threshold, 50.0);
    EXPECT_EQ(r4j.sliding_window_size, 100u);
    EXPECT_EQ(r4j.minimum_number_of_calls, 100u);
    EXPECT_EQ(r4j.wait_duration_in_open_state, 60000ms);
    EXPECT_EQ(r4j.permitted_number_of_calls_in_half_open_state, 10u);
    // Hystrix: 20 requests in 10 s at >= 50 % errors trip it; one trial after 5 s.
    manual_clock clock;
    circuit_breaker<manual_clock> h(presets::hystrix_breaker(), clock);
    for (int i = 0; i < 19; ++i) h.on_failure(1ms);
    EXPECT_EQ(h.state(), circuit_state::closed);
    h.on_success(1ms);
    EXPECT_EQ(h.state(), circuit_state::open);
    clock.advance(5s);
    EXPECT_TRUE(h.try_acquire_permission());
    EXPECT_FALSE(h.try_acquire_permission());
    h.on_success(1ms);
    EXPECT_EQ(h.state(), circuit_state::closed);
}

TEST(Presets, RateLimitsAndProviderConcurrency) {
    EXPECT_EQ(presets::caxton_global_rate_limit().rate, 10000);
    EXPECT_EQ(presets::caxton_per_ip_rate_limit().burst_size, 200);
    EXPECT_EQ(presets::victor_provider_bulkhead().max_concurrent_calls, 10u);
    EXPECT_EQ(presets::victor_provider_retry().retry.max_attempts, 4u);
}

}  // namespace resilience_presets_test
