// What assembling an agent costs at run time: nothing beyond its members. Compares a history token count
// through agent<> with the same count done by hand.
#include <agentkit/agent/agent.hpp>

#include <benchmark/benchmark.h>

namespace {
agentkit::conversation make_history(std::size_t n) {
    agentkit::conversation c;
    for (std::size_t i = 0; i < n; ++i) {
        c.append(agentkit::message::user("question number " + std::to_string(i) + " about the weather in Lisbon"));
        c.append(agentkit::message::assistant("answer number " + std::to_string(i) + ": sunny, 24 degrees"));
    }
    return c;
}

void BM_HistoryTokensThroughAgent(benchmark::State& state) {
    agentkit::agent<agentkit::with_tokens<agentkit::text::chars_per_token<4>>> a;
    a.history() = make_history(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(a.history_tokens());
    state.SetItemsProcessed(state.iterations() * state.range(0) * 2);
}
BENCHMARK(BM_HistoryTokensThroughAgent)->Arg(1000);

void BM_HistoryTokensByHand(benchmark::State& state) {
    const auto history = make_history(static_cast<std::size_t>(state.range(0)));
    const agentkit::text::chars_per_token<4> counter;
    for (auto _ : state) benchmark::DoNotOptimize(history.token_count(counter));
    state.SetItemsProcessed(state.iterations() * state.range(0) * 2);
}
BENCHMARK(BM_HistoryTokensByHand)->Arg(1000);
}  // namespace
