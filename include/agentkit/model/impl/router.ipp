#pragma once
// The definitions of router.hpp: included by it (header-only) or compiled once (src/agentkit.cpp).
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/model/router.hpp>
#include <agentkit/resilience/async_sleep.hpp>
#include <agentkit/resilience/bulkhead.hpp>
#include <agentkit/resilience/circuit_breaker.hpp>
#include <agentkit/resilience/retry.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit::model {

struct router::entry {
    entry(any_provider p, const provider_limits& l)
        : provider(std::move(p)), breaker(l.breaker), bulkhead(l.bulkhead) {}
    any_provider provider;
    breaker_type breaker;       // thread-safe (std::mutex)
    std::mutex bulkhead_mutex;  // the bulkhead is single-threaded: every touch holds this
    resilience::bulkhead bulkhead;
};
// A bulkhead slot; gives it back under the entry's lock (which hands it to the first waiter, if any).
struct router::slot_guard {
    slot_guard(std::shared_ptr<entry> owner, resilience::bulkhead::permit p) noexcept
        : e(std::move(owner)), permit(std::move(p)) {}
    slot_guard(slot_guard&& o) noexcept : e(std::move(o.e)), permit(std::move(o.permit)) {}
    slot_guard& operator=(slot_guard&&) = delete;
    ~slot_guard() {
        if (!e || !permit) return;
        std::lock_guard lock(e->bulkhead_mutex);
        permit.reset();
    }
    std::shared_ptr<entry> e;
    resilience::bulkhead::permit permit;
};
// One "provider:model" target's series (attach_metrics).
struct router::series {
    observe::counter* requests = nullptr;
    observe::counter* retries = nullptr;
    observe::counter* tokens_in = nullptr;
    observe::counter* tokens_out = nullptr;
    observe::latency_histogram* duration = nullptr;
    observe::latency_histogram* first_token = nullptr;
    observe::gauge* cost = nullptr;
    std::string provider, model;  // the label values
};
struct router::metrics {
    std::string instance;
    observe::counter_family* requests = nullptr;
    observe::counter_family* errors = nullptr;
    observe::counter_family* retries = nullptr;
    observe::counter_family* fallbacks = nullptr;
    observe::counter_family* tokens = nullptr;
    observe::histogram_family* duration = nullptr;
    observe::histogram_family* first_token = nullptr;
    observe::gauge_family* cost = nullptr;
    std::map<std::string, std::unique_ptr<series>> per_target;  // under impl::mutex
};
struct router::impl {
    explicit impl(config c)
        : cfg(std::move(c)),
          retry(cfg.retry, backoff_type(cfg.backoff), resilience::default_classifier(cfg.classifier)) {}
    config cfg;
    mutable std::mutex mutex;  // providers, stats, metric series, and the retry's random source
    std::map<std::string, std::shared_ptr<entry>> providers;
    usage_stats stats;
    retry_type retry;
    std::unique_ptr<metrics> m;  // null until attach_metrics: then each call pays one pointer test
};

namespace router_detail {
// A failure's class for agentkit_model_errors_total.
inline const char* error_class(const provider_error& e) {
    const int s = e.http_status();
    if (s == 429) return "rate_limited";
    if (s >= 500) return "server_error";
    if (s == 408) return "timeout";
    if (s >= 400) return "client_error";
    switch (static_cast<errc>(e.code().value())) {
        case errc::timeout: return "timeout";
        case errc::rate_limited: return "rate_limited";
        case errc::cancelled: return "cancelled";
        case errc::io_error:
        case errc::unavailable: return e.http_status() == 0 ? "connection" : "bad_answer";
        case errc::parse_error:
        case errc::capacity_exceeded: return "bad_answer";
        default: return "other";
    }
}

// Appends "target: why" to the list of what was tried (the final error's text).
inline void note(std::string& tried, const std::string& target, const std::string& why) {
    tried.append(tried.empty() ? "" : "; ").append(target).append(": ").append(why);
}

inline provider_error cancelled(const std::string& what) {
    return provider_error(errc::cancelled, what, 0, false, std::nullopt, "router");
}
}  // namespace router_detail

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
        if (p.input_per_million < 0 || p.output_per_million < 0)
            throw_invalid_field("prices." + m, "must not be negative");
}

