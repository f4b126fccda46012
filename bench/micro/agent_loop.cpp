// The ReAct loop's own cost per model call (iteration), excluding the model: the scripted provider answers at
// once, so what is measured is request assembly (history copy, tool specs), response handling, tool dispatch
// through the executor and history bookkeeping. One turn = user -> model (tool call) -> tool -> model (answer).
//
// BM_Turn/<turn>/<model>/<driver>: the same turn driven synchronously (a.run(text)) and as a coroutine
// (co_await a.async_run(text), inside a coroutine already running on an io_context, no offload), side by side
// so async / sync can be read per turn:
//   <turn>   answer (user -> answer, 1 model call) or tool (user -> tool call -> tool -> answer, 2 calls);
//   <model>  scripted (model::scripted_provider: synchronous, called inline by both drivers) or in_process
//            (model::openai_provider over transport::in_process: the real provider's request encoding and
//            response decoding, answered at once by an in-process handler with no timer; async_run awaits its
//            async_complete, run() calls its complete).
#include <agentkit/agent/agent.hpp>
#include <agentkit/agent/async_agent.hpp>
#include <agentkit/model/openai_provider.hpp>
#include <agentkit/model/router.hpp>
#include <agentkit/model/scripted_provider.hpp>
#include <agentkit/tools/tool_set.hpp>
#include <agentkit/transport/in_process.hpp>

#include <benchmark/benchmark.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <exception>
#include <string>

#include <sys/resource.h>

namespace {
using step = agentkit::model::scripted_provider::step;
auto lookup() {
    return agentkit::tools::make_tool("lookup", "looks a word up",
                                      R"({"type":"object","properties":{"q":{"type":"string"}}})",
                                      [](std::string_view) { return std::string("a short definition"); });
}
using tools_t = agentkit::tools::tool_set<decltype(lookup())>;
using agent_t =
    agentkit::agent<agentkit::with_model<agentkit::model::scripted_provider>, agentkit::with_tools<tools_t>>;

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
    state.counters["iterations"] =
        benchmark::Counter(static_cast<double>(iterations), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
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
    state.counters["iterations"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
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
    state.counters["iterations"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_AgentTurnAnswerOnlyAsync)->UseRealTime();

// --- run() vs co_await async_run(), per model and turn ---------------------------------------------------------

using in_process_provider = agentkit::model::openai_provider<agentkit::transport::in_process<>>;

// An OpenAI-compatible endpoint in the same process: the answer "ok", or (tool turns) a lookup call on the
// first model call of each turn and the answer on the second.
in_process_provider in_process_model(bool calls_tool) {
    static const std::string answer =
        R"({"id":"c","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},)"
        R"("finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}})";
    static const std::string tool_call =
        R"({"id":"c","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,)"
        R"("tool_calls":[{"id":"c1","type":"function","function":{"name":"lookup","arguments":"{\"q\":\"ReAct\"}"}}]},)"
        R"("finish_reason":"tool_calls"}],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}})";
    auto handler = [calls_tool, next_is_call = true](const agentkit::transport::http_request&) mutable {
        agentkit::transport::http_response res;
        res.status = 200;
        if (calls_tool && next_is_call) {
            res.body = tool_call;
        } else {
            res.body = answer;
        }
        if (calls_tool) next_is_call = !next_is_call;
        return res;
    };
    in_process_provider::config c;
    c.base_url = "http://in-process/v1";
    c.model = "m";
    return in_process_provider(c, agentkit::transport::in_process<>(std::move(handler)));
}
agentkit::model::scripted_provider scripted_model(bool calls_tool) {
    if (calls_tool) return tool_then_answer();
    agentkit::model::scripted_provider p;
    p.record_requests(false);
    p.otherwise([](const agentkit::model::chat_request&) { return step::reply("ok"); });
    return p;
}

template <class Agent>
void keep_history_short(Agent& a) {
    if (a.history().size() > 64) a.history().replace(1, a.history().size(), {});  // keep the system prompt
}
template <class Agent>
void count_turns(benchmark::State& state, std::uint64_t model_calls, const Agent& a) {
    state.counters["model_calls_per_turn"] =
        static_cast<double>(model_calls) / static_cast<double>(std::max<std::int64_t>(1, state.iterations()));
    state.counters["sizeof_agent"] = sizeof(a);
}

template <class Agent>
void sync_turns(benchmark::State& state, Agent& a, const char* text) {
    std::uint64_t calls = 0;
    for (auto _ : state) {
        calls += a.run(text).iterations;
        keep_history_short(a);
    }
    count_turns(state, calls, a);
}

// The benchmark loop runs inside one coroutine on an io_context (what a server's session coroutine does), so
// each iteration is one co_await a.async_run(...), not a co_spawn and an io_context run.
template <class Agent>
void async_turns(benchmark::State& state, Agent& a, const char* text) {
    boost::asio::io_context io(1);
    std::uint64_t calls = 0;
    std::exception_ptr failure;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
            for (auto _ : state) {
                const agentkit::turn_result r = co_await a.async_run(text);
                calls += r.iterations;
                keep_history_short(a);
            }
        },
        [&](std::exception_ptr e) { failure = e; });
    io.run();
    if (failure) {
        try {
            std::rethrow_exception(failure);
        } catch (const std::exception& e) {
            state.SkipWithError(e.what());
        }
        return;
    }
    count_turns(state, calls, a);
}

enum class turn_kind { answer, tool };
enum class driver { run, async_run };

template <class Model>
void BM_Turn(benchmark::State& state, turn_kind kind, driver how, Model (*make)(bool)) {
    const bool tool = kind == turn_kind::tool;
    const char* text = tool ? "What does ReAct mean?" : "ping";
    auto drive = [&](auto& a) {
        a.set_system_prompt("You are a benchmark agent.");
        if (how == driver::run)
            sync_turns(state, a, text);
        else
            async_turns(state, a, text);
    };
    if (tool) {
        agentkit::agent<agentkit::with_model<Model>, agentkit::with_tools<tools_t>> a(make(true), tools_t(lookup()));
        drive(a);
    } else {
        agentkit::agent<agentkit::with_model<Model>> a(make(false));
        drive(a);
    }
}

BENCHMARK_CAPTURE(BM_Turn, answer / scripted / run, turn_kind::answer, driver::run, &scripted_model)->UseRealTime();
BENCHMARK_CAPTURE(BM_Turn, answer / scripted / async_run, turn_kind::answer, driver::async_run, &scripted_model)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Turn, answer / in_process / run, turn_kind::answer, driver::run, &in_process_model)->UseRealTime();
BENCHMARK_CAPTURE(BM_Turn, answer / in_process / async_run, turn_kind::answer, driver::async_run, &in_process_model)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Turn, tool / scripted / run, turn_kind::tool, driver::run, &scripted_model)->UseRealTime();
BENCHMARK_CAPTURE(BM_Turn, tool / scripted / async_run, turn_kind::tool, driver::async_run, &scripted_model)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Turn, tool / in_process / run, turn_kind::tool, driver::run, &in_process_model)->UseRealTime();
BENCHMARK_CAPTURE(BM_Turn, tool / in_process / async_run, turn_kind::tool, driver::async_run, &in_process_model)
    ->UseRealTime();
}  // namespace
