#include <agentkit/resilience/backoff.hpp>
#include <agentkit/resilience/retry.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace resilience_retry_test {

using namespace agentkit;
using namespace agentkit::resilience;
using namespace std::chrono_literals;
using ns = std::chrono::nanoseconds;

// A scripted operation: returns the failures it is given, then a value.
struct scripted_op {
    explicit scripted_op(std::vector<failure> f) : failures(std::move(f)) {}
    std::vector<failure> failures;
    int calls = 0;
    std::vector<std::uint32_t> attempts;
    outcome<std::string> operator()(const attempt<manual_clock>& a) {
        attempts.push_back(a.number);
        if (static_cast<std::size_t>(calls) < failures.size()) return failures[static_cast<std::size_t>(calls++)];
        ++calls;
        return std::string("ok");
    }
};
// Sleeps by moving the manual clock; records what it was asked.
struct clock_sleeper {
    mutable manual_clock clock;
    std::vector<ns>* slept;
    void operator()(ns d) const {
        slept->push_back(d);
        clock.advance(d);
    }
};
struct recording_hooks {
    int attempts = 0, retries = 0, successes = 0;
    give_up_reason reason = give_up_reason::none;
    void on_attempt(std::uint32_t) { ++attempts; }
    void on_retry(std::uint32_t, ns, const failure&) { ++retries; }
    void on_give_up(give_up_reason r, const failure&) { reason = r; }
    void on_success(std::uint32_t) { ++successes; }
};
using flynn_retry = retry<exponential_backoff<>, default_classifier, manual_clock>;

TEST(Retry, RetriesTransientFailuresWithBackoffThenSucceeds) {
    manual_clock clock;
    flynn_retry r(retry_config{}, {}, {}, clock);
    scripted_op op{std::vector<failure>{failure::from_http(503), failure::from_http(429)}};
    std::vector<ns> slept;
    recording_hooks hooks;
    auto o = r.execute(op, clock_sleeper{clock, &slept}, hooks);
    ASSERT_TRUE(o.has_value());
    EXPECT_EQ(o.value(), "ok");
    EXPECT_EQ(op.attempts, (std::vector<std::uint32_t>{1, 2, 3}));
    EXPECT_EQ(slept, (std::vector<ns>{1s, 2s}));
    EXPECT_EQ(hooks.attempts, 3);
    EXPECT_EQ(hooks.retries, 2);
    EXPECT_EQ(hooks.successes, 1);
    EXPECT_EQ(clock.now().time_since_epoch(), ns(3s));
}

TEST(Retry, StopsAtMaxAttempts) {
    manual_clock clock;
    flynn_retry r(retry_config{.max_attempts = 3}, {}, {}, clock);
    scripted_op op{std::vector<failure>{failure::from_http(500), failure::from_http(500), failure::from_http(502),
                                        failure::from_http(500)}};
    std::vector<ns> slept;
    recording_hooks hooks;
    auto o = r.execute(op, clock_sleeper{clock, &slept}, hooks);
    ASSERT_FALSE(o.has_value());
    EXPECT_EQ(o.error().http_status, 502);
    EXPECT_EQ(op.calls, 3);
    EXPECT_EQ(hooks.reason, give_up_reason::attempts_exhausted);
}

TEST(Retry, OneAttemptMeansNoRetryAndZeroIsRejected) {
    manual_clock clock;
    flynn_retry once(retry_config{.max_attempts = 1}, {}, {}, clock);
    scripted_op op{std::vector<failure>{failure::from_http(503)}};
    std::vector<ns> slept;
    EXPECT_FALSE(once.execute(op, clock_sleeper{clock, &slept}).has_value());
    EXPECT_EQ(op.calls, 1);
    EXPECT_TRUE(slept.empty());
    try {
        flynn_retry zero(retry_config{.max_attempts = 0}, {}, {}, clock);
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.field(), "retry.max_attempts");
    }
}

TEST(Retry, ClassifierStopsOnClientErrorsAndNonRetryablePatterns) {
    manual_clock clock;
    flynn_retry r(retry_config{}, {}, {}, clock);
    std::vector<ns> slept;
    for (const failure& f : {failure::from_http(400), failure::from_http(401), failure::from_http(404),
                             failure::from_http(503, R"({"error":{"code":"invalid_api_key"}})"),
                             failure::from_errc(errc::invalid_argument)}) {
        scripted_op op{std::vector<failure>{f}};
        recording_hooks hooks;
        EXPECT_FALSE(r.execute(op, clock_sleeper{clock, &slept}, hooks).has_value());
        EXPECT_EQ(op.calls, 1);
        EXPECT_EQ(hooks.reason, give_up_reason::not_retryable);
    }
    EXPECT_TRUE(slept.empty());
}

TEST(Retry, RetryAfterLengthensTheWaitWithinMaxDelay) {
    manual_clock clock;
    flynn_retry r(retry_config{}, {}, {}, clock);
    std::vector<ns> slept;
    scripted_op op{std::vector<failure>{failure::from_http(429, "", ns(7s)), failure::from_http(429, "", ns(100ms))}};
    ASSERT_TRUE(r.execute(op, clock_sleeper{clock, &slept}).has_value());
    EXPECT_EQ(slept, (std::vector<ns>{7s, 2s}));  // 7 s > 1 s backoff; 100 ms < 2 s backoff
}

