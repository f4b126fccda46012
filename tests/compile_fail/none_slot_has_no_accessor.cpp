// expect: no matching (member )?function for call|constraints not satisfied|satisfied
#include <agentkit/agent/agent.hpp>
#include <string>

using ok = agentkit::agent<agentkit::with_tokens<agentkit::text::chars_per_token<4>>>;
static_assert(sizeof(ok) > 0);

#ifdef AGENTKIT_COMPILE_FAIL
void use(agentkit::agent<agentkit::with_cache<agentkit::none>>& a) { a.cache(); }
#endif
int main() {}
