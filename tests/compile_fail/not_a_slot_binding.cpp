// expect: every argument must be a slot binding
#include <agentkit/agent/agent.hpp>
#include <string>

using ok = agentkit::agent<agentkit::with_tokens<agentkit::text::chars_per_token<4>>>;
static_assert(sizeof(ok) > 0);

#ifdef AGENTKIT_COMPILE_FAIL
agentkit::agent<agentkit::text::chars_per_token<4>> bad;
#endif
int main() {}