AGENTKIT_DECL router& router::add_provider(std::string name, any_provider p, const provider_limits& limits) {
    if (name.empty() || name.find(':') != std::string::npos)
        throw_invalid_field("provider.name", "must be non-empty and contain no ':'");
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
        throw_invalid_field(
            "model",
            std::string("'").append(route_name).append("' is neither a tier, a delegation task nor provider:model"));
    }
    if (!tier.empty()) {
        add(cfg_.tiers.at(tier));
        if (auto f = cfg_.tier_fallbacks.find(tier); f != cfg_.tier_fallbacks.end())
            for (const auto& t : f->second) add(t);
    }
    for (const auto& t : cfg_.fallback_chain) add(t);
    return out;
}

AGENTKIT_DECL usage_stats router::statistics() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->stats;
}

AGENTKIT_DECL const router::config& router::configuration() const noexcept { return impl_->cfg; }

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
    return static_cast<std::uint32_t>(e->bulkhead.waiting());
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
           static_cast<double>(ok->tokens.completion_tokens) * price->second.output_per_million) /
            1e6;
    for (auto* x : {&u, &t}) {
        ++x->calls;
        x->prompt_tokens += ok->tokens.prompt_tokens;
        x->completion_tokens += ok->tokens.completion_tokens;
        x->cost_usd += cost;
    }
}

AGENTKIT_DECL boost::asio::awaitable<chat_response> router::async_complete_task(std::string_view task,
                                                                                chat_request r) const {
    r.model = std::string(task);
    co_return co_await route(r, nullptr, false);
}

AGENTKIT_DECL void router::attach_metrics(observe::metric_registry& registry, std::string_view instance) {
    auto m = std::make_unique<metrics>();
    m->instance = std::string(instance);
    observe::validate_label_value(m->instance, "router.instance");
    const std::vector<std::string> target{"router", "provider", "model"};
    m->requests = &registry.find_or_add_counter("agentkit_model_requests_total",
                                                "Model calls that reached a provider (each attempt)", target);
    m->errors = &registry.find_or_add_counter(
        "agentkit_model_errors_total",
        "Failed model call attempts, and attempts not made (bulkhead_full, circuit_open), by class",
        {"router", "provider", "model", "class"});
    m->retries = &registry.find_or_add_counter("agentkit_model_retries_total",
                                               "Waits before another attempt on the same target", target);
    m->fallbacks = &registry.find_or_add_counter("agentkit_model_fallbacks_total",
                                                 "Requests answered by a target other than their route's first",
                                                 {"router", "route"});
    m->tokens = &registry.find_or_add_counter("agentkit_model_tokens_total", "Tokens of successful model calls",
                                              {"router", "provider", "model", "direction"});
    m->duration = &registry.find_or_add_histogram("agentkit_model_request_duration_seconds",
                                                  "Duration of each model call attempt", target);
    m->first_token = &registry.find_or_add_histogram("agentkit_model_time_to_first_token_seconds",
                                                     "Time from a streamed attempt's start to its first delta", target);
    m->cost = &registry.find_or_add_gauge(
        "agentkit_model_cost_usd", "USD spent on successful model calls (from the configured prices; only rises)",
        target);
    std::lock_guard lock(impl_->mutex);
    impl_->m = std::move(m);
}

AGENTKIT_DECL router::series* router::series_for(const std::string& provider_name,
                                                 const std::string& model_name) const {
    metrics* m = impl_->m.get();
    if (!m) return nullptr;
    std::lock_guard lock(impl_->mutex);
    std::string key = provider_name + ":" + model_name;
    auto it = m->per_target.find(key);
    if (it != m->per_target.end()) return it->second.get();
    std::string model_label = model_name;
    if (m->per_target.size() >= impl_->cfg.max_metric_targets) {
        model_label = "_other";
        key = provider_name + ":_other";
        if (auto o = m->per_target.find(key); o != m->per_target.end()) return o->second.get();
    }
    auto s = std::make_unique<series>();
    s->provider = provider_name;
    s->model = model_label;
    const std::initializer_list<std::string_view> labels{m->instance, provider_name, model_label};
    s->requests = &m->requests->with(labels);
    s->retries = &m->retries->with(labels);
    s->tokens_in = &m->tokens->with({m->instance, provider_name, model_label, "input"});
    s->tokens_out = &m->tokens->with({m->instance, provider_name, model_label, "output"});
    s->duration = &m->duration->with(labels);
    s->first_token = &m->first_token->with(labels);
    s->cost = &m->cost->with(labels);
    return m->per_target.emplace(std::move(key), std::move(s)).first->second.get();
}

AGENTKIT_DECL void router::count_error(series& ts, const char* klass) const {
    impl_->m->errors->with({impl_->m->instance, ts.provider, ts.model, klass}).increment();
}

