#pragma once
// The definitions of router.hpp: included by it (header-only) or compiled once (src/agentkit.cpp).
#include <agentkit/model/router.hpp>
#include <agentkit/resilience/bulkhead.hpp>
#include <agentkit/resilience/circuit_breaker.hpp>
#include <agentkit/resilience/retry.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace agentkit::model {

struct router::entry {
    entry(any_provider p, const provider_limits& l) : provider(std::move(p)), breaker(l.breaker), bulkhead(l.bulkhead) {}
    any_provider provider;
    breaker_type breaker;                 // thread-safe (std::mutex)
    std::mutex bulkhead_mutex;            // the bulkhead is single-threaded: every touch holds this
    resilience::bulkhead bulkhead;
    std::condition_variable released;     // a slot was given back (wakes a waiting caller)
    std::uint32_t waiting = 0;            // callers waiting for a slot
};
// A bulkhead slot taken synchronously; gives it back under the entry's lock.
struct router::slot_guard {
    slot_guard(entry* owner, resilience::bulkhead::permit p) noexcept : e(owner), permit(std::move(p)) {}
    slot_guard(slot_guard&& o) noexcept : e(std::exchange(o.e, nullptr)), permit(std::move(o.permit)) {}
    slot_guard& operator=(slot_guard&&) = delete;
    ~slot_guard() {
        if (!e || !permit) return;
        {
            std::lock_guard lock(e->bulkhead_mutex);
            permit.reset();
        }
        e->released.notify_one();
    }
    entry* e;
    resilience::bulkhead::permit permit;
};
struct router::impl {
    explicit impl(config c)
        : cfg(std::move(c)), retry(cfg.retry, backoff_type(cfg.backoff), resilience::default_classifier(cfg.classifier)) {}
    config cfg;
    mutable std::mutex mutex;  // providers, stats, and the retry's random source
    std::map<std::string, std::shared_ptr<entry>> providers;
    usage_stats stats;
    retry_type retry;
};

AGENTKIT_DECL router::router(config c) : impl_(std::make_shared<impl>(std::move(c))) {
    const config& cfg_ = impl_->cfg;
    for (const auto& [tier, target] : cfg_.tiers) split(target, "tiers." + tier);
    // A built-in delegation whose tier is not configured (e.g. only "default" is) goes to the default tier;
    // a delegation the user wrote must name a configured tier (a typo is an error, not a silent reroute).
    const config builtin{};
    for (auto& [task, tier] : impl_->cfg.delegation) {
        if (cfg_.tiers.contains(tier)) continue;
        const auto b = builtin.delegation.find(task);
        if (b != builtin.delegation.end() && b->second == tier && cfg_.tiers.contains("default")) {
            tier = "default";
            continue;
        }
        throw_invalid_field("delegation." + task, "names tier '" + tier + "', which is not configured");
    }
    for (const auto& [tier, list] : cfg_.tier_fallbacks) {
        if (!cfg_.tiers.contains(tier)) throw_invalid_field("tier_fallbacks." + tier, "is not a configured tier");
        for (const auto& t : list) split(t, "tier_fallbacks." + tier);
    }
    for (const auto& t : cfg_.fallback_chain) split(t, "fallback_chain");
    for (const auto& [m, p] : cfg_.prices)
        if (p.input_per_million < 0 || p.output_per_million < 0) throw_invalid_field("prices." + m, "must not be negative");
}

AGENTKIT_DECL router& router::add_provider(std::string name, any_provider p, const provider_limits& limits) {
    if (name.empty() || name.find(':') != std::string::npos) throw_invalid_field("provider.name", "must be non-empty and contain no ':'");
    auto e = std::make_shared<entry>(std::move(p), limits);
    std::lock_guard lock(impl_->mutex);
    impl_->providers[name] = std::move(e);
    return *this;
}

AGENTKIT_DECL std::vector<std::string> router::targets(std::string_view route_name) const {
    const config& cfg_ = impl_->cfg;
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
        throw_invalid_field("model", std::string("'").append(route_name).append("' is neither a tier, a delegation task nor provider:model"));
    }
    if (!tier.empty()) {
        add(cfg_.tiers.at(tier));
        if (auto f = cfg_.tier_fallbacks.find(tier); f != cfg_.tier_fallbacks.end())
            for (const auto& t : f->second) add(t);
    }
    for (const auto& t : cfg_.fallback_chain) add(t);
    return out;
}

AGENTKIT_DECL usage_stats router::stats() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->stats;
}

AGENTKIT_DECL const router::config& router::settings() const noexcept { return impl_->cfg; }

AGENTKIT_DECL resilience::circuit_state router::circuit(const std::string& provider_name) const {
    return lookup(provider_name)->breaker.state();
}

AGENTKIT_DECL std::uint32_t router::in_flight(const std::string& provider_name) const {
    auto e = lookup(provider_name);
    std::lock_guard lock(e->bulkhead_mutex);
    return e->bulkhead.in_flight();
}

AGENTKIT_DECL std::uint32_t router::waiting(const std::string& provider_name) const {
    auto e = lookup(provider_name);
    std::lock_guard lock(e->bulkhead_mutex);
    return e->waiting;
}

