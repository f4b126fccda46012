#pragma once
// router: the model tiers of a deployment behind one provider interface (so an agent takes it as its model).
//
//   tiers          fast / default / complex / local -> "provider:model"
//   delegation     task -> tier (compaction -> fast, memory_extraction -> fast, classification -> default,
//                  tool_summarization -> default, complex_reasoning -> complex)
//   tier_fallbacks tier -> further "provider:model"s tried when the tier's own target fails
//   fallback_chain tried last, whatever the tier
// A request names its route in chat_request::model: empty (the default tier), a tier, a delegation task, or
// an explicit "provider:model". Each target is tried under resilience::retry (maxAttempts, backoff,
// Retry-After, nonRetryablePatterns) and behind a circuit breaker per provider; a target that fails for
// good hands over to the next one. A bad request (HTTP 400) fails at once: no other model would take it.
// Usage and cost (USD per 1M input/output tokens from `prices`) are kept per model: stats().
#include <agentkit/core/error.hpp>
#include <agentkit/model/any_provider.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/provider.hpp>
#include <agentkit/model/provider_error.hpp>
#include <agentkit/resilience/backoff.hpp>
#include <agentkit/resilience/circuit_breaker.hpp>
#include <agentkit/resilience/classifier.hpp>
#include <agentkit/resilience/retry.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
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
    std::uint64_t fallbacks = 0;  // requests answered by a target other than their first
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
        resilience::circuit_breaker_config breaker{};
        // How a retry waits; tests pass a manual clock's advance.
        std::function<void(std::chrono::nanoseconds)> sleep = [](std::chrono::nanoseconds d) { std::this_thread::sleep_for(d); };
    };

    explicit router(config cfg)
        : cfg_(std::move(cfg)),
          retry_(std::make_unique<retry_type>(cfg_.retry, backoff_type(cfg_.backoff), resilience::default_classifier(cfg_.classifier))),
          state_(std::make_unique<state>()) {
        for (const auto& [tier, target] : cfg_.tiers) split(target, "tiers." + tier);
        for (const auto& [task, tier] : cfg_.delegation)
            if (!cfg_.tiers.contains(tier)) throw_invalid_field("delegation." + task, "names tier '" + tier + "', which is not configured");
        for (const auto& [tier, list] : cfg_.tier_fallbacks) {
            if (!cfg_.tiers.contains(tier)) throw_invalid_field("tier_fallbacks." + tier, "is not a configured tier");
            for (const auto& t : list) split(t, "tier_fallbacks." + tier);
        }
        for (const auto& t : cfg_.fallback_chain) split(t, "fallback_chain");
        for (const auto& [m, p] : cfg_.prices)
            if (p.input_per_million < 0 || p.output_per_million < 0) throw_invalid_field("prices." + m, "must not be negative");
    }

    // Registers the provider that targets "name:..." reach.
    router& add_provider(std::string name, any_provider p) {
        if (name.empty() || name.find(':') != std::string::npos) throw_invalid_field("provider.name", "must be non-empty and contain no ':'");
        std::lock_guard lock(state_->mutex);
        state_->providers[name] = std::make_shared<entry>(std::move(p), cfg_.breaker);
        return *this;
    }

    chat_response complete(const chat_request& r) { return route(r, nullptr); }
    chat_response stream(const chat_request& r, const delta_callback& on_delta) { return route(r, &on_delta); }
    // Runs a delegated task ("compaction", "classification", ...) on its tier.
    chat_response complete_task(std::string_view task, chat_request r) {
        r.model = std::string(task);
        return route(r, nullptr);
    }

    // The targets a route tries, in order (tier target, its fallbacks, the global chain; no repeats).
    std::vector<std::string> targets(std::string_view route_name) const {
        std::string tier;
        std::vector<std::string> out;
        auto add = [&](const std::string& t) {
            if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
        };
        if (route_name.empty()) route_name = "default";
        if (auto t = cfg_.tiers.find(std::string(route_name)); t != cfg_.tiers.end()) {
            tier = t->first;
        } else if (auto d = cfg_.delegation.find(std::string(route_name)); d != cfg_.delegation.end()) {
            tier = d->second;
        } else if (route_name.find(':') != std::string_view::npos) {
            add(std::string(route_name));
        } else {
            throw_invalid_field("model", "'" + std::string(route_name) + "' is neither a tier, a delegation task nor provider:model");
        }
        if (!tier.empty()) {
            add(cfg_.tiers.at(tier));
            if (auto f = cfg_.tier_fallbacks.find(tier); f != cfg_.tier_fallbacks.end())
                for (const auto& t : f->second) add(t);
        }
        for (const auto& t : cfg_.fallback_chain) add(t);
        return out;
    }

    usage_stats stats() const {
        std::lock_guard lock(state_->mutex);
        return state_->stats;
    }
    resilience::circuit_state circuit(const std::string& provider_name) {
        auto e = find(provider_name);
        if (!e) throw error(errc::not_found, "no provider '" + provider_name + "'", "provider.name");
        return e->breaker.state();
    }

