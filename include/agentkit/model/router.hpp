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
//                   max_wait_duration_ms) for a slot, then the provider is skipped for the next target;
//   circuit breaker a provider failing at failure_rate_threshold is skipped until it may half-open;
//   retry           resilience::retry's decision (default_classifier: 429 / 5xx / transient codes, the
//                   non_retryable_patterns; Retry-After honoured up to max_delay_ms; maxAttempts).
// A target that fails for good hands over to the next one. A bad request (HTTP 400) fails at once: no other
// model would take it. Usage and cost (USD per 1M input/output tokens from `prices`) are kept per model:
// stats(). A router is a handle: copies share providers, breakers, bulkheads and stats (so the agents of a
// pool share one provider budget). agent/agent.hpp binds the compaction summariser to the `compaction` delegation.
// The definitions are in impl/router.ipp (see core/config_macros.hpp).
#include <agentkit/core/config_macros.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/model/any_provider.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/provider.hpp>
#include <agentkit/model/provider_error.hpp>
#include <agentkit/resilience/backoff.hpp>
#include <agentkit/resilience/bulkhead.hpp>
#include <agentkit/resilience/circuit_breaker.hpp>
#include <agentkit/resilience/classifier.hpp>
#include <agentkit/resilience/retry.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
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
    std::uint64_t fallbacks = 0;             // requests answered by a target other than their first
    std::uint64_t retries = 0;               // waits before another attempt on the same target
    std::uint64_t bulkhead_rejections = 0;   // attempts skipped: the provider had max_concurrent_calls in flight
    std::uint64_t circuit_rejections = 0;    // attempts skipped: the provider's circuit was open
};

// What one provider may take: its circuit breaker's and bulkhead's settings.
struct provider_limits {
    resilience::circuit_breaker_config breaker{};
    resilience::bulkhead::config bulkhead{};  // max_concurrent_calls 10 (Victor); max_wait_queue, max_wait_duration_ms
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
        resilience::retry_config retry{};                       // max_attempts 3, max_delay_ms 30 s
        resilience::exponential_backoff_config backoff{};       // initial_delay_ms 1 s, multiplier 2
        resilience::default_classifier::config classifier{};    // non_retryable_patterns
        resilience::circuit_breaker_config breaker{};          // per provider (resilience4j defaults)
        resilience::bulkhead::config bulkhead{};               // per provider: max_concurrent_calls 10
        // How a retry waits; tests pass a manual clock's advance.
        std::function<void(std::chrono::nanoseconds)> sleep = [](std::chrono::nanoseconds d) { std::this_thread::sleep_for(d); };
    };

    AGENTKIT_DECL explicit router(config c);

    // Registers the provider that targets "name:..." reach, with the config's breaker and bulkhead settings
    // or its own.
    router& add_provider(std::string name, any_provider p) {
        return add_provider(std::move(name), std::move(p), provider_limits{settings().breaker, settings().bulkhead});
    }
    AGENTKIT_DECL router& add_provider(std::string name, any_provider p, const provider_limits& limits);

    chat_response complete(const chat_request& r) { return route(r, nullptr); }
    chat_response stream(const chat_request& r, const delta_callback& on_delta) { return route(r, &on_delta); }
    // Usable concurrently from many threads (agents of a pool sharing one router).
    // Runs a delegated task ("compaction", "classification", ...) on its tier.
    chat_response complete_task(std::string_view task, chat_request r) const {
        r.model = std::string(task);
        return route(r, nullptr);
    }

    // The targets a route tries, in order (tier target, its fallbacks, the global chain; no repeats).
    AGENTKIT_DECL std::vector<std::string> targets(std::string_view route_name) const;

    AGENTKIT_DECL usage_stats stats() const;
    AGENTKIT_DECL const config& settings() const noexcept;

    AGENTKIT_DECL resilience::circuit_state circuit(const std::string& provider_name) const;
    // Calls in flight to a provider (its bulkhead's count), and callers waiting for one of its slots.
    AGENTKIT_DECL std::uint32_t in_flight(const std::string& provider_name) const;
    AGENTKIT_DECL std::uint32_t waiting(const std::string& provider_name) const;

private:
    struct entry;      // a provider with its breaker and bulkhead
    struct slot_guard; // a bulkhead slot taken synchronously
    struct impl;       // what copies of a router share

    AGENTKIT_DECL static std::pair<std::string, std::string> split(const std::string& target, const std::string& field);
    AGENTKIT_DECL std::shared_ptr<entry> find(const std::string& name) const;
    AGENTKIT_DECL std::shared_ptr<entry> lookup(const std::string& name) const;
    AGENTKIT_DECL void count(std::uint64_t usage_stats::*field) const;
    AGENTKIT_DECL void account(const std::string& target, const chat_response* ok) const;
    // One attempt's admission: bulkhead first (cheap, local), then the breaker (so a refused call does not
    // use a half-open trial permit). Empty optional: skipped, `why` says which.
    AGENTKIT_DECL std::optional<slot_guard> admit(entry& e, const char*& why) const;
    AGENTKIT_DECL chat_response route(const chat_request& request, const delta_callback* on_delta) const;

    std::shared_ptr<impl> impl_;  // shared: copies of a router are handles to one router
};

static_assert(streaming_provider<router>);

}  // namespace agentkit::model

#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#include <agentkit/model/impl/router.ipp>
#endif
