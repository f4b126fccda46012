#pragma once
// Seed keys of the tools layer (Flynn's tools.executor and tools.cache blocks; Victor's parallel tools):
//   tools.executor.defaultTimeoutMs / maxOutputBytes / parallelExecution / maxWorkers / parallelThreshold /
//                  timeoutsMs (per tool) / shutdownTimeoutMs -> tools::executor::config
//   tools.cache.enabled / ttl (seconds, or "5m") / maxSize / excludePatterns -> cache::tool_result_cache::config
#include <agentkit/cache/tool_result_cache.hpp>
#include <agentkit/config/codecs.hpp>
#include <agentkit/tools/executor.hpp>

#include <cstddef>
#include <cstdint>

namespace agentkit::config {

template <class V>
void visit(V& v, tools::executor::config& c) {
    v.duration("defaultTimeoutMs", c.default_timeout, duration_style::integer, std::chrono::milliseconds(1));
    v.integer("maxOutputBytes", c.max_output_bytes, std::size_t{1}, std::size_t{1} << 40);
    v.boolean("parallelExecution", c.parallel_execution_enabled);
    v.integer("maxWorkers", c.max_workers, std::size_t{1}, std::size_t{1024});
    v.integer("parallelThreshold", c.parallel_threshold, std::size_t{1}, std::size_t{1} << 20);
    v.map("timeoutsMs", c.timeouts, duration_codec{});
    v.duration("shutdownTimeoutMs", c.shutdown_timeout, duration_style::integer);
}

// tool_result_cache::config is a member of a class template; any instantiation's config has these fields.
template <class V, class Config>
requires requires(Config c) {
    c.exclude_patterns;
    c.max_size;
    c.ttl;
    c.enabled;
}
void visit_tool_cache(V& v, Config& c) {
    v.boolean("enabled", c.enabled);
    v.duration("ttl", c.ttl, duration_style::integer);
    v.integer("maxSize", c.max_size, std::size_t{1}, std::size_t{1} << 32);
    v.strings("excludePatterns", c.exclude_patterns);
}

}  // namespace agentkit::config
