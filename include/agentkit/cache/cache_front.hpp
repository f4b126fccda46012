#pragma once
// What every cache front shares (embedding_cache, response_cache, tool_result_cache: a cache<> for one kind of
// value, keyed by a name - a model, a tool -, a NUL, then the rest): the wrapped cache's statistics, its metrics
// under the front's instance name, the cache itself, and dropping every entry of one name at once.
#include <agentkit/cache/cache.hpp>
#include <agentkit/observe/metric_registry_fwd.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace agentkit::cache::detail {

// A base of Front, which names its default metrics instance in `static constexpr std::string_view metrics_name`.
template <class Front, class Cache>
class cache_front {
public:
    cache_stats statistics() const { return cache_.statistics(); }
    // agentkit_cache_*{cache="<instance>"} (cache_metrics.hpp); `registry` must outlive the cache.
    template <observe::registry Registry>
    void attach_metrics(Registry& registry, std::string_view instance = Front::metrics_name) {
        cache_.attach_metrics(registry, instance);
    }
    Cache& underlying() noexcept { return cache_; }

protected:
    explicit cache_front(const typename Cache::config& c) : cache_(c) {}

    // Drops every entry whose key starts with `name` and a NUL (a name holds none); how many.
    std::size_t invalidate_name(std::string_view name) {
        std::string prefix(name);
        prefix.push_back('\0');
        return cache_.invalidate_if([&](const std::string& k) { return k.starts_with(prefix); });
    }

    Cache cache_;
};

}  // namespace agentkit::cache::detail
