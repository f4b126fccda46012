#pragma once
// Seed keys of the resilience layer (Flynn's models.router.retry block; resilience4j's breaker names;
// Victor's per-provider concurrency):
//   retry.maxAttempts / maxDelayMs / timeoutMs / honorRetryAfter / onLongRetryAfter -> resilience::retry_config
//   retry.initialDelayMs / multiplier (/ maxDelayMs)                                -> exponential_backoff_config
//   retry.nonRetryablePatterns / retryableStatuses                                  -> default_classifier::config
//   circuitBreaker.*                                                                -> circuit_breaker_config
//   bulkhead.maxConcurrentCalls / maxWaitQueue / maxWaitDurationMs                  -> bulkhead::config
// maxDelayMs is one knob in the seeds; it fills both retry_config and the backoff's cap (see model_keys.hpp).
#include <agentkit/config/reader.hpp>
#include <agentkit/resilience/backoff.hpp>
#include <agentkit/resilience/bulkhead.hpp>
#include <agentkit/resilience/circuit_breaker.hpp>
#include <agentkit/resilience/classifier.hpp>
#include <agentkit/resilience/retry.hpp>

#include <cstdint>

namespace agentkit::config {

inline constexpr enum_word<resilience::long_retry_after> long_retry_after_words[] = {
    {"give_up", resilience::long_retry_after::give_up},
    {"clamp", resilience::long_retry_after::clamp},
    {"ignore", resilience::long_retry_after::ignore},
};

// The retry block of the seeds spans three of our structs; this view holds them together.
struct retry_keys {
    resilience::retry_config& retry;
    resilience::exponential_backoff_config& backoff;
    resilience::default_classifier::config& classifier;
};

template <class V>
void visit(V& v, retry_keys c) {
    v.integer("maxAttempts", c.retry.max_attempts, std::uint32_t{1}, std::uint32_t{1000});
    v.duration("initialDelayMs", c.backoff.initial_delay);
    v.number("multiplier", c.backoff.multiplier, 1.0, 1000.0);
    v.duration("maxDelayMs", c.retry.max_delay);
    if constexpr (V::loading) c.backoff.max_delay = c.retry.max_delay;  // one knob, two owners
    v.duration("timeoutMs", c.retry.timeout);
    v.boolean("honorRetryAfter", c.retry.honor_retry_after);
    v.enumeration("onLongRetryAfter", c.retry.on_long_retry_after, long_retry_after_words);
    v.integer("seed", c.retry.seed);
    v.strings("nonRetryablePatterns", c.classifier.non_retryable_patterns);
    v.integers("retryableStatuses", c.classifier.retryable_statuses, 100, 599);
}

inline constexpr enum_word<resilience::window_kind> window_kind_words[] = {
    {"COUNT_BASED", resilience::window_kind::count_based},
    {"TIME_BASED", resilience::window_kind::time_based},
};

template <class V>
void visit(V& v, resilience::circuit_breaker_config& c) {
    v.number("failureRateThreshold", c.failure_rate_threshold, 0.0, 100.0, true);
    v.number("slowCallRateThreshold", c.slow_call_rate_threshold, 0.0, 100.0, true);
    v.duration("slowCallDurationThresholdMs", c.slow_call_duration_threshold, duration_style::integer,
               std::chrono::milliseconds(1));
    v.integer("permittedNumberOfCallsInHalfOpenState", c.permitted_number_of_calls_in_half_open_state, std::uint32_t{1},
              std::uint32_t{1} << 24);
    v.enumeration("slidingWindowType", c.sliding_window_type, window_kind_words);
    v.integer("slidingWindowSize", c.sliding_window_size, std::uint32_t{1}, std::uint32_t{1} << 24);
    v.integer("minimumNumberOfCalls", c.minimum_number_of_calls, std::uint32_t{1}, std::uint32_t{1} << 24);
    v.duration("waitDurationInOpenStateMs", c.wait_duration_in_open_state);
}

template <class V>
void visit(V& v, resilience::bulkhead::config& c) {
    v.integer("maxConcurrentCalls", c.max_concurrent_calls, std::uint32_t{1}, std::uint32_t{1} << 20);
    v.integer("maxWaitQueue", c.max_wait_queue, std::uint32_t{0}, std::uint32_t{1} << 24);
    v.duration("maxWaitDurationMs", c.max_wait_duration);
}

}  // namespace agentkit::config
