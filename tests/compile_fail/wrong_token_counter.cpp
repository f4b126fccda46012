// expect: with_tokens<P>: P is not a token counter
#include <agentkit/agent/agent.hpp>
#include <string>

using ok = agentkit::agent<agentkit::with_tokens<agentkit::text::chars_per_token<4>>>;
static_assert(sizeof(ok) > 0);

#ifdef AGENTKIT_COMPILE_FAIL
struct not_a_counter {};
agentkit::agent<agentkit::with_tokens<not_a_counter>> bad;
#endif
int main() {}
