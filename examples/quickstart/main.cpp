// quickstart: an agent assembled from policies holds a multi-turn conversation with a tool call, on the
// scripted provider (a test double) or on the endpoint AGENTKIT_BASE_URL (+ AGENTKIT_API_KEY, AGENTKIT_MODEL):
// OpenAI-compatible by default, Anthropic's Messages API with AGENTKIT_PROVIDER=anthropic. With
// AGENTKIT_DB=<file> the conversation is kept in that SQLite file, and the next run resumes it.
#include <agentkit/agentkit.hpp>
#include <agentkit/model/anthropic_provider.hpp>
#include <agentkit/model/any_provider.hpp>
#include <agentkit/model/openai_provider.hpp>
#include <agentkit/model/scripted_provider.hpp>
#include <agentkit/resilience/backoff.hpp>
#include <agentkit/storage/sqlite_backend.hpp>
#include <agentkit/tools/arguments.hpp>
#include <agentkit/tools/tool_set.hpp>
#include <agentkit/transport/http.hpp>
#include <fmt/core.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

using namespace agentkit;
using step = model::scripted_provider::step;

// A tool: name, description, JSON schema of its arguments, and the function. The executor checks the
// arguments against the schema before calling; the function still reads them defensively.
auto multiply = tools::make_tool(
    "multiply", "Multiplies a by b",
    R"({"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]})",
    [](std::string_view args) {
        const tools::arguments a(args);  // a missing or non-number field is an error naming it
        return fmt::format("{}", a.number("a") * a.number("b"));
    });

// The agent's policies, one slot each; the slots not named here (cache, compaction, hooks) cost nothing.
using my_agent = agent<with_model<model::any_provider>, with_tools<tools::tool_set<decltype(multiply)>>,
                       with_retry<resilience::exponential_backoff<resilience::full_jitter>>,
                       with_storage<storage::sqlite>, with_tokens<text::chars_per_token<4>>>;

model::any_provider pick_model() {
    const char* provider = std::getenv("AGENTKIT_PROVIDER");
    const std::string_view kind = provider ? provider : "openai";
    if (kind == "anthropic") {
        if (auto cfg = model::anthropic_provider<transport::http>::config::from_env())
            return model::anthropic_provider(*cfg, transport::http{});
    } else if (kind != "openai") {
        throw_invalid_field("AGENTKIT_PROVIDER", "must be openai or anthropic");
    } else if (auto cfg = model::openai_provider<transport::http>::config::from_env()) {
        return model::openai_provider(*cfg, transport::http{});
    }
    fmt::print("(offline: a scripted model, a test double; set AGENTKIT_BASE_URL to talk to a real one)\n");
    return model::scripted_provider{step::reply("Hello! I am an agentkit agent; ask me to multiply."),
                                    step::call("call_1", "multiply", R"({"a":6,"b":7})"),
                                    step::reply("6 times 7 is 42.")};
}

int run() {
    // Each slot is configured by value at construction, in any order; the others keep their defaults.
    const char* db = std::getenv("AGENTKIT_DB");
    my_agent agent{
        use_model(pick_model()), use_tools(tools::tool_set(multiply)),
        use_retry(resilience::retry_config{.max_attempts = 3, .max_delay = std::chrono::milliseconds(10000)}),
        use_storage(storage::sqlite_config{.path = db && *db ? db : ":memory:"}),
        use_config({.session = "quickstart"})};
    if (agent.history().size() > 0)
        fmt::print("(resumed {} messages of session 'quickstart' from {})\n", agent.history().size(), db);
    agent.set_system_prompt("You are a concise assistant. Use the multiply tool for arithmetic.");

    agent_callbacks show;
    show.on_delta = [](const model::chat_delta& d) {
        fmt::print("{}", d.content);
        std::fflush(stdout);
    };
    show.on_tool_call = [](const tool_call& c) { fmt::print("[tool] {}({})", c.name, c.arguments); };
    show.on_tool_result = [](const tools::tool_outcome& o) { fmt::print(" -> {}\nassistant> ", o.content); };

    for (const char* question : {"Hi! Who are you?", "What is 6 times 7?"}) {
        fmt::print("user> {}\nassistant> ", question);
        const auto turn = agent.run(question, show);
        fmt::print("\n  ({} model calls, {} tool calls, {} + {} tokens)\n", turn.iterations, turn.tool_calls,
                   turn.tokens.prompt_tokens, turn.tokens.completion_tokens);
    }
    fmt::print("agentkit {}: {} messages in the history, ~{} tokens\n", AGENTKIT_VERSION_STRING, agent.history().size(),
               agent.history_tokens());
    return 0;
}

// A model that cannot be reached, a refused key or a malformed reply ends the program with a message and
// exit code 1, not an abort.
int main() {
    try {
        return run();
    } catch (const std::exception& e) {
        std::fflush(stdout);
        fmt::print(stderr, "\nquickstart: {}\n", e.what());
        if (const char* url = std::getenv("AGENTKIT_BASE_URL"); url && *url)
            fmt::print(stderr,
                       "quickstart: check AGENTKIT_BASE_URL, AGENTKIT_API_KEY, AGENTKIT_MODEL and AGENTKIT_PROVIDER\n");
        return 1;
    }
}
