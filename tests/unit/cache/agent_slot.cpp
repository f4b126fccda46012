// The agent's cache slot takes the real eviction policies: with_cache<cache::lru> gives the agent an
// lru cache of prompt -> completion.
#include <agentkit/agent/agent.hpp>
#include <agentkit/cache/cache.hpp>

#include <gtest/gtest.h>

#include <string>
#include <type_traits>

// Everything in one namespace named after the file (the layer may be built as one unity executable).
namespace cache_agent_slot_test {

namespace ak = agentkit;

static_assert(ak::cache::cache_policy<ak::cache::lru> && ak::cache::cache_policy<ak::cache::fifo> &&
              ak::cache::cache_policy<ak::cache::sieve> && ak::cache::cache_policy<ak::cache::w_tinylfu>);

TEST(AgentSlot, WithCacheLru) {
    using my_agent = ak::agent<ak::with_cache<ak::cache::lru>>;
    static_assert(std::is_same_v<my_agent::cache_type, ak::cache::cache<std::string, std::string, ak::cache::lru>>);
    my_agent a;
    a.cache().put("prompt", "completion");
    EXPECT_EQ(a.cache().get("prompt"), "completion");
    EXPECT_EQ(a.cache().capacity(), 1000u);  // the default max_size (seeds: tools.cache.maxSize)
}

TEST(AgentSlot, WithCacheWTinyLfu) {
    ak::agent<ak::with_cache<ak::cache::w_tinylfu>> a;
    EXPECT_EQ(a.cache().get_or_compute("p", [] { return std::string("c"); }), "c");
    EXPECT_EQ(a.cache().statistics().misses, 1u);
}

}  // namespace cache_agent_slot_test