AGENTKIT_DECL router::sleeper router::retry_sleeper(bool synchronous) const {
    const config& c = impl_->cfg;
    auto blocking = [s = c.sleep](std::chrono::nanoseconds d) -> boost::asio::awaitable<bool> {
        s(d);
        co_return true;
    };
    if (synchronous && c.sleep) return blocking;
    if (c.async_sleep) return c.async_sleep;
    if (c.sleep) return blocking;
    return resilience::timer_sleeper{};
}

// The bulkhead's FIFO wait. The slot may be released on another thread (another caller's executor): the
// release hands it over under the entry's lock and wakes the waiter through a thread-safe channel (a signal
// sent before the wait begins is kept, so none is lost), while a timer bounds the wait.
AGENTKIT_DECL boost::asio::awaitable<std::optional<router::slot_guard>> router::admit(std::shared_ptr<entry> e,
                                                                                      const char*& why) const {
    namespace asio = boost::asio;
    using wake_channel = asio::experimental::concurrent_channel<void(boost::system::error_code)>;
    std::optional<slot_guard> guard;
    resilience::bulkhead::waiter w;
    std::optional<wake_channel> wake;
    bool queued = false;
    const auto ex = co_await asio::this_coro::executor;
    {
        std::lock_guard lock(e->bulkhead_mutex);
        auto p = e->bulkhead.acquire_or_queue(w, queued);
        if (p) guard.emplace(e, std::move(p));
        if (queued) {
            wake.emplace(ex, 1);
            w.context = &*wake;
            w.wake = [](void* ch) noexcept {
                try {
                    static_cast<wake_channel*>(ch)->try_send(boost::system::error_code{});
                } catch (...) {
                    // Out of memory: the waiter finds the slot handed over when its timer ends the wait.
                }
            };
        }
    }
    if (queued) {
        asio::steady_timer timer(ex, e->bulkhead.configuration().max_wait_duration);
        try {
            // Whichever comes first: the hand-over or the timeout (the other is cancelled). The group is named:
            // GCC 12 mishandles non-trivial temporaries that live across a co_await.
            auto group = asio::experimental::make_parallel_group(wake->async_receive(asio::deferred),
                                                                 timer.async_wait(asio::deferred));
            auto done = co_await group.async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
            (void)done;
        } catch (const boost::system::system_error&) {
            // cancelled from outside: finish_wait below leaves the queue
        }
        {
            std::lock_guard lock(e->bulkhead_mutex);
            auto p = e->bulkhead.finish_wait(w);  // after this no release wakes us: the channel may go
            if (p) guard.emplace(e, std::move(p));
        }
        // Read in place: awaiting anything more in a cancelled coroutine would throw Asio's operation_aborted.
        // The guard's destructor gives a slot handed over meanwhile back.
        const asio::cancellation_state cs = co_await asio::this_coro::cancellation_state;
        if (cs.cancelled() != asio::cancellation_type::none)
            throw router_detail::cancelled("cancelled while waiting for a provider slot");
    }
    if (!guard) {
        count(&usage_stats::bulkhead_rejections);
        why = "bulkhead full";
        co_return std::nullopt;
    }
    if (!e->breaker.try_acquire_permission()) {
        count(&usage_stats::circuit_rejections);
        why = "circuit open";
        co_return std::nullopt;  // the guard's destructor gives the bulkhead slot back
    }
    co_return std::move(guard);
}

