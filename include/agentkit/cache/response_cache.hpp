#pragma once
// response_cache: model responses keyed by model + prompt (the gateway seed's response_cache_ttl "5m" and
// response cache_size "64MB"). Capacity in bytes (key + response), W-TinyLFU so one-off prompts do not
// flush the popular ones, sharded for a server's threads.
#include <agentkit/cache/cache.hpp>
#include <agentkit/cache/cache_front.hpp>
#include <agentkit/cache/response_key.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace agentkit::cache {

template <class Eviction = w_tinylfu, class Concurrency = sharded<8>, clock_policy Clock = steady_clock>
class basic_response_cache
    : public detail::cache_front<basic_response_cache<Eviction, Concurrency, Clock>,
                                 cache<std::string, std::string, Eviction, ttl<Clock>, max_bytes<>, Concurrency>> {
    using front = detail::cache_front<basic_response_cache<Eviction, Concurrency, Clock>,
                                      cache<std::string, std::string, Eviction, ttl<Clock>, max_bytes<>, Concurrency>>;

public:
    static constexpr std::string_view metrics_name = "response";  // attach_metrics' default instance
    struct config {
        std::chrono::seconds ttl{300};                   // response_cache_ttl: 5m
        std::size_t cache_size = std::size_t{64} << 20;  // bytes: cache_size: 64MB
        std::size_t max_entry_size = std::size_t{1}
            << 20;  // one response above 1 MiB is not cached (counted as skipped)
        Clock clock{};
    };
    using cache_type = cache<std::string, std::string, Eviction, ttl<Clock>, max_bytes<>, Concurrency>;

    basic_response_cache() : basic_response_cache(config{}) {}
    explicit basic_response_cache(const config& c)
        : front({.max_size = c.cache_size,
                 .max_entry_size = c.max_entry_size,
                 .expiry = {.ttl = c.ttl, .clock = c.clock}}) {}

    static std::string key(std::string_view model, std::string_view prompt) { return response_key(model, prompt); }
    std::optional<std::string> get(std::string_view model, std::string_view prompt) {
        return cache_.get(key(model, prompt));
    }
    bool put(std::string_view model, std::string_view prompt, std::string response) {
        return cache_.put(key(model, prompt), std::move(response));
    }
    template <class F>
    std::string get_or_compute(std::string_view model, std::string_view prompt, F&& call_model) {
        return cache_.get_or_compute(key(model, prompt), std::forward<F>(call_model));
    }
    std::size_t invalidate_model(std::string_view model) { return this->invalidate_name(model); }

private:
    using front::cache_;
};

using response_cache = basic_response_cache<>;

}  // namespace agentkit::cache
