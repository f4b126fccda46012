// Compile-time benchmark TU: the cache alone (a W-TinyLFU and an LRU cache of string -> string with
// get/put, one of them with a TTL and sharded), as a user who only caches writes it.
#include <agentkit/cache/cache.hpp>
#include <agentkit/cache/expiry.hpp>

#include <chrono>
#include <cstdio>
#include <string>

int main(int argc, char**) {
    namespace cache = agentkit::cache;
    cache::cache<std::string, std::string, cache::w_tinylfu> tinylfu({.max_size = 1000});
    cache::cache<std::string, std::string, cache::lru, cache::ttl<>, cache::max_entries, cache::sharded<4>> lru(
        {.max_size = 1000, .expiry = {.ttl = std::chrono::minutes(5)}});
    for (int i = 0; i < 5000 * argc; ++i) {
        const std::string key = "key " + std::to_string(i % 1500);
        if (!tinylfu.get(key)) tinylfu.put(key, "value " + key);
        if (!lru.get(key)) lru.put(key, "value " + key);
    }
    const auto s = tinylfu.statistics();
    std::printf("%llu hits, %llu misses, lru size %zu\n", static_cast<unsigned long long>(s.hits),
                static_cast<unsigned long long>(s.misses), lru.size());
    return s.hits > 0 ? 0 : 1;
}
