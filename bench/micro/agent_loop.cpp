// The ReAct loop's own cost per model call (iteration), excluding the model: the scripted provider answers at
// once, so what is measured is request assembly (history copy, tool specs), response handling, tool dispatch
// through the executor and history bookkeeping. One turn = user -> model (tool call) -> tool -> model (answer).
#include <agentkit/agent/agent.hpp>
#include <agentkit/agent/async_agent.hpp>
#include <agentkit/model/router.hpp>
#include <agentkit/model/scripted_provider.hpp>
#include <agentkit/tools/tool_set.hpp>

#include <benchmark/benchmark.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <sys/resource.h>

namespace {
using step = agentkit::model::scripted_provider::step;
auto lookup() {
    return agentkit::tools::make_tool("lookup", "looks a word up", R"({"type":"object","properties":{"q":{"type":"string"}}})",
                                      [](std::string_view) { return std::string("a short definition"); });
}
using tools_t = agentkit::tools::tool_set<decltype(lookup())>;
using agent_t = agentkit::agent<agentkit::with_model<agentkit::model::scripted_provider>, agentkit::with_tools<tools_t>>;

agentkit::model::scripted_provider tool_then_answer() {
    agentkit::model::scripted_provider p;
    p.record_requests(false);
    p.otherwise([](const agentkit::model::chat_request& r) {
        return r.messages.back().role() == agentkit::role::tool ? step::reply("It means: a short definition.")
                                                                : step::call("c1", "lookup", R"({"q":"ReAct"})");
    });
    return p;
}
double peak_rss_kb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss);
}

void BM_AgentTurnWithOneToolCall(benchmark::State& state) {
    agent_t a(tool_then_answer(), tools_t(lookup()));
    a.set_system_prompt("You are a benchmark agent.");
    std::uint64_t iterations = 0;
    for (auto _ : state) {
        auto r = a.run("What does ReAct mean?");
        iterations += r.iterations;
        if (a.history().size() > 64) a.history().replace(1, a.history().size(), {});  // keep the system prompt
    }
    state.counters["iterations"] = benchmark::Counter(static_cast<double>(iterations), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["peak_rss_kb"] = peak_rss_kb();
    state.counters["sizeof_agent"] = sizeof(agent_t);
}
BENCHMARK(BM_AgentTurnWithOneToolCall)->UseRealTime();

// One-iteration turns ("ping" -> "ok"), the history kept short so every turn costs the same.
template <class Agent>
void run_answer_only_turns(benchmark::State& state, Agent& a) {
    for (auto _ : state) {
        benchmark::DoNotOptimize(a.run("ping"));
        if (a.history().size() > 64) a.history().clear();
    }
    state.counters["iterations"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["peak_rss_kb"] = peak_rss_kb();
    state.counters["sizeof_agent"] = sizeof(a);
}

void BM_AgentTurnAnswerOnly(benchmark::State& state) {
    agentkit::model::scripted_provider p;
    p.record_requests(false);
    p.otherwise([](const agentkit::model::chat_request&) { return step::reply("ok"); });
    agentkit::agent<agentkit::with_model<agentkit::model::scripted_provider>> a(std::move(p));
    run_answer_only_turns(state, a);
}
BENCHMARK(BM_AgentTurnAnswerOnly)->UseRealTime();

// The same one-iteration turn with a model::router in the model slot: what the per-provider resilience stack
// (bulkhead slot, circuit breaker permission and outcome, usage and cost accounting) adds per model call.
void BM_AgentTurnThroughRouter(benchmark::State& state) {
    agentkit::model::router::config c;
    c.tiers = {{"fast", "local:a"}, {"default", "local:b"}, {"complex", "local:c"}};
    c.prices = {{"local:b", {0.15, 0.60}}};
    agentkit::model::router rt(c);
    agentkit::model::scripted_provider p;
    p.record_requests(false);
    p.otherwise([](const agentkit::model::chat_request&) { return step::reply("ok"); });
    rt.add_provider("local", std::move(p));
    agentkit::agent<agentkit::with_model<agentkit::model::router>> a(std::move(rt));
    run_answer_only_turns(state, a);
}
BENCHMARK(BM_AgentTurnThroughRouter)->UseRealTime();
// The answer-only turn through async_run: what the coroutine frame, the hop of the (synchronous) model call
// to the offload pool and back, and the io_context's scheduling add to the synchronous loop above.
void BM_AgentTurnAnswerOnlyAsync(benchmark::State& state) {
    agentkit::model::scripted_provider p;
    p.record_requests(false);
    p.otherwise([](const agentkit::model::chat_request&) { return step::reply("ok"); });
    agentkit::agent<agentkit::with_model<agentkit::model::scripted_provider>> a(std::move(p));
    boost::asio::io_context io;
    boost::asio::thread_pool offload(1);
    for (auto _ : state) {
        bool done = false;
        boost::asio::co_spawn(
            io,
            [&]() -> boost::asio::awaitable<void> {
                benchmark::DoNotOptimize(co_await agentkit::async_run(a, "ping", {}, offload.get_executor()));
                done = true;
            },
            boost::asio::detached);
        io.restart();
        io.run();
        if (!done) state.SkipWithError("the turn did not finish");
        if (a.history().size() > 64) a.history().clear();
    }
    state.counters["iterations"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_AgentTurnAnswerOnlyAsync)->UseRealTime();
}  // namespace
