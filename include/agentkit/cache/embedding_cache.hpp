#pragma once
// embedding_cache: embeddings keyed by model + content hash (the memory seed's embeddings cache: ttl 86400 s;
// cache_size 20000 embeddings). The content hash is 128 bits (two independent 64-bit hashes of the
// text), so the cache keeps 32 hex digits per entry instead of the text, with a collision chance that is
// negligible (~n^2 / 2^129).
#include <agentkit/cache/cache.hpp>
#include <agentkit/cache/cache_front.hpp>
#include <agentkit/core/hash.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::cache {

using agentkit::content_hash;  // 128 bits as 32 hex digits (core/hash.hpp)

template <class Eviction = w_tinylfu, class Concurrency = mutex, clock_policy Clock = steady_clock>
class basic_embedding_cache
    : public detail::cache_front<
          basic_embedding_cache<Eviction, Concurrency, Clock>,
          cache<std::string, std::vector<float>, Eviction, ttl<Clock>, max_entries, Concurrency>> {
    using front =
        detail::cache_front<basic_embedding_cache<Eviction, Concurrency, Clock>,
                            cache<std::string, std::vector<float>, Eviction, ttl<Clock>, max_entries, Concurrency>>;

public:
    static constexpr std::string_view metrics_name = "embeddings";  // attach_metrics' default instance
    using embedding = std::vector<float>;
    struct config {
        std::chrono::seconds ttl{86400};  // memory.embeddings.cache.ttl: 24 hours
        std::size_t cache_size = 20000;   // embeddings (cache_size: 20000)
        Clock clock{};
    };
    using cache_type = cache<std::string, embedding, Eviction, ttl<Clock>, max_entries, Concurrency>;

    basic_embedding_cache() : basic_embedding_cache(config{}) {}
    explicit basic_embedding_cache(const config& c)
        : front({.max_size = c.cache_size, .expiry = {.ttl = c.ttl, .clock = c.clock}}) {}

    static std::string key(std::string_view model, std::string_view content) {
        std::string k(model);
        k.push_back('\0');
        k.append(content_hash(content));
        return k;
    }
    std::optional<embedding> get(std::string_view model, std::string_view content) {
        return cache_.get(key(model, content));
    }
    bool put(std::string_view model, std::string_view content, embedding e) {
        return cache_.put(key(model, content), std::move(e));
    }
    template <class F>
    embedding get_or_compute(std::string_view model, std::string_view content, F&& embed) {
        return cache_.get_or_compute(key(model, content), std::forward<F>(embed));
    }

private:
    using front::cache_;
};

using embedding_cache = basic_embedding_cache<>;

}  // namespace agentkit::cache
