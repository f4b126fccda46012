// expect: with_storage<P>: P is not a storage backend
#include <agentkit/agent/agent.hpp>
#include <string>

using ok = agentkit::agent<agentkit::with_tokens<agentkit::text::chars_per_token<4>>>;
static_assert(sizeof(ok) > 0);

#ifdef AGENTKIT_COMPILE_FAIL
struct write_only {
    void append(std::string_view, const agentkit::message&) {}
};
agentkit::agent<agentkit::with_storage<write_only>> bad;
#endif
int main() {}
