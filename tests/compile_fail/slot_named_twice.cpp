// expect: a slot is given more than one policy
#include <agentkit/agent/agent.hpp>
#include <string>

using ok = agentkit::agent<agentkit::with_tokens<agentkit::text::chars_per_token<4>>>;
static_assert(sizeof(ok) > 0);

#ifdef AGENTKIT_COMPILE_FAIL
agentkit::agent<agentkit::with_tokens<agentkit::text::chars_per_token<4>>,
                agentkit::with_tokens<agentkit::text::chars_per_token<3>>>
    bad;
#endif
int main() {}
