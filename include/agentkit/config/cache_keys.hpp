#pragma once
// Seed keys of the ready-made caches:
//   memory.embeddings.cache.enabled / ttl (seconds, or "24h") / cache_size   -> cache::embedding_cache::config
//        (Flynn's memory.embeddings.cache, Caxton's embedding_config.cache_size)
//   response_cache.enabled / ttl ("5m") / cache_size (bytes) / max_entry_size -> cache::response_cache::config
//        (Caxton's response_cache_ttl and cache_size)
//   file_cache.max_cache_size / max_file_size / max_read_size / max_workers / parallel_threshold -> cache::file_cache::config
//        (the workflow system's MAX_CACHE_SIZE, MAX_FILE_SIZE, MAX_WORKERS, PARALLEL_THRESHOLD)
// The tool-result cache is under tools.cache (tools_keys.hpp).
#include <agentkit/cache/embedding_cache.hpp>
#include <agentkit/cache/file_cache.hpp>
#include <agentkit/cache/response_cache.hpp>
#include <agentkit/config/reader.hpp>

#include <cstddef>

namespace agentkit::config {

template <class V, class Config>
requires requires(Config c) {
    c.ttl;
    c.cache_size;
}
void visit_embedding_cache(V& v, Config& c) {
    v.duration("ttl", c.ttl, duration_style::integer);
    v.integer("cache_size", c.cache_size, std::size_t{1}, std::size_t{1} << 32);
}

template <class V, class Config>
requires requires(Config c) {
    c.ttl;
    c.cache_size;
    c.max_entry_size;
}
void visit_response_cache(V& v, Config& c) {
    v.duration("ttl", c.ttl, duration_style::text);
    v.integer("cache_size", c.cache_size, std::size_t{8}, std::size_t{1} << 44);  // bytes; >= its 8 shards
    v.integer("max_entry_size", c.max_entry_size, std::size_t{0}, std::size_t{1} << 44);
}

template <class V>
void visit(V& v, cache::file_cache::config& c) {
    v.integer("max_cache_size", c.max_cache_size, std::size_t{1}, std::size_t{1} << 32);
    v.integer("max_file_size", c.max_file_size, std::size_t{1}, std::size_t{1} << 44);
    v.integer("max_read_size", c.max_read_size, std::size_t{1}, std::size_t{1} << 44);
    v.integer("max_workers", c.max_workers, std::size_t{1}, std::size_t{1024});
    v.integer("parallel_threshold", c.parallel_threshold, std::size_t{1}, std::size_t{1} << 20);
}

}  // namespace agentkit::config
