// Smallest real use of an installed agentkit: assemble an agent, hold a conversation, count tokens.
#include <agentkit/agentkit.hpp>

#include <cstdio>

int main() {
    agentkit::agent<agentkit::with_tokens<agentkit::text::chars_per_token<4>>> agent;
    agent.history().append(agentkit::message::user("Hello from the agentkit test package"));
    const auto tokens = agent.history_tokens();
    std::printf("agentkit %s test_package: %zu message(s), %zu estimated token(s)\n", AGENTKIT_VERSION_STRING,
                agent.history().size(), tokens);
    return tokens == 9 ? 0 : 1;
}
