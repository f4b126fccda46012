// expect: with_tools<P>: P is not a toolbox
#include <agentkit/agent/agent.hpp>
#include <string>
#include <vector>

using ok = agentkit::agent<agentkit::with_tokens<agentkit::text::chars_per_token<4>>>;
static_assert(sizeof(ok) > 0);

#ifdef AGENTKIT_COMPILE_FAIL
struct just_names {
    std::vector<std::string> names;
};
agentkit::agent<agentkit::with_tools<just_names>> bad;
#endif
int main() {}