private:
    struct entry {
        entry(any_provider p, const resilience::circuit_breaker_config& c) : provider(std::move(p)), breaker(c) {}
        any_provider provider;
        breaker_type breaker;
    };
    struct state {
        std::mutex mutex;
        std::map<std::string, std::shared_ptr<entry>> providers;
        usage_stats stats;
    };

    static std::pair<std::string, std::string> split(const std::string& target, const std::string& field) {
        const auto colon = target.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == target.size())
            throw_invalid_field(field, "'" + target + "' is not provider:model");
        return {target.substr(0, colon), target.substr(colon + 1)};
    }

    std::shared_ptr<entry> find(const std::string& name) {
        std::lock_guard lock(state_->mutex);
        auto it = state_->providers.find(name);
        return it == state_->providers.end() ? nullptr : it->second;
    }

    void account(const std::string& target, const chat_response* ok) {
        std::lock_guard lock(state_->mutex);
        auto& u = state_->stats.per_model[target];
        auto& t = state_->stats.total;
        if (!ok) {
            ++u.failures;
            ++t.failures;
            return;
        }
        const auto price = cfg_.prices.find(target);
        const double cost = price == cfg_.prices.end()
                                ? 0.0
                                : (static_cast<double>(ok->tokens.prompt_tokens) * price->second.input_per_million +
                                   static_cast<double>(ok->tokens.completion_tokens) * price->second.output_per_million) / 1e6;
        for (auto* x : {&u, &t}) {
            ++x->calls;
            x->prompt_tokens += ok->tokens.prompt_tokens;
            x->completion_tokens += ok->tokens.completion_tokens;
            x->cost_usd += cost;
        }
    }

    chat_response route(const chat_request& request, const delta_callback* on_delta) {
        const auto list = targets(request.model);
        std::string tried;
        std::optional<provider_error> last;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const auto [provider_name, model_name] = split(list[i], "model");
            auto e = find(provider_name);
            if (!e) {
                tried += (tried.empty() ? "" : "; ") + list[i] + ": no such provider";
                continue;
            }
            if (!e->breaker.try_acquire_permission()) {
                tried += (tried.empty() ? "" : "; ") + list[i] + ": circuit open";
                continue;
            }
            chat_request r = request;
            r.model = model_name;
            std::chrono::nanoseconds previous{0};
            for (std::uint32_t n = 1;; ++n) {
                const auto began = std::chrono::steady_clock::now();
                try {
                    chat_response res = on_delta ? e->provider.stream(r, *on_delta) : e->provider.complete(r);
                    e->breaker.on_success(std::chrono::steady_clock::now() - began);
                    account(list[i], &res);
                    if (i > 0) {
                        std::lock_guard lock(state_->mutex);
                        ++state_->stats.fallbacks;
                    }
                    if (res.model.empty()) res.model = model_name;
                    return res;
                } catch (const provider_error& err) {
                    e->breaker.on_failure(std::chrono::steady_clock::now() - began);
                    account(list[i], nullptr);
                    if (err.http_status() == 400) throw;  // a bad request: no other model would take it
                    const auto d = retry_->decide(n, to_failure(err), previous);
                    if (d.retry) {
                        cfg_.sleep(d.delay);
                        previous = d.delay;
                        if (e->breaker.try_acquire_permission()) continue;
                    }
                    tried += (tried.empty() ? "" : "; ") + list[i] + ": " + detail_of(err);
                    last = err;
                    break;
                }
            }
        }
        const int status = last ? last->http_status() : 0;
        const auto code = last ? static_cast<errc>(last->code().value()) : errc::unavailable;
        throw provider_error(code, "every target failed (" + tried + ")", status, last && last->retryable(),
                             last ? last->retry_after() : std::nullopt, "router");
    }

    config cfg_;
    std::unique_ptr<retry_type> retry_;
    std::unique_ptr<state> state_;  // behind pointers so the router moves into an agent
};

static_assert(streaming_provider<router>);

}  // namespace agentkit::model