AGENTKIT_DECL boost::asio::awaitable<chat_response> router::route(const chat_request& request,
                                                                  const delta_callback* on_delta,
                                                                  bool synchronous) const {
    const auto list = targets(request.model);
    const sleeper sleep = retry_sleeper(synchronous);
    std::string tried;
    std::optional<provider_error> last;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto [provider_name, model_name] = split(list[i], "model");
        auto e = find(provider_name);
        if (!e) {
            router_detail::note(tried, list[i], "no such provider");
            continue;
        }
        series* const ts = series_for(provider_name, model_name);
        chat_request r = request;
        r.model = model_name;
        std::chrono::nanoseconds previous{0};
        for (std::uint32_t n = 1;; ++n) {
            const char* why = "";
            std::optional<slot_guard> slot = co_await admit(e, why);
            if (!slot) {
                if (ts) count_error(*ts, why[0] == 'b' ? "bulkhead_full" : "circuit_open");
                router_detail::note(tried, list[i], why);
                if (!last) last = provider_error(errc::unavailable, list[i] + ": " + why, 0, true);
                break;
            }
            const auto began = std::chrono::steady_clock::now();
            if (ts) ts->requests->increment();
            std::optional<provider_error> failed;
            try {
                chat_response res;
                if (on_delta && ts) {
                    // Time to first token: from this attempt's start to its first delta.
                    bool first = true;
                    const delta_callback timed = [&](const chat_delta& d) {
                        if (first) {
                            first = false;
                            ts->first_token->record(std::chrono::steady_clock::now() - began);
                        }
                        if (*on_delta) (*on_delta)(d);
                    };
                    res = co_await e->provider.async_stream(r, timed);
                } else if (on_delta) {
                    res = co_await e->provider.async_stream(r, *on_delta);
                } else {
                    res = co_await e->provider.async_complete(r);
                }
                const auto took = std::chrono::steady_clock::now() - began;
                e->breaker.on_success(took);
                account(list[i], &res);
                if (ts) {
                    ts->duration->record(took);
                    ts->tokens_in->increment(res.tokens.prompt_tokens);
                    ts->tokens_out->increment(res.tokens.completion_tokens);
                    if (const auto price = impl_->cfg.prices.find(list[i]); price != impl_->cfg.prices.end())
                        ts->cost->add(
                            (static_cast<double>(res.tokens.prompt_tokens) * price->second.input_per_million +
                             static_cast<double>(res.tokens.completion_tokens) * price->second.output_per_million) /
                            1e6);
                }
                if (i > 0) {
                    count(&usage_stats::fallbacks);
                    if (impl_->m) {
                        const bool named = request.model.empty() || impl_->cfg.tiers.contains(request.model) ||
                            impl_->cfg.delegation.contains(request.model);
                        impl_->m->fallbacks
                            ->with({impl_->m->instance,
                                    request.model.empty() ? std::string_view("default")
                                        : named           ? std::string_view(request.model)
                                                          : std::string_view("explicit")})
                            .increment();
                    }
                }
                if (res.model.empty()) res.model = model_name;
                co_return res;
            } catch (const provider_error& err) {
                failed = err;
            }
            const auto took = std::chrono::steady_clock::now() - began;
            if (ts) {
                ts->duration->record(took);
                count_error(*ts, router_detail::error_class(*failed));
            }
            const auto code = static_cast<errc>(failed->code().value());
            // A 400 is the caller's fault and a cancellation the caller's choice: neither says anything about
            // the provider's health (and recording them completes a half-open trial).
            if (failed->http_status() == 400 || code == errc::cancelled) {
                e->breaker.on_success(took);
                account(list[i], nullptr);
                throw *failed;  // a bad request: no other model would take it; cancelled: stop routing
            }
            e->breaker.on_failure(took);
            account(list[i], nullptr);
            resilience::retry_decision d;
            {
                std::lock_guard lock(impl_->mutex);  // the retry's random source is shared
                d = impl_->retry.decide(n, to_failure(*failed), previous);
            }
            last = failed;
            if (d.retry) {
                slot.reset();  // do not hold a provider slot while waiting
                count(&usage_stats::retries);
                if (ts) ts->retries->increment();
                if (!co_await resilience::detail::sleep_or_cancel(sleep, d.delay))
                    throw router_detail::cancelled("cancelled while waiting to retry " + list[i]);
                previous = d.delay;
                continue;
            }
            router_detail::note(tried, list[i],
                                detail_of(*failed) +
                                    (d.reason == resilience::give_up_reason::not_retryable ||
                                             d.reason == resilience::give_up_reason::attempts_exhausted
                                         ? ""
                                         : std::string(" (") + resilience::to_string(d.reason) + ")"));
            break;
        }
    }
    const int status = last ? last->http_status() : 0;
    const auto code = last ? static_cast<errc>(last->code().value()) : errc::unavailable;
    throw provider_error(code, "every target failed (" + tried + ")", status, last && last->retryable(),
                         last ? last->retry_after() : std::nullopt, "router");
}

AGENTKIT_DECL chat_response router::drive(const chat_request& request, const delta_callback* on_delta) const {
    boost::asio::io_context io(1);
    std::optional<chat_response> out;
    std::exception_ptr failure;
    boost::asio::co_spawn(io, route(request, on_delta, true), [&](std::exception_ptr ep, chat_response res) {
        if (ep)
            failure = ep;
        else
            out.emplace(std::move(res));
    });
    io.run();
    if (failure) std::rethrow_exception(failure);
    return std::move(*out);
}

}  // namespace agentkit::model
AGENTKIT_COROUTINES_END
