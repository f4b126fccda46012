#include <agentkit/agent/agent.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <type_traits>
#include <unordered_map>

// Test-local policies that satisfy each slot's concept, so the assembly is tested without the layers'
// real policies (those have their own tests).
namespace {
struct map_cache_policy {
    template <class K, class V>
    using cache_type = std::unordered_map<K, V>;
};
struct fixed_backoff {
    std::chrono::nanoseconds delay(std::uint32_t, std::chrono::nanoseconds, std::mt19937_64&) const {
        return std::chrono::milliseconds(10);
    }
};
struct never_compact {
    bool maybe_compact(agentkit::conversation&, std::size_t) { return false; }
};
struct vector_store {
    std::vector<agentkit::message> all;
    void append(std::string_view, const agentkit::message& m) { all.push_back(m); }
    std::vector<agentkit::message> last(std::string_view, std::size_t n) const {
        return {all.end() - static_cast<std::ptrdiff_t>(std::min(n, all.size())), all.end()};
    }
};

template <class A>
concept has_cache_accessor = requires(A& a) {
    a.cache();
};
template <class A>
concept has_storage_accessor = requires(A& a) {
    a.storage();
};
}  // namespace

using namespace agentkit;

TEST(Agent, SlotsInAnyOrderGiveTheSameAgent) {
    using one = agent<with_cache<map_cache_policy>, with_retry<fixed_backoff>>;
    using two = agent<with_retry<fixed_backoff>, with_cache<map_cache_policy>>;
    static_assert(std::is_same_v<one::cache_type, two::cache_type>);
    static_assert(std::is_same_v<one::retry_type, two::retry_type>);
    static_assert(std::is_same_v<one::cache_type, std::unordered_map<std::string, std::string>>);
    SUCCEED();
}

TEST(Agent, UnnamedSlotsTakeTheDocumentedDefaults) {
    using a = agent<>;
    static_assert(std::is_same_v<a::tokens_policy, defaults::tokens>);
    static_assert(std::is_same_v<a::cache_policy, defaults::cache>);
    static_assert(std::is_same_v<a::retry_policy, defaults::retry>);
    static_assert(std::is_same_v<a::compaction_policy, defaults::compaction>);
    static_assert(std::is_same_v<a::storage_policy, defaults::storage>);
    static_assert(std::is_same_v<a::hooks_policy, defaults::hooks>);
    a agent;
    agent.history().append(message::user("12345678"));
    EXPECT_EQ(agent.history_tokens(), 2u);  // chars_per_token<4>
}

TEST(Agent, NonePoliciesCompileAway) {
    using bare = agent<with_tokens<none>, with_cache<none>, with_retry<none>, with_compaction<none>, with_storage<none>,
                       with_hooks<none>>;
    using full = agent<with_tokens<text::chars_per_token<4>>, with_cache<map_cache_policy>, with_retry<fixed_backoff>,
                       with_compaction<never_compact>, with_storage<vector_store>>;
    // A bare agent is only its history: every none slot takes no byte.
    static_assert(sizeof(bare) == sizeof(conversation));
    static_assert(!bare::has_cache && !bare::has_retry && !bare::has_storage && !bare::has_hooks);
    static_assert(!has_cache_accessor<bare> && !has_storage_accessor<bare>);
    static_assert(has_cache_accessor<full> && has_storage_accessor<full>);
    static_assert(sizeof(full) >= sizeof(conversation) + sizeof(std::unordered_map<std::string, std::string>) +
                      sizeof(std::vector<message>));
    // A none cache costs nothing next to the same agent with one.
    static_assert(sizeof(agent<with_cache<none>, with_retry<fixed_backoff>>) ==
                  sizeof(agent<with_retry<fixed_backoff>>));
    full a;
    a.cache()["prompt"] = "completion";
    a.storage().append("s1", message::user("hi"));
    EXPECT_EQ(a.storage().last("s1", 5).size(), 1u);
    EXPECT_FALSE(a.compaction().maybe_compact(a.history(), 128000));
}
