#include <agentkit/resilience/circuit_breaker.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <utility>
#include <vector>

namespace resilience_circuit_breaker_test {

using namespace agentkit;
using namespace agentkit::resilience;
using namespace std::chrono_literals;
using ns = std::chrono::nanoseconds;
using transitions = std::vector<std::pair<circuit_state, circuit_state>>;

circuit_breaker_config small_count_window() {
    circuit_breaker_config c;
    c.sliding_window_size = 10;
    c.minimum_number_of_calls = 5;
    c.permitted_number_of_calls_in_half_open_state = 2;
    c.wait_duration_in_open_state = 1000ms;
    return c;
}

TEST(CircuitBreaker, OpensAtTheFailureRateOnceMinimumCallsAreIn) {
    manual_clock clock;
    circuit_breaker<manual_clock> b(small_count_window(), clock);
    transitions seen;
    b.on_state_change([&](circuit_state from, circuit_state to) { seen.emplace_back(from, to); });
    for (int i = 0; i < 4; ++i) b.on_failure(1ms);  // 100 % failures, but only 4 calls
    EXPECT_EQ(b.state(), circuit_state::closed);
    EXPECT_EQ(b.metrics().failure_rate, -1.0);
    b.on_success(1ms);  // 5 calls, 80 % >= 50 %
    EXPECT_EQ(b.state(), circuit_state::open);
    EXPECT_EQ(seen, (transitions{{circuit_state::closed, circuit_state::open}}));
    EXPECT_FALSE(b.try_acquire_permission());
    EXPECT_EQ(b.metrics().not_permitted_calls, 1u);
}

TEST(CircuitBreaker, StaysClosedBelowTheThresholdAndTheWindowSlides) {
    manual_clock clock;
    circuit_breaker<manual_clock> b(small_count_window(), clock);
    for (int i = 0; i < 100; ++i) {  // 40 % failures, forever
        b.record(i % 5 >= 3, 1ms);
        ASSERT_EQ(b.state(), circuit_state::closed) << i;
    }
    EXPECT_EQ(b.metrics().calls, 10u);  // the last 10 calls only
    EXPECT_EQ(b.metrics().failures, 4u);
    for (int i = 0; i < 6; ++i) b.on_success(1ms);
    for (int i = 0; i < 4; ++i) b.on_failure(1ms);
    EXPECT_EQ(b.state(), circuit_state::closed);  // 4/10
    b.on_failure(1ms);                            // 5/10: the oldest success left
    EXPECT_EQ(b.state(), circuit_state::open);
}

TEST(CircuitBreaker, HalfOpenAfterTheWaitThenClosesOnSuccess) {
    manual_clock clock;
    circuit_breaker<manual_clock> b(small_count_window(), clock);
    transitions seen;
    b.on_state_change([&](circuit_state from, circuit_state to) { seen.emplace_back(from, to); });
    b.transition_to_open();
    clock.advance(999ms);
    EXPECT_FALSE(b.try_acquire_permission());
    clock.advance(1ms);
    EXPECT_TRUE(b.try_acquire_permission());  // half-open: 2 trial calls
    EXPECT_TRUE(b.try_acquire_permission());
    EXPECT_FALSE(b.try_acquire_permission());
    EXPECT_EQ(b.state(), circuit_state::half_open);
    b.on_success(1ms);
    b.on_success(1ms);
    EXPECT_EQ(b.state(), circuit_state::closed);
    EXPECT_EQ(b.metrics().calls, 0u);  // a fresh window
    EXPECT_EQ(seen,
              (transitions{{circuit_state::closed, circuit_state::open},
                           {circuit_state::open, circuit_state::half_open},
                           {circuit_state::half_open, circuit_state::closed}}));
}

TEST(CircuitBreaker, HalfOpenReopensOnFailures) {
    manual_clock clock;
    circuit_breaker<manual_clock> b(small_count_window(), clock);
    b.transition_to_open();
    clock.advance(1s);
    ASSERT_TRUE(b.try_acquire_permission());
    ASSERT_TRUE(b.try_acquire_permission());
    b.on_success(1ms);
    b.on_failure(1ms);  // 50 % of the trials
    EXPECT_EQ(b.state(), circuit_state::open);
    EXPECT_FALSE(b.try_acquire_permission());
    clock.advance(1s);
    EXPECT_TRUE(b.try_acquire_permission());
}

TEST(CircuitBreaker, SlowCallsTripToo) {
    manual_clock clock;
    auto c = small_count_window();
    c.slow_call_rate_threshold = 50;
    c.slow_call_duration_threshold = 2000ms;
    circuit_breaker<manual_clock> b(c, clock);
    for (int i = 0; i < 4; ++i) b.on_success(1ms);
    EXPECT_EQ(b.state(), circuit_state::closed);
    for (int i = 0; i < 4; ++i) b.on_success(3s);  // successful, but slow: 4/8
    EXPECT_EQ(b.state(), circuit_state::open);
}

TEST(CircuitBreaker, TimeBasedWindowForgetsOldSeconds) {
    manual_clock clock;
    circuit_breaker_config c;
    c.sliding_window_type = window_kind::time_based;
    c.sliding_window_size = 10;  // seconds
    c.minimum_number_of_calls = 20;
    circuit_breaker<manual_clock> b(c, clock);
    for (int i = 0; i < 15; ++i) b.on_failure(1ms);
    clock.advance(11s);  // those failures are out of the window now
    for (int i = 0; i < 15; ++i) b.on_success(1ms);
    EXPECT_EQ(b.metrics().calls, 15u);
    EXPECT_EQ(b.state(), circuit_state::closed);
    for (int i = 0; i < 10; ++i) {
        clock.advance(500ms);
        b.on_failure(1ms);
    }
    EXPECT_EQ(b.metrics().calls, 25u);  // 15 + 10 within the last 10 s: 40 %
    EXPECT_EQ(b.state(), circuit_state::closed);
    for (int i = 0; i < 3; ++i) b.on_failure(1ms);  // 13 / 28 = 46 %
    EXPECT_EQ(b.state(), circuit_state::closed);
    b.on_failure(1ms);
    b.on_failure(1ms);  // 15 / 30 = 50 %
    EXPECT_EQ(b.state(), circuit_state::open);
}

TEST(CircuitBreaker, ClockJumps) {
    manual_clock clock(manual_clock::time_point(1000s));
    circuit_breaker<manual_clock> b(small_count_window(), clock);
    b.transition_to_open();
    clock.set(manual_clock::time_point(10s));  // backwards: wait the full duration from here, not 990 s
    EXPECT_FALSE(b.try_acquire_permission());
    clock.advance(1s);
    EXPECT_TRUE(b.try_acquire_permission());

    circuit_breaker_config c;
    c.sliding_window_type = window_kind::time_based;
    c.sliding_window_size = 5;
    c.minimum_number_of_calls = 4;
    circuit_breaker<manual_clock> t(c, clock);
    t.on_failure(1ms);
    clock.set(manual_clock::time_point(0s));  // backwards within a time window: still counted together
    t.on_success(1ms);
    t.on_success(1ms);
    t.on_success(1ms);
    EXPECT_EQ(t.metrics().calls, 4u);
    clock.set(manual_clock::time_point(100'000s));
    t.on_success(1ms);
    EXPECT_EQ(t.metrics().calls, 1u);
}

TEST(CircuitBreaker, ExecuteTimesAndFiltersFailures) {
    manual_clock clock;
    auto c = small_count_window();
    circuit_breaker<manual_clock, std::mutex> b(c, clock);
    auto client_error = [] { return outcome<int>(failure::from_http(400)); };
    auto server_error = [] { return outcome<int>(failure::from_http(503)); };
    auto only_server_faults = [](const failure& f) { return f.http_status >= 500 || f.http_status == 0; };
    for (int i = 0; i < 10; ++i) EXPECT_FALSE(b.execute(client_error, only_server_faults).has_value());
    EXPECT_EQ(b.state(), circuit_state::closed);  // 400s are the caller's fault
    for (int i = 0; i < 5; ++i) (void)b.execute(server_error, only_server_faults);
    EXPECT_EQ(b.state(), circuit_state::open);
    auto refused = b.execute([] { return outcome<int>(1); });
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, make_error_code(errc::unavailable));
}

TEST(CircuitBreaker, BadConfigNamesTheField) {
    circuit_breaker_config c;
    c.failure_rate_threshold = 0;
    try {
        circuit_breaker<> b(c);
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.field(), "circuit_breaker.failure_rate_threshold");
    }
    c = {};
    c.sliding_window_size = 0;
    EXPECT_THROW(circuit_breaker<>{c}, error);
    c = {};
    c.permitted_number_of_calls_in_half_open_state = 0;
    EXPECT_THROW(circuit_breaker<>{c}, error);
}

}  // namespace resilience_circuit_breaker_test
