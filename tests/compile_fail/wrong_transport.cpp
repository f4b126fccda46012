// expect: with_transport<P>: P is not a transport
#include <agentkit/agent/agent.hpp>
#include <string>

using ok = agentkit::agent<agentkit::with_tokens<agentkit::text::chars_per_token<4>>>;
static_assert(sizeof(ok) > 0);

#ifdef AGENTKIT_COMPILE_FAIL
struct mute { using request = int; using response = int; };
agentkit::agent<agentkit::with_transport<mute>> bad;
#endif
int main() {}