AGENTKIT_DECL std::pair<std::string, std::string> router::split(const std::string& target, const std::string& field) {
    const auto colon = target.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == target.size())
        throw_invalid_field(field, "'" + target + "' is not provider:model");
    return {target.substr(0, colon), target.substr(colon + 1)};
}

AGENTKIT_DECL std::shared_ptr<router::entry> router::find(const std::string& name) const {
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->providers.find(name);
    return it == impl_->providers.end() ? nullptr : it->second;
}

AGENTKIT_DECL std::shared_ptr<router::entry> router::lookup(const std::string& name) const {
    auto e = find(name);
    if (!e) throw error(errc::not_found, "no provider '" + name + "'", "provider.name");
    return e;
}

AGENTKIT_DECL void router::count(std::uint64_t usage_stats::*field) const {
    std::lock_guard lock(impl_->mutex);
    ++(impl_->stats.*field);
}

AGENTKIT_DECL void router::account(const std::string& target, const chat_response* ok) const {
    const config& cfg_ = impl_->cfg;
    std::lock_guard lock(impl_->mutex);
    auto& u = impl_->stats.per_model[target];
    auto& t = impl_->stats.total;
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

AGENTKIT_DECL std::optional<router::slot_guard> router::admit(entry& e, const char*& why) const {
    resilience::bulkhead::permit p;
    {
        std::unique_lock lock(e.bulkhead_mutex);
        p = e.bulkhead.try_acquire();
        const auto& limits = e.bulkhead.settings();
        if (!p && limits.max_wait_duration_ms.count() > 0 && e.waiting < limits.max_wait_queue) {
            ++e.waiting;
            const auto until = std::chrono::steady_clock::now() + limits.max_wait_duration_ms;
            while (!p && e.released.wait_until(lock, until) == std::cv_status::no_timeout) p = e.bulkhead.try_acquire();
            if (!p) p = e.bulkhead.try_acquire();
            --e.waiting;
        }
    }
    if (!p) {
        count(&usage_stats::bulkhead_rejections);
        why = "bulkhead full";
        return std::nullopt;
    }
    std::optional<slot_guard> guard(std::in_place, &e, std::move(p));
    if (!e.breaker.try_acquire_permission()) {
        count(&usage_stats::circuit_rejections);
        why = "circuit open";
        return std::nullopt;  // the guard's destructor gives the bulkhead slot back
    }
    return guard;
}

AGENTKIT_DECL chat_response router::route(const chat_request& request, const delta_callback* on_delta) const {
    const auto list = targets(request.model);
    std::string tried;
    std::optional<provider_error> last;
    auto note = [&](const std::string& target, const std::string& why) { tried += (tried.empty() ? "" : "; ") + target + ": " + why; };
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto [provider_name, model_name] = split(list[i], "model");
        auto e = find(provider_name);
        if (!e) {
            note(list[i], "no such provider");
            continue;
        }
        chat_request r = request;
        r.model = model_name;
        std::chrono::nanoseconds previous{0};
        for (std::uint32_t n = 1;; ++n) {
            const char* why = "";
            auto slot = admit(*e, why);
            if (!slot) {
                note(list[i], why);
                if (!last) last = provider_error(errc::unavailable, list[i] + ": " + why, 0, true);
                break;
            }
            const auto began = std::chrono::steady_clock::now();
            try {
                chat_response res = on_delta ? e->provider.stream(r, *on_delta) : e->provider.complete(r);
                e->breaker.on_success(std::chrono::steady_clock::now() - began);
                account(list[i], &res);
                if (i > 0) count(&usage_stats::fallbacks);
                if (res.model.empty()) res.model = model_name;
                return res;
            } catch (const provider_error& err) {
                // A 400 is the caller's fault: it says nothing about the provider's health.
                if (err.http_status() == 400) {
                    e->breaker.on_success(std::chrono::steady_clock::now() - began);
                    account(list[i], nullptr);
                    throw;  // a bad request: no other model would take it
                }
                e->breaker.on_failure(std::chrono::steady_clock::now() - began);
                account(list[i], nullptr);
                resilience::retry_decision d;
                {
                    std::lock_guard lock(impl_->mutex);  // the retry's random source is shared
                    d = impl_->retry.decide(n, to_failure(err), previous);
                }
                last = err;
                if (d.retry) {
                    slot.reset();  // do not hold a provider slot while waiting
                    count(&usage_stats::retries);
                    impl_->cfg.sleep(d.delay);
                    previous = d.delay;
                    continue;
                }
                note(list[i], detail_of(err) + (d.reason == resilience::give_up_reason::not_retryable ||
                                                        d.reason == resilience::give_up_reason::attempts_exhausted
                                                    ? ""
                                                    : std::string(" (") + resilience::to_string(d.reason) + ")"));
                break;
            }
        }
    }
    const int status = last ? last->http_status() : 0;
    const auto code = last ? static_cast<errc>(last->code().value()) : errc::unavailable;
    throw provider_error(code, "every target failed (" + tried + ")", status, last && last->retryable(),
                         last ? last->retry_after() : std::nullopt, "router");
}

}  // namespace agentkit::model
