// expect: with_model<P>: P is not a model provider
#include <agentkit/agent/agent.hpp>
#include <string>

using ok = agentkit::agent<agentkit::with_tokens<agentkit::text::chars_per_token<4>>>;
static_assert(sizeof(ok) > 0);

#ifdef AGENTKIT_COMPILE_FAIL
struct silent_model {
    std::string complete(const std::string& prompt) { return prompt; }
};
agentkit::agent<agentkit::with_model<silent_model>> bad;
#endif
int main() {}
