// quickstart: assemble an agent type from policies and hold a conversation in it.
// Built and run by `scripts/demo` (the README's first command).
#include <agentkit/agentkit.hpp>

#include <fmt/core.h>

#include <chrono>
#include <random>
#include <string>
#include <unordered_map>

namespace {
// A tiny response cache policy: names the cache type the agent will hold.
struct map_cache {
    template <class K, class V>
    using cache_type = std::unordered_map<K, V>;
};
}  // namespace

using my_agent = agentkit::agent<agentkit::with_tokens<agentkit::text::chars_per_token<4>>,
                                 agentkit::with_cache<map_cache>>;

int main() {
    my_agent agent;
    auto& history = agent.history();
    history.append(agentkit::message::system("You are a concise assistant."));
    history.append(agentkit::message::user("What is 6 times 7?"));
    history.append(agentkit::message::assistant("", {{"call_1", "calculator", R"({"expression":"6*7"})"}}));
    history.append(agentkit::message::tool_result("call_1", "42", "calculator"));
    history.append(agentkit::message::assistant("6 times 7 is 42."));
    agent.cache()["What is 6 times 7?"] = "6 times 7 is 42.";

    fmt::print("agentkit {} quickstart\n", AGENTKIT_VERSION_STRING);
    for (const auto& m : history)
        fmt::print("  {:<9} {}{}\n", agentkit::to_string(m.role()), m.content(),
                   m.tool_calls().empty() ? "" : fmt::format("[calls {}({})]", m.tool_calls()[0].name, m.tool_calls()[0].arguments));
    fmt::print("turns: {}  messages: {}  estimated tokens: {}  cached responses: {}\n", history.turn_count(),
               history.size(), agent.history_tokens(), agent.cache().size());
    fmt::print("slots: cache={} retry={} compaction={} storage={} transport={}\n", my_agent::has_cache,
               my_agent::has_retry, my_agent::has_compaction, my_agent::has_storage, my_agent::has_transport);
    return 0;
}
