#pragma once
// router: the model tiers of a deployment behind one provider interface (so an agent takes it as its model).
//
//   tiers          fast / default / complex / local -> "provider:model"
//   delegation     task -> tier (compaction -> fast, memory_extraction -> fast, classification -> default,
//                  tool_summarization -> default, complex_reasoning -> complex)
//   tier_fallbacks tier -> further "provider:model"s tried when the tier's own target fails
//   fallback_chain tried last, whatever the tier
// A request names its route in chat_request::model: empty (the default tier), a tier, a delegation task, or
// an explicit "provider:model". Each provider sits behind its own resilience stack, applied per attempt:
//   bulkhead        at most max_concurrent_calls calls in flight (Victor's <provider>_concurrent_requests);
//                   a caller finding it full waits (at most max_wait_queue callers, each at most
//                   max_wait_duration) for a slot, then the provider is skipped for the next target;
//   circuit breaker a provider failing at failure_rate_threshold is skipped until it may half-open;
//   retry           resilience::retry's decision (default_classifier: 429 / 5xx / transient codes, the
//                   non_retryable_patterns; Retry-After honoured up to max_delay; maxAttempts).
// A target that fails for good hands over to the next one. A bad request (HTTP 400) fails at once: no other
// model would take it. Usage and cost (USD per 1M input/output tokens from `prices`) are kept per model:
// statistics(). A router is a handle: copies share providers, breakers, bulkheads and stats (so the agents of a
// pool share one provider budget). agent/agent.hpp binds the compaction summariser to the `compaction` delegation.
//
// Both APIs run the same routing: async_complete / async_stream / async_complete_task are the implementation,
// a C++20 coroutine on Boost.Asio (a retry waits on a timer, a full bulkhead is waited for on a timer, no
// thread blocks - except inside a provider that has only a synchronous API, see any_provider); complete /
// stream / complete_task drive that coroutine to its end on a private io_context of the calling thread.
// A coroutine call cancelled (a cancellation slot bound to co_spawn) while it waits to retry or for a slot
// ends with provider_error(errc::cancelled); cancellation during a provider's call is the provider's to
// report. The router retries by itself: retries_itself tells an agent not to stack another retry on it.
//
// Metrics (attach_metrics, optional; nothing is paid without it): see attach_metrics below.
// The definitions are in impl/router.ipp (see core/config_macros.hpp).
#include <agentkit/core/config_macros.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/core/sleep.hpp>
#include <agentkit/model/any_provider.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/provider.hpp>
#include <agentkit/model/provider_error.hpp>
#include <agentkit/observe/metric_registry.hpp>
#include <agentkit/resilience/async_sleep.hpp>
#include <agentkit/resilience/backoff.hpp>
#include <agentkit/resilience/bulkhead.hpp>
#include <agentkit/resilience/circuit_breaker.hpp>
#include <agentkit/resilience/classifier.hpp>
#include <agentkit/resilience/retry.hpp>

#include <boost/asio/awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agentkit::model {

struct model_price {
    double input_per_million = 0;   // USD per 1M prompt tokens
    double output_per_million = 0;  // USD per 1M completion tokens
};

struct model_usage {
    std::uint64_t calls = 0;     // successful calls
    std::uint64_t failures = 0;  // failed attempts (each retry counts)
    std::uint64_t prompt_tokens = 0;
    std::uint64_t completion_tokens = 0;
    double cost_usd = 0;
};

struct usage_stats {
    std::map<std::string, model_usage> per_model;  // key: "provider:model"
    model_usage total;
    std::uint64_t fallbacks = 0;            // requests answered by a target other than their first
    std::uint64_t retries = 0;              // waits before another attempt on the same target
    std::uint64_t bulkhead_rejections = 0;  // attempts skipped: the provider had max_concurrent_calls in flight
    std::uint64_t circuit_rejections = 0;   // attempts skipped: the provider's circuit was open
};

// What one provider may take: its circuit breaker's and bulkhead's settings.
struct provider_limits {
    resilience::circuit_breaker_config breaker{};
    resilience::bulkhead::config bulkhead{};  // max_concurrent_calls 10 (Victor); max_wait_queue, max_wait_duration
};

