// expect: Eviction is not an eviction policy
#include <agentkit/cache/cache.hpp>

agentkit::cache::cache<int, int, agentkit::cache::lru> ok;

#ifdef AGENTKIT_COMPILE_FAIL
struct not_a_policy {};
agentkit::cache::cache<int, int, not_a_policy> bad;
#endif
int main() {}
