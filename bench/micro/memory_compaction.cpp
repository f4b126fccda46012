// Compaction: the per-turn decision on a 1000-message history (goal <= 50 us; it is O(1) amortised thanks to
// cached counts), the same decision recounting from scratch (what O(n) costs), a full summary_buffer
// compaction of 1000 messages, the extractive summary alone, and the memory types' save/load.
#include <agentkit/memory/clear_tool_results.hpp>
#include <agentkit/memory/conversation_memory.hpp>
#include <agentkit/memory/summary_buffer.hpp>
#include <agentkit/memory/trim.hpp>
#include <agentkit/sim/synthetic_conversation.hpp>

#include <benchmark/benchmark.h>

using namespace agentkit;
using namespace agentkit::memory;

namespace {

conversation history_of(std::size_t n) {
    const auto data = synthetic::generate({.turns = n, .seed = 9});
    conversation c;
    for (const auto& m : data.messages) {
        if (c.size() == n) break;
        c.append(m);
    }
    return c;
}

// One turn = one appended message + maybe_compact that does not fire (the common case).
template <class Policy>
void decision(benchmark::State& state) {
    auto base = history_of(1000);
    auto c = base;
    Policy policy;
    const std::size_t window = 100'000'000;  // never fires
    const auto next = message::user("and one more question about the parser module please");
    std::size_t i = 0;
    for (auto _ : state) {
        c.append(next);
        benchmark::DoNotOptimize(policy.maybe_compact(c, window));
        if (++i % 1000 == 0) {  // stay near 1000 messages
            state.PauseTiming();
            c.replace(1000, c.size(), {});
            state.ResumeTiming();
        }
    }
}
void BM_Decision_SummaryBuffer(benchmark::State& s) { decision<summary_buffer<>>(s); }
void BM_Decision_Trim(benchmark::State& s) { decision<trim<>>(s); }
BENCHMARK(BM_Decision_SummaryBuffer);
BENCHMARK(BM_Decision_Trim);

// The naive decision: recount every message's tokens each turn (no cached counts).
void BM_Decision_RecountEveryTurn(benchmark::State& state) {
    auto c = history_of(1000);
    text::chars_per_token<4> counter;
    for (auto _ : state) {
        std::size_t n = 0;
        for (const auto& m : c) n += counter.count(m.content());
        benchmark::DoNotOptimize(n);
    }
}
BENCHMARK(BM_Decision_RecountEveryTurn);

void BM_Compact1000(benchmark::State& state) {
    const auto base = history_of(1000);
    for (auto _ : state) {
        state.PauseTiming();
        auto c = base;
        summary_buffer<> policy;
        state.ResumeTiming();
        benchmark::DoNotOptimize(policy.compact(c));
    }
    state.SetLabel("summary_buffer, extractive summariser");
    state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_Compact1000)->Unit(benchmark::kMicrosecond);

void BM_ExtractiveSummary1000(benchmark::State& state) {
    const auto c = history_of(1000);
    extractive_summarizer<> s;
    for (auto _ : state) benchmark::DoNotOptimize(s(c.messages(), 2048));
    state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_ExtractiveSummary1000)->Unit(benchmark::kMicrosecond);

template <class M>
void memory_type(benchmark::State& state) {
    const auto c = history_of(200);
    for (auto _ : state) {
        M m;
        for (const auto& msg : c) m.save(msg);
        benchmark::DoNotOptimize(m.load("next question"));
    }
    state.SetItemsProcessed(state.iterations() * 200);
}
void BM_MemoryType_Buffer(benchmark::State& s) { memory_type<buffer_memory>(s); }
void BM_MemoryType_Window(benchmark::State& s) { memory_type<window_memory>(s); }
void BM_MemoryType_Summary(benchmark::State& s) { memory_type<summary_memory<>>(s); }
void BM_MemoryType_SummaryBuffer(benchmark::State& s) { memory_type<summary_buffer_memory<>>(s); }
BENCHMARK(BM_MemoryType_Buffer)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MemoryType_Window)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MemoryType_Summary)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MemoryType_SummaryBuffer)->Unit(benchmark::kMicrosecond);

}  // namespace

// Quality on the synthetic long conversation (seed 42, 300 turns, 8k window): the same measure as
// tests/unit/memory/compaction_quality.cpp, reported as counters so the bench script can table it.
namespace {
template <class Policy>
void quality(benchmark::State& state, Policy policy) {
    const auto data = synthetic::generate({.seed = 42});
    synthetic::quality_report r;
    std::size_t compactions = 0, final_tokens = 0;
    for (auto _ : state) {
        Policy p = policy;
        conversation c;
        compactions = 0;
        for (const auto& m : data.messages) {
            c.append(m);
            if (m.role() == role::assistant && m.tool_calls().empty() && p.maybe_compact(c, 8192)) ++compactions;
        }
        r = synthetic::quality(c.messages(), data);
        final_tokens = c.token_count(text::chars_per_token<4>{});
    }
    state.counters["pinned_kept_pct"] = r.pinned_pct();
    state.counters["latest_facts_kept_pct"] = r.facts_pct();
    state.counters["compactions"] = static_cast<double>(compactions);
    state.counters["final_tokens"] = static_cast<double>(final_tokens);
}
void BM_Quality_SummaryBuffer(benchmark::State& s) { quality(s, summary_buffer<>{}); }
void BM_Quality_SummaryBufferFast(benchmark::State& s) {
    quality(s, summary_buffer<>{compaction_config::fast_interactions()});
}
void BM_Quality_Trim(benchmark::State& s) { quality(s, trim<>{}); }
void BM_Quality_ClearToolResults(benchmark::State& s) {
    clear_tool_results_config cfg;
    cfg.trigger_tokens = 8192 * 3 / 4;
    quality(s, clear_tool_results<>{cfg});
}
BENCHMARK(BM_Quality_SummaryBuffer)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Quality_SummaryBufferFast)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Quality_Trim)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Quality_ClearToolResults)->Iterations(1)->Unit(benchmark::kMillisecond);
}  // namespace
