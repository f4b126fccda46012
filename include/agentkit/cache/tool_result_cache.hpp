#pragma once
// tool_result_cache: the tools seed's result cache (tools.cache: enabled, ttl 300 s, maxSize 1000,
// excludePatterns ['shell.exec', 'process.*']). Key = tool name + canonical JSON arguments, so argument
// order and whitespace do not split entries. Tools matching an exclude pattern (side effects: shells,
// processes) are never cached: get() misses and put() refuses.
#include <agentkit/cache/cache.hpp>
#include <agentkit/cache/cache_front.hpp>
#include <agentkit/cache/glob.hpp>
#include <agentkit/json/canonical.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::cache {

template <class Eviction = lru, class Concurrency = mutex, clock_policy Clock = steady_clock>
class basic_tool_result_cache
    : public detail::cache_front<basic_tool_result_cache<Eviction, Concurrency, Clock>,
                                 cache<std::string, std::string, Eviction, ttl<Clock>, max_entries, Concurrency>> {
    using front = detail::cache_front<basic_tool_result_cache<Eviction, Concurrency, Clock>,
                                      cache<std::string, std::string, Eviction, ttl<Clock>, max_entries, Concurrency>>;

public:
    static constexpr std::string_view metrics_name = "tools";  // attach_metrics' default instance
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
        : front({.max_size = c.max_size, .expiry = {.ttl = c.ttl, .update_age_on_get = false, .clock = c.clock}}),
          excludes_(std::move(c.exclude_patterns)),
          enabled_(c.enabled) {}

    // The cache key: tool name, a NUL (never part of a tool name), the canonical arguments.
    static std::string key(std::string_view tool, std::string_view arguments_json) {
        std::string k(tool);
        k.push_back('\0');
        k.append(json::canonical(arguments_json.empty() ? std::string_view("{}") : arguments_json, "arguments"));
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
    std::size_t invalidate_tool(std::string_view tool) { return this->invalidate_name(tool); }
    void clear() { cache_.clear(); }

private:
    std::vector<std::string> excludes_;
    bool enabled_;
    using front::cache_;
};

using tool_result_cache = basic_tool_result_cache<>;

}  // namespace agentkit::cache
