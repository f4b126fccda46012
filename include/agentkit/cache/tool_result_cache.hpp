#pragma once
// tool_result_cache: the tools seed's result cache (tools.cache: enabled, ttl 300 s, maxSize 1000,
// excludePatterns ['shell.exec', 'process.*']). Key = tool name + canonical JSON arguments, so argument
// order and whitespace do not split entries. Tools matching an exclude pattern (side effects: shells,
// processes) are never cached: get() misses and put() refuses.
#include <agentkit/cache/cache.hpp>
#include <agentkit/cache/canonical_json.hpp>
#include <agentkit/cache/glob.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::cache {

template <class Eviction = lru, class Concurrency = mutex, clock_policy Clock = steady_clock>
class basic_tool_result_cache {
public:
    struct config {
        bool enabled = true;
        std::chrono::seconds ttl{300};
        std::size_t max_size = 1000;
        std::vector<std::string> exclude_patterns{"shell.exec", "process.*"};
        Clock clock{};
    };
    using cache_type = cache<std::string, std::string, Eviction, ttl<Clock>, max_entries, Concurrency>;

    basic_tool_result_cache() : basic_tool_result_cache(config{}) {}
    explicit basic_tool_result_cache(config c)
        : excludes_(std::move(c.exclude_patterns)), enabled_(c.enabled),
          cache_({.max_size = c.max_size, .expiry = {.ttl = c.ttl, .update_age_on_get = false, .clock = c.clock}}) {}

    // The cache key: tool name, a NUL (never part of a tool name), the canonical arguments.
    static std::string key(std::string_view tool, std::string_view arguments_json) {
        std::string k(tool);
        k.push_back('\0');
        k.append(canonical_json(arguments_json.empty() ? std::string_view("{}") : arguments_json));
        return k;
    }
    bool cacheable(std::string_view tool) const {
        if (!enabled_) return false;
        for (const auto& p : excludes_)
            if (glob_match(p, tool)) return false;
        return true;
    }
    std::optional<std::string> get(std::string_view tool, std::string_view arguments_json) {
        if (!cacheable(tool)) return std::nullopt;
        return cache_.get(key(tool, arguments_json));
    }
    // False when the tool is excluded (or caching is disabled).
    bool put(std::string_view tool, std::string_view arguments_json, std::string result) {
        if (!cacheable(tool)) return false;
        return cache_.put(key(tool, arguments_json), std::move(result));
    }
    // Runs the tool through the cache: single-flight for cacheable tools, a plain call for excluded ones.
    template <class F>
    std::string get_or_compute(std::string_view tool, std::string_view arguments_json, F&& run) {
        if (!cacheable(tool)) return run();
        return cache_.get_or_compute(key(tool, arguments_json), std::forward<F>(run));
    }
    // Drops every cached result of one tool (e.g. after it reported a state change).
    std::size_t invalidate_tool(std::string_view tool) {
        std::string prefix(tool);
        prefix.push_back('\0');
        return cache_.invalidate_if([&](const std::string& k) { return k.starts_with(prefix); });
    }
    void clear() { cache_.clear(); }
    cache_stats stats() const { return cache_.stats(); }
    // agentkit_cache_*{cache="<instance>"} (cache_metrics.hpp); `registry` must outlive the cache.
    template <observe::registry Registry>
    void attach_metrics(Registry& registry, std::string_view instance = "tools") {
        cache_.attach_metrics(registry, instance);
    }
    cache_type& underlying() noexcept { return cache_; }

private:
    std::vector<std::string> excludes_;
    bool enabled_;
    cache_type cache_;
};

using tool_result_cache = basic_tool_result_cache<>;

}  // namespace agentkit::cache
