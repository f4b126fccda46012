// The tool executor: three independent 100 ms tools in one model turn, in parallel (max_workers 4) vs one at a
// time - the parallel turn should take ~100 ms, not ~300 ms - and the executor's own cost per call for a tool
// that does nothing.
#include <agentkit/tools/executor.hpp>
#include <agentkit/tools/tool_set.hpp>

#include <benchmark/benchmark.h>

#include <chrono>
#include <thread>

namespace {
auto sleepy() {
    return agentkit::tools::make_tool("sleep100", "sleeps 100 ms", "{}", [](std::string_view) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        return std::string("done");
    });
}
auto noop() {
    return agentkit::tools::make_tool("noop", "returns at once", "{}",
                                      [](std::string_view) { return std::string("ok"); });
}
const std::vector<agentkit::tool_call> three = {
    {"1", "sleep100", "{}"}, {"2", "sleep100", "{}"}, {"3", "sleep100", "{}"}};

void run_three(benchmark::State& state, bool parallel) {
    agentkit::tools::tool_set box(sleepy());
    agentkit::tools::executor::config cfg;
    cfg.parallel_execution_enabled = parallel;
    agentkit::tools::executor ex(cfg);
    for (auto _ : state) benchmark::DoNotOptimize(ex.run(box, three));
}
void BM_ThreeSlowToolsParallel(benchmark::State& state) { run_three(state, true); }
void BM_ThreeSlowToolsSequential(benchmark::State& state) { run_three(state, false); }
BENCHMARK(BM_ThreeSlowToolsParallel)->Unit(benchmark::kMillisecond)->Iterations(10)->UseRealTime();
BENCHMARK(BM_ThreeSlowToolsSequential)->Unit(benchmark::kMillisecond)->Iterations(5)->UseRealTime();

void BM_ExecutorOverheadPerCall(benchmark::State& state) {
    agentkit::tools::tool_set box(noop());
    agentkit::tools::executor ex;
    const std::vector<agentkit::tool_call> one = {{"1", "noop", "{}"}};
    for (auto _ : state) benchmark::DoNotOptimize(ex.run(box, one));
}
BENCHMARK(BM_ExecutorOverheadPerCall)->UseRealTime();

void BM_ToolSetDispatchDirect(benchmark::State& state) {  // the Hana tuple, no executor, no thread
    agentkit::tools::tool_set box(noop(), sleepy());
    for (auto _ : state) benchmark::DoNotOptimize(box.invoke("noop", "{}"));
}
BENCHMARK(BM_ToolSetDispatchDirect);
}  // namespace
