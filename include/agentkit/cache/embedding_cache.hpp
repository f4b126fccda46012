#pragma once
// embedding_cache: embeddings keyed by model + content hash (the memory seed's embeddings cache: ttl 86400 s;
// cache_size 20000 embeddings). The content hash is 128 bits (two independent 64-bit hashes of the
// text), so the cache keeps 32 hex digits per entry instead of the text, with a collision chance that is
// negligible (~n^2 / 2^129).
#include <agentkit/cache/cache.hpp>
#include <agentkit/cache/hash.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::cache {

// 128-bit content hash as 32 lowercase hex digits: FNV-1a 64 and a multiply-mix hash with another seed,
// each finished with mix64.
inline std::string content_hash(std::string_view text) {
    std::uint64_t a = 0xcbf29ce484222325ULL, b = 0x9e3779b97f4a7c15ULL ^ text.size();
    for (const unsigned char c : text) {
        a = (a ^ c) * 0x100000001b3ULL;
        b = (b + c) * 0xff51afd7ed558ccdULL;
        b ^= b >> 29;
    }
    a = mix64(a ^ text.size());
    b = mix64(b);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(32, '0');
    for (int i = 0; i < 16; ++i) {
        out[static_cast<std::size_t>(i)] = hex[(a >> (60 - 4 * i)) & 0xf];
        out[static_cast<std::size_t>(16 + i)] = hex[(b >> (60 - 4 * i)) & 0xf];
    }
    return out;
}

template <class Eviction = w_tinylfu, class Concurrency = mutex, clock_policy Clock = steady_clock>
class basic_embedding_cache {
public:
    using embedding = std::vector<float>;
    struct config {
        std::chrono::seconds ttl{86400};  // memory.embeddings.cache.ttl: 24 hours
        std::size_t cache_size = 20000;   // embeddings (cache_size: 20000)
        Clock clock{};
    };
    using cache_type = cache<std::string, embedding, Eviction, ttl<Clock>, max_entries, Concurrency>;

    basic_embedding_cache() : basic_embedding_cache(config{}) {}
    explicit basic_embedding_cache(const config& c) : cache_({.max_size = c.cache_size, .expiry = {.ttl = c.ttl, .clock = c.clock}}) {}

    static std::string key(std::string_view model, std::string_view content) {
        std::string k(model);
        k.push_back('\0');
        k.append(content_hash(content));
        return k;
    }
    std::optional<embedding> get(std::string_view model, std::string_view content) { return cache_.get(key(model, content)); }
    bool put(std::string_view model, std::string_view content, embedding e) { return cache_.put(key(model, content), std::move(e)); }
    template <class F>
    embedding get_or_compute(std::string_view model, std::string_view content, F&& embed) {
        return cache_.get_or_compute(key(model, content), std::forward<F>(embed));
    }
    cache_stats stats() const { return cache_.stats(); }
    // agentkit_cache_*{cache="<instance>"} (cache_metrics.hpp); `registry` must outlive the cache.
    template <observe::registry Registry>
    void attach_metrics(Registry& registry, std::string_view instance = "embeddings") {
        cache_.attach_metrics(registry, instance);
    }
    cache_type& underlying() noexcept { return cache_; }

private:
    cache_type cache_;
};

using embedding_cache = basic_embedding_cache<>;

}  // namespace agentkit::cache
