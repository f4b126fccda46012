#pragma once
// cached_toolbox<Box, Cache>: the tool-result cache. Wraps any toolbox; a call whose (tool name, arguments)
// was answered before returns the cached output without running the tool again. Tools whose names match
// one of exclude_patterns (globs: `*`, `?`) always run - side effects, clocks, shells. Only successful
// outputs are cached; a tool that throws is asked again next time. Seeds (Flynn tools.cache): enabled,
// ttl 300 s, maxSize 1000, excludePatterns shell.exec, process.*.
#include <agentkit/cache/cache.hpp>
#include <agentkit/cache/expiry.hpp>
#include <agentkit/cache/glob.hpp>
#include <agentkit/tools/toolbox.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace agentkit::tools {

using default_tool_cache =
    cache::cache<std::string, std::string, cache::lru, cache::ttl<>, cache::max_entries, cache::mutex>;

template <toolbox Box, class Cache = default_tool_cache>
class cached_toolbox {
public:
    struct config {
        bool enabled = true;
        std::vector<std::string> exclude_patterns{"shell.exec", "process.*"};
        typename Cache::config cache = default_cache_config();
    };

    explicit cached_toolbox(Box box) : cached_toolbox(std::move(box), config{}) {}
    cached_toolbox(Box box, config cfg)
        : box_(std::move(box)), cfg_(std::move(cfg)), cache_(std::make_unique<Cache>(cfg_.cache)) {}

    std::vector<tool_spec> specs() const { return box_.specs(); }
    bool contains(std::string_view name) const { return box_.contains(name); }

    std::string invoke(std::string_view name, std::string_view arguments, std::stop_token stop = {}) {
        if (!cacheable(name)) return box_.invoke(name, arguments, std::move(stop));
        std::string key;
        key.reserve(name.size() + 1 + arguments.size());
        key.append(name).push_back('\0');
        key.append(arguments);
        if (auto hit = cache_->get(key)) return std::move(*hit);
        std::string out = box_.invoke(name, arguments, std::move(stop));
        cache_->put(std::move(key), out);
        return out;
    }

    bool cacheable(std::string_view name) const {
        if (!cfg_.enabled) return false;
        for (const auto& p : cfg_.exclude_patterns)
            if (cache::glob_match(p, name)) return false;
        return true;
    }
    Cache& result_cache() noexcept { return *cache_; }
    Box& inner() noexcept { return box_; }

private:
    static typename Cache::config default_cache_config() {
        typename Cache::config c;
        c.max_size = 1000;
        if constexpr (requires { c.expiry.ttl = std::chrono::seconds(300); }) c.expiry.ttl = std::chrono::seconds(300);
        return c;
    }

    Box box_;
    config cfg_;
    std::unique_ptr<Cache> cache_;  // behind a pointer: the toolbox moves into an agent, the cache need not
};

}  // namespace agentkit::tools
