// expect: with_cache<P>: the loop cannot answer model calls from P's cache
#include <agentkit/agent/agent.hpp>
#include <agentkit/model/scripted_provider.hpp>

#include <string>
#include <unordered_map>

struct plain_map {  // a cache policy without get/put, marked as a plain store
    static constexpr bool plain_store = true;
    template <class K, class V>
    using cache_type = std::unordered_map<K, V>;
};
agentkit::agent<agentkit::with_model<agentkit::model::scripted_provider>, agentkit::with_cache<plain_map>> ok;

#ifdef AGENTKIT_COMPILE_FAIL
struct map_cache {  // the same without the mark: the loop would silently never use it
    template <class K, class V>
    using cache_type = std::unordered_map<K, V>;
};
agentkit::agent<agentkit::with_model<agentkit::model::scripted_provider>, agentkit::with_cache<map_cache>> bad;
#endif
int main() {}