TEST(Retry, RetryAfterLargerThanMaxGivesUpOrClamps) {
    manual_clock clock;
    std::vector<ns> slept;
    {
        flynn_retry r(retry_config{.max_delay = 30000ms}, {}, {}, clock);
        scripted_op op{std::vector<failure>{failure::from_http(429, "", ns(3600s))}};
        recording_hooks hooks;
        EXPECT_FALSE(r.execute(op, clock_sleeper{clock, &slept}, hooks).has_value());
        EXPECT_EQ(hooks.reason, give_up_reason::retry_after_too_long);
        EXPECT_TRUE(slept.empty());
    }
    {
        flynn_retry r(retry_config{.max_delay = 30000ms, .on_long_retry_after = long_retry_after::clamp}, {}, {},
                      clock);
        scripted_op op{std::vector<failure>{failure::from_http(429, "", ns(3600s))}};
        EXPECT_TRUE(r.execute(op, clock_sleeper{clock, &slept}).has_value());
        EXPECT_EQ(slept, (std::vector<ns>{30s}));
    }
    {
        flynn_retry r(retry_config{.honor_retry_after = false}, {}, {}, clock);
        scripted_op op{std::vector<failure>{failure::from_http(429, "", ns(3600s))}};
        slept.clear();
        EXPECT_TRUE(r.execute(op, clock_sleeper{clock, &slept}).has_value());
        EXPECT_EQ(slept, (std::vector<ns>{1s}));
    }
}

TEST(Retry, BackoffIsClampedToMaxDelay) {
    manual_clock clock;
    retry<constant_backoff<>, default_classifier, manual_clock> r(retry_config{.max_delay = 500ms},
                                                                  constant_backoff<>({.delay = 10000ms}), {}, clock);
    std::vector<ns> slept;
    scripted_op op{std::vector<failure>{failure::from_http(503)}};
    EXPECT_TRUE(r.execute(op, clock_sleeper{clock, &slept}).has_value());
    EXPECT_EQ(slept, (std::vector<ns>{500ms}));
}

TEST(Retry, OverallDeadlineStopsBeforeAWaitThatWouldPassIt) {
    manual_clock clock;
    flynn_retry r(retry_config{.max_attempts = 10, .timeout = 5000ms}, {}, {}, clock);
    std::vector<ns> slept;
    std::vector<failure> many(10, failure::from_http(503));
    scripted_op op{many};
    recording_hooks hooks;
    EXPECT_FALSE(r.execute(op, clock_sleeper{clock, &slept}, hooks).has_value());
    // waits 1 s, 2 s (t = 3 s); the next wait of 4 s would pass the 5 s deadline: give up now.
    EXPECT_EQ(slept, (std::vector<ns>{1s, 2s}));
    EXPECT_EQ(hooks.reason, give_up_reason::deadline);
}

TEST(Retry, CallersDeadlineIsPropagatedToEachAttempt) {
    manual_clock clock;
    flynn_retry r(retry_config{.timeout = 60000ms}, {}, {}, clock);
    const auto parent = deadline<manual_clock>::after(clock, 10s);
    std::vector<deadline<manual_clock>> seen;
    std::vector<ns> slept;
    auto o = r.execute(
        [&](const attempt<manual_clock>& a) -> outcome<int> {
            seen.push_back(a.deadline);
            if (a.number == 1) return failure::from_errc(errc::timeout);
            return 1;
        },
        clock_sleeper{clock, &slept}, no_hooks{}, parent);
    ASSERT_TRUE(o.has_value());
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0], parent);  // the sooner of the caller's 10 s and our 60 s
    EXPECT_EQ(seen[1].remaining(clock.now()), ns(9s));
}

TEST(Retry, ClockJumpPastTheDeadlineStopsBeforeTheNextAttempt) {
    manual_clock clock;
    flynn_retry r(retry_config{.max_attempts = 5, .timeout = 10000ms}, {}, {}, clock);
    int calls = 0;
    recording_hooks hooks;
    auto o = r.execute(
        [&](const attempt<manual_clock>&) -> outcome<int> {
            ++calls;
            return failure::from_errc(errc::unavailable);
        },
        [&](ns) { clock.advance(1h); },  // the wall jumped while we slept
        hooks);
    EXPECT_FALSE(o.has_value());
    EXPECT_EQ(o.error().code, make_error_code(errc::timeout));
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(hooks.reason, give_up_reason::deadline);
}

TEST(Retry, BudgetBoundsRetriesDuringAnOutage) {
    manual_clock clock;
    retry_budget<manual_clock> budget({.ttl = 10000ms, .min_retries_per_sec = 0, .percent_can_retry = 0.2}, clock);
    retry<constant_backoff<>, retry_everything, manual_clock> r(retry_config{.max_attempts = 3},
                                                                constant_backoff<>({.delay = 0ms}), {}, clock, &budget);
    int calls = 0;
    for (int i = 0; i < 1000; ++i) {
        (void)r.execute(
            [&](const attempt<manual_clock>&) -> outcome<int> {
                ++calls;
                return failure::from_errc(errc::unavailable);
            },
            [](ns) {});
        clock.advance(1ms);
    }
    // Without the budget: 3000 calls. With it: 1000 first attempts + at most 20 % retries.
    EXPECT_LE(calls, 1200);
    EXPECT_GE(calls, 1190);
}

TEST(Retry, DecideIsThePolicyAlone) {
    manual_clock clock;
    flynn_retry r(retry_config{.seed = 99}, {}, {}, clock);
    const auto d = r.decide(1, failure::from_http(503), ns(0));
    EXPECT_TRUE(d.retry);
    EXPECT_EQ(d.delay, ns(1s));
    const auto stop = r.decide(3, failure::from_http(503), ns(2s));
    EXPECT_FALSE(stop.retry);
    EXPECT_EQ(stop.reason, give_up_reason::attempts_exhausted);
    EXPECT_STREQ(to_string(stop.reason), "attempts exhausted");
}

}  // namespace resilience_retry_test