class router {
public:
    using backoff_type = resilience::exponential_backoff<resilience::full_jitter>;
    using retry_type = resilience::retry<backoff_type, resilience::default_classifier>;
    using breaker_type = resilience::circuit_breaker<steady_clock, std::mutex>;

    struct config {
        std::map<std::string, std::string> tiers;  // e.g. {"fast", "openai:gpt-4o-mini"}
        std::map<std::string, std::string> delegation{{"compaction", "fast"},
                                                      {"memory_extraction", "fast"},
                                                      {"classification", "default"},
                                                      {"tool_summarization", "default"},
                                                      {"complex_reasoning", "complex"}};
        std::map<std::string, std::vector<std::string>> tier_fallbacks;
        std::vector<std::string> fallback_chain;
        std::map<std::string, model_price> prices;
        resilience::retry_config retry{};                     // max_attempts 3, max_delay 30 s
        resilience::exponential_backoff_config backoff{};     // initial_delay 1 s, multiplier 2
        resilience::default_classifier::config classifier{};  // non_retryable_patterns
        resilience::circuit_breaker_config breaker{};         // per provider (resilience4j defaults)
        resilience::bulkhead::config bulkhead{};              // per provider: max_concurrent_calls 10
        // How a retry waits. Empty (the default): an Asio timer (resilience::timer_sleeper) - in the coroutine
        // calls no thread waits; in the synchronous ones the calling thread does, as it would in a sleep.
        // async_sleep: a resilience::async_sleeper (false = the wait was cancelled); tests pass one that
        // advances a manual clock. sleep: a blocking wait (tests pass a manual clock's advance); the synchronous
        // calls prefer it, and the coroutine calls use it, inline, only when async_sleep is empty.
        std::function<boost::asio::awaitable<bool>(std::chrono::nanoseconds)> async_sleep;
        sleep_hook sleep;
        // Metrics keep one set of series per "provider:model" target; explicit routes name targets at will, so
        // past this many distinct targets the rest share the series of model "_other" (per provider).
        std::size_t max_metric_targets = 1000;
    };

    // The router retries (per provider, per the config) and falls back by itself: an agent must not stack an
    // agent-level retry on top of it (the attempts would multiply).
    static constexpr bool retries_itself = true;

    AGENTKIT_DECL explicit router(config c);

    // Registers the provider that targets "name:..." reach, with the config's breaker and bulkhead settings
    // or its own.
    router& add_provider(std::string name, any_provider p) {
        return add_provider(std::move(name), std::move(p),
                            provider_limits{configuration().breaker, configuration().bulkhead});
    }
    AGENTKIT_DECL router& add_provider(std::string name, any_provider p, const provider_limits& limits);

    // Usable concurrently from many threads and coroutines (agents of a pool sharing one router).
    chat_response complete(const chat_request& r) { return drive(r, nullptr); }
    chat_response stream(const chat_request& r, const delta_callback& on_delta) { return drive(r, &on_delta); }
    // Runs a delegated task ("compaction", "classification", ...) on its tier.
    chat_response complete_task(std::string_view task, chat_request r) const {
        r.model = std::string(task);
        return drive(r, nullptr);
    }

    // The same, as coroutines (async_streaming_provider). The request and callback are borrowed until the
    // awaitable completes; on_delta is called as provider.hpp says (in order, possibly on the transport's thread).
    boost::asio::awaitable<chat_response> async_complete(const chat_request& r) { return route(r, nullptr, false); }
    boost::asio::awaitable<chat_response> async_stream(const chat_request& r, const delta_callback& on_delta) {
        return route(r, &on_delta, false);
    }
    AGENTKIT_DECL boost::asio::awaitable<chat_response> async_complete_task(std::string_view task,
                                                                            chat_request r) const;

