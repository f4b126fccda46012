// Compile-time benchmark TU: the small agent of README.md ("Assembling an agent"), verbatim: no model,
// a token counter, a map cache and no storage.
#include <agentkit/agentkit.hpp>
#include <string>
#include <unordered_map>

struct map_cache {                       // any type naming a cache for <Key, Value> is a cache policy
    template <class K, class V> using cache_type = std::unordered_map<K, V>;
    static constexpr bool plain_store = true;  // no get/put: a store the loop leaves alone (else an error)
};

using my_agent = agentkit::agent<         // slots in any order; unnamed slots take documented defaults
    agentkit::with_tokens<agentkit::text::chars_per_token<4>>,
    agentkit::with_cache<map_cache>,
    agentkit::with_storage<agentkit::none>>;   // `none` compiles away: no member, no branch

int main() {
    my_agent agent;
    agent.history().append(agentkit::message::system("You are concise."));
    agent.history().append(agentkit::message::user("What is 6 times 7?"));
    agent.cache()["What is 6 times 7?"] = "42";
    return agent.history_tokens() > 0 ? 0 : 1;   // counted once per message, then cached
}
