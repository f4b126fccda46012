#pragma once
// response_caching<...>: the cache slot's policy that gives an agent the cache layer's response cache
// (cache::basic_response_cache: W-TinyLFU, a byte capacity, response_cache_ttl 5m, sharded).
//
//   agent<with_model<model::router>, with_cache<response_caching<>>> a(...);
//
// The loop then answers a request identical to an earlier one (model, messages, tools) from the cache,
// without a model call and without tokens; turn_result::cache_hits counts those. Any other cache policy in
// the slot (with_cache<cache::lru>) is used the same way, keyed by model + request.
//
// CacheSizeBytes is the seeds' response cache_size (64MB). Constructing the cache takes about a microsecond
// (its frequency sketch is sized by entries once it is half full, not by bytes up front); it is still built
// on first use, so an agent that never calls its model allocates nothing for it.
#include <agentkit/cache/response_cache.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace agentkit {

template <std::size_t CacheSizeBytes = (std::size_t{64} << 20), class Eviction = cache::w_tinylfu,
          class Concurrency = cache::sharded<8>>
struct response_caching {
    using base = cache::basic_response_cache<Eviction, Concurrency>;
    class sized_cache {
    public:
        sized_cache() { cfg_.cache_size = CacheSizeBytes; }
        // The response cache's own settings (use_cache(...) at the agent's construction).
        explicit sized_cache(typename base::config c) : cfg_(std::move(c)) {}
        const typename base::config& configuration() const noexcept { return cfg_; }

        std::optional<std::string> get(std::string_view model, std::string_view prompt) {
            return built().get(model, prompt);
        }
        bool put(std::string_view model, std::string_view prompt, std::string response) {
            return built().put(model, prompt, std::move(response));
        }
        cache::cache_stats statistics() { return built().statistics(); }
        // agentkit_cache_*{cache="<instance>"} (cache/cache_metrics.hpp). The series are registered now, so a
        // scrape shows them (at zero) before the cache is built; the cache reports to them once it is.
        // `registry` must outlive this object.
        template <observe::registry Registry>
        void attach_metrics(Registry& registry, std::string_view instance = "response") {
            series_ = cache::cache_series_in(registry, instance, true);
            if (cache_) cache_->underlying().attach_series(series_);
        }
        bool constructed() const noexcept { return static_cast<bool>(cache_); }
        base& built() {
            if (!cache_) {
                cache_ = std::make_unique<base>(cfg_);
                if (series_.hits) cache_->underlying().attach_series(series_);
            }
            return *cache_;
        }

    private:
        typename base::config cfg_{};
        std::unique_ptr<base> cache_;   // built on first use
        cache::cache_series series_{};  // where the cache reports once built (all null: nowhere)
    };
    template <class Key, class Value>
    using cache_type = sized_cache;
};

}  // namespace agentkit
