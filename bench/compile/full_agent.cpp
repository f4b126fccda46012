// Compile-time benchmark TU: an agent with every slot filled, as a production deployment assembles it:
//   model       model::router over an OpenAI-compatible endpoint (openai_provider over transport::http,
//               streamed) with a local scripted tier as the last fallback (so the program also runs offline)
//   tools       tools::tool_set of two tools          tokens      text::chars_per_token<4>
//   retry       exponential backoff, full jitter      compaction  memory::summary_buffer, bound to the router
//   storage     storage::sqlite (SQLite, in memory)   cache       response_caching<> (W-TinyLFU, sharded)
//   transport   transport::http                       metrics     observe::metric_registry, Prometheus text
// The run/stream path of every slot is instantiated. AGENTKIT_BASE_URL overrides the endpoint.
#include <agentkit/agentkit.hpp>
#include <agentkit/agent/response_caching.hpp>
#include <agentkit/memory/summary_buffer.hpp>
#include <agentkit/model/openai_provider.hpp>
#include <agentkit/model/router.hpp>
#include <agentkit/model/scripted_provider.hpp>
#include <agentkit/observe/metric_registry.hpp>
#include <agentkit/observe/prometheus_text.hpp>
#include <agentkit/observe/scoped_timer.hpp>
#include <agentkit/resilience/backoff.hpp>
#include <agentkit/storage/sqlite_backend.hpp>
#include <agentkit/tools/arguments.hpp>
#include <agentkit/tools/tool_set.hpp>
#include <agentkit/transport/http.hpp>
#include <fmt/core.h>

#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

using namespace agentkit;
using step = model::scripted_provider::step;

namespace {
double number(std::string_view args, const char* name) { return tools::arguments(args).number(name); }

auto multiply = tools::make_tool(
    "multiply", "Multiplies a by b",
    R"({"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]})",
    [](std::string_view args) { return fmt::format("{}", number(args, "a") * number(args, "b")); });
auto add = tools::make_tool(
    "add", "Adds a and b",
    R"({"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]})",
    [](std::string_view args) { return fmt::format("{}", number(args, "a") + number(args, "b")); });

using full_agent = agent<with_model<model::router>, with_tools<tools::tool_set<decltype(multiply), decltype(add)>>,
                         with_tokens<text::chars_per_token<4>>,
                         with_compaction<memory::summary_buffer<text::chars_per_token<4>, memory::callable_summarizer>>,
                         with_storage<storage::sqlite>, with_cache<response_caching<>>>;

model::router make_router() {
    model::router::config rc;
    rc.tiers = {{"fast", "openai:gpt-4o-mini"}, {"default", "openai:gpt-4o"}};
    rc.fallback_chain = {"local:scripted"};
    rc.retry.max_attempts = 1;
    model::router rt(rc);
    using openai = model::openai_provider<transport::http>;
    openai::config local;
    local.base_url = "http://127.0.0.1:9/v1";  // the discard port: refused at once, so the fallback answers
    const auto pc = openai::config::from_env().value_or(local);
    rt.add_provider("openai", model::openai_provider(pc, transport::http{}));
    rt.add_provider("local",
                    model::scripted_provider{step::call("call_1", "multiply", R"({"a":6,"b":7})"),
                                             step::reply("6 times 7 is 42.")});
    return rt;
}
}  // namespace

int main() {
    try {
        observe::metric_registry metrics;
        auto& turns = metrics.add_counter("agent_turns", "User turns run");
        auto& tool_calls = metrics.add_counter("agent_tool_calls", "Tool calls made by the model");
        auto& latency = metrics.add_histogram("agent_turn_duration_seconds", "Wall time of a user turn").with({});

        full_agent a(make_router(), tools::tool_set(multiply, add));
        a.storage().create_session(a.configuration().session);
        a.set_system_prompt("You are a concise assistant. Use the tools for arithmetic.");
        agent_callbacks cb;
        cb.on_delta = [](const model::chat_delta& d) { fmt::print("{}", d.content); };
        cb.on_tool_call = [&](const tool_call& c) {
            tool_calls.with({}).increment();
            fmt::print("[{}]", c.name);
        };
        for (const char* q : {"What is 6 times 7?", "What is 6 times 7?"}) {
            observe::scoped_timer timer(latency);
            const auto r = a.run(q, cb);
            turns.with({}).increment();
            fmt::print("\n{} model calls, {} cache hits\n", r.iterations, r.cache_hits);
        }
        fmt::print("{} stored messages\n{}", a.storage().last("default", 100).size(),
                   observe::to_prometheus_text(metrics));
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "full_agent: %s\n", e.what());
        return 1;
    }
}
