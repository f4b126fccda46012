// expect: Concurrency is not a concurrency policy
#include <agentkit/cache/cache.hpp>

agentkit::cache::cache<int, int, agentkit::cache::sieve, agentkit::cache::no_expiry, agentkit::cache::max_entries,
                       agentkit::cache::sharded<4>>
    ok({.max_size = 8});

#ifdef AGENTKIT_COMPILE_FAIL
agentkit::cache::cache<int, int, agentkit::cache::lru, agentkit::cache::no_expiry, agentkit::cache::max_entries,
                       std::mutex>
    bad;
#endif
int main() {}
