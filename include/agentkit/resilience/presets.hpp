#pragma once
// Ready-made configurations: the seeds' retry profiles, the defaults of the libraries users come from
// (resilience4j, Hystrix, gRPC, the OpenAI client) and the seeds' rate limits and provider concurrency.
//   auto r = presets::make_retry<full_jitter>(presets::flynn_retry());
//   circuit_breaker<> b(presets::hystrix_breaker());
#include <agentkit/core/clock.hpp>
#include <agentkit/resilience/backoff.hpp>
#include <agentkit/resilience/bulkhead.hpp>
#include <agentkit/resilience/circuit_breaker.hpp>
#include <agentkit/resilience/classifier.hpp>
#include <agentkit/resilience/gcra.hpp>
#include <agentkit/resilience/retry.hpp>
#include <agentkit/resilience/token_bucket.hpp>

#include <chrono>

namespace agentkit::resilience::presets {

using namespace std::chrono_literals;

// A retry profile: the retry's limits, the exponential backoff's curve and the classifier's patterns.
struct retry_profile {
    retry_config retry;
    exponential_backoff_config backoff;
    default_classifier::config classifier;
};

// Flynn's router retry: maxAttempts 3, initialDelayMs 1000, multiplier 2, maxDelayMs 30000,
// nonRetryablePatterns [invalid_api_key, permission_denied, rate_limit_exceeded].
inline retry_profile flynn_retry() {
    retry_profile p;
    p.retry.max_attempts = 3;
    p.retry.max_delay = 30000ms;
    p.backoff = {.initial_delay = 1000ms, .multiplier = 2.0, .max_delay = 30000ms};
    p.classifier.non_retryable_patterns = {"invalid_api_key", "permission_denied", "rate_limit_exceeded"};
    return p;
}

// Flynn's "production reliability" profile: maxAttempts 5, initialDelayMs 500, multiplier 1.5, maxDelayMs 60000.
inline retry_profile production_retry() {
    retry_profile p = flynn_retry();
    p.retry.max_attempts = 5;
    p.retry.max_delay = 60000ms;
    p.backoff = {.initial_delay = 500ms, .multiplier = 1.5, .max_delay = 60000ms};
    return p;
}

// The OpenAI Python client: max_retries 2 (3 attempts), 0.5 s doubling to 8 s, jitter x[0.75, 1]
// (downward_jitter), retries 408/409/429/5xx, honours Retry-After up to 60 s and ignores longer ones.
inline retry_profile openai_client_retry() {
    retry_profile p;
    p.retry.max_attempts = 3;
    p.retry.max_delay = 60000ms;
    p.retry.on_long_retry_after = long_retry_after::ignore;
    p.backoff = {.initial_delay = 500ms, .multiplier = 2.0, .max_delay = 8000ms};
    p.classifier.non_retryable_patterns = {};
    p.classifier.retryable_statuses = {408, 409, 429};
    for (int s = 500; s < 600; ++s) p.classifier.retryable_statuses.push_back(s);
    return p;
}
using openai_backoff = exponential_backoff<downward_jitter>;

// gRPC connection backoff: 1 s initial, x1.6, jitter +-20 %, 120 s max (before jitter). gRPC reconnects
// until told to stop, so the profile does not limit attempts.
inline retry_profile grpc_connection_backoff() {
    retry_profile p;
    p.retry.max_attempts = 0xFFFFFFFFu;
    p.retry.max_delay = 144000ms;  // 120 s + 20 % jitter
    p.backoff = {.initial_delay = 1000ms, .multiplier = 1.6, .max_delay = 120000ms};
    p.classifier.non_retryable_patterns = {};
    return p;
}
using grpc_backoff = exponential_backoff<proportional_jitter>;

// A retry from a profile, with the jitter of your choice (full_jitter unless you know better).
template <jitter_policy Jitter = full_jitter, clock_policy Clock = steady_clock>
retry<exponential_backoff<Jitter>, default_classifier, Clock> make_retry(const retry_profile& p, Jitter jitter = {},
                                                                         Clock clock = {},
                                                                         retry_budget<Clock>* budget = nullptr) {
    return retry<exponential_backoff<Jitter>, default_classifier, Clock>(
        p.retry, exponential_backoff<Jitter>(p.backoff, jitter), default_classifier(p.classifier), clock, budget);
}

// resilience4j's CircuitBreakerConfig defaults: 50 % failures, 100 % slow calls over 60 s, count window of
// 100 calls, minimum 100 calls, 60 s open, 10 calls in half-open.
inline circuit_breaker_config resilience4j_breaker() { return circuit_breaker_config{}; }

// Hystrix's defaults: errorThresholdPercentage 50 over a 10 s rolling window (10 buckets),
// requestVolumeThreshold 20, sleepWindowInMilliseconds 5000, one trial request; no slow-call rule.
inline circuit_breaker_config hystrix_breaker() {
    circuit_breaker_config c;
    c.failure_rate_threshold = 50.0;
    c.sliding_window_type = window_kind::time_based;
    c.sliding_window_size = 10;
    c.minimum_number_of_calls = 20;
    c.wait_duration_in_open_state = 5000ms;
    c.permitted_number_of_calls_in_half_open_state = 1;
    c.slow_call_rate_threshold = 100.0;
    c.slow_call_duration_threshold = std::chrono::milliseconds(std::chrono::hours(24 * 365));  // off
    return c;
}

// Caxton's gateway rate limits: global_rate 10000/s, per_ip_rate 100/s, burst_size 200.
inline token_bucket::config caxton_global_rate_limit() { return {.rate = 10000, .period = 1s, .burst_size = 200}; }
inline gcra::config caxton_per_ip_rate_limit() { return {.rate = 100, .period = 1s, .burst_size = 200}; }

// Victor's provider settings: <provider>_concurrent_requests 10, <provider>_timeout 30 s, max_retries 3.
inline bulkhead::config victor_provider_bulkhead() {
    return {.max_concurrent_calls = 10, .max_wait_queue = 100, .max_wait_duration = 30000ms};
}
inline retry_profile victor_provider_retry() {
    retry_profile p = flynn_retry();
    p.retry.max_attempts = 4;  // max_retries 3
    p.classifier.non_retryable_patterns = {"invalid_api_key", "permission_denied"};
    return p;
}

}  // namespace agentkit::resilience::presets
