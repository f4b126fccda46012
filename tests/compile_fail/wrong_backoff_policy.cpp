// expect: with_retry<P>: P is neither a retry policy
#include <agentkit/agent/agent.hpp>
#include <string>

using ok = agentkit::agent<agentkit::with_tokens<agentkit::text::chars_per_token<4>>>;
static_assert(sizeof(ok) > 0);

#ifdef AGENTKIT_COMPILE_FAIL
struct sleepy {
    int delay() const { return 1; }
};
agentkit::agent<agentkit::with_retry<sleepy>> bad;
#endif
int main() {}