    // Registers the router's series in `registry` (which must outlive the router and its copies), labelled
    // router=`instance`; two routers attached to one registry share the families. Call it before the router
    // serves calls (not concurrently with them). Families (counters end in _total, durations in seconds):
    //   agentkit_model_requests_total{router,provider,model}        calls that reached the provider (each attempt)
    //   agentkit_model_errors_total{router,provider,model,class}    failed attempts by class: rate_limited,
    //       client_error (other 4xx), server_error (5xx), timeout, connection, bad_answer, cancelled, other;
    //       and attempts not made: bulkhead_full, circuit_open
    //   agentkit_model_retries_total{router,provider,model}         waits before another attempt
    //   agentkit_model_fallbacks_total{router,route}                answers from a target other than the route's
    //       first (route: the tier or task asked for, "default", or "explicit" for a provider:model route)
    //   agentkit_model_request_duration_seconds{router,provider,model}      histogram, every attempt
    //   agentkit_model_time_to_first_token_seconds{router,provider,model}   histogram, streamed attempts: from
    //       the attempt's start to its first delta
    //   agentkit_model_tokens_total{router,provider,model,direction="input"|"output"}  successful calls' usage
    //   agentkit_model_cost_usd{router,provider,model}              a gauge that only rises: USD spent (from
    //       `prices`; a gauge because counters hold integers and one call may cost a fraction of a micro-dollar)
    AGENTKIT_DECL void attach_metrics(observe::metric_registry& registry, std::string_view instance = "router");

    // The targets a route tries, in order (tier target, its fallbacks, the global chain; no repeats).
    AGENTKIT_DECL std::vector<std::string> targets(std::string_view route_name) const;

    AGENTKIT_DECL usage_stats statistics() const;
    AGENTKIT_DECL const config& configuration() const noexcept;

    AGENTKIT_DECL resilience::circuit_state circuit(const std::string& provider_name) const;
    // Calls in flight to a provider (its bulkhead's count), and callers waiting for one of its slots.
    AGENTKIT_DECL std::uint32_t in_flight(const std::string& provider_name) const;
    AGENTKIT_DECL std::uint32_t waiting(const std::string& provider_name) const;

private:
    struct entry;       // a provider with its breaker and bulkhead
    struct slot_guard;  // a bulkhead slot, given back under the entry's lock
    struct impl;        // what copies of a router share
    struct metrics;     // the families attach_metrics registered
    struct series;      // one target's series
    using sleeper = std::function<boost::asio::awaitable<bool>(std::chrono::nanoseconds)>;

    AGENTKIT_DECL static std::pair<std::string, std::string> split(const std::string& target, const std::string& field);
    AGENTKIT_DECL std::shared_ptr<entry> find(const std::string& name) const;
    AGENTKIT_DECL std::shared_ptr<entry> lookup(const std::string& name) const;
    AGENTKIT_DECL void count(std::uint64_t usage_stats::*field) const;
    AGENTKIT_DECL void account(const std::string& target, const chat_response* ok) const;
    AGENTKIT_DECL series* series_for(const std::string& provider_name, const std::string& model_name) const;
    AGENTKIT_DECL void count_error(series& ts, const char* klass) const;
    AGENTKIT_DECL sleeper retry_sleeper(bool synchronous) const;
    // One attempt's admission: bulkhead first (cheap, local; waiting on a timer for a slot when full), then the
    // breaker (so a refused call does not use a half-open trial permit). Empty: skipped, `why` says which.
    AGENTKIT_DECL boost::asio::awaitable<std::optional<slot_guard>> admit(std::shared_ptr<entry> e,
                                                                          const char*& why) const;
    // The routing, once: the coroutine calls await it; drive() runs it to its end on a private io_context.
    AGENTKIT_DECL boost::asio::awaitable<chat_response> route(const chat_request& request,
                                                              const delta_callback* on_delta, bool synchronous) const;
    AGENTKIT_DECL chat_response drive(const chat_request& request, const delta_callback* on_delta) const;

    std::shared_ptr<impl> impl_;  // shared: copies of a router are handles to one router
};

static_assert(streaming_provider<router> && async_streaming_provider<router>);

}  // namespace agentkit::model

#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#include <agentkit/model/impl/router.ipp>
#endif
