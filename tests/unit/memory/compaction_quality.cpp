// Quality of each compaction policy on the synthetic long conversation: messages arrive one by one, the
// policy runs after each (as in an agent loop), and every compaction is checked for orphaned tool results.
// summary_buffer must keep >= 95 % of pinned messages verbatim and the latest value of every updated fact.
// The figures are printed per policy for docs/benchmarks.md (memory section).
#include <agentkit/memory/clear_tool_results.hpp>
#include <agentkit/memory/summary_buffer.hpp>
#include <agentkit/memory/tool_pairs.hpp>
#include <agentkit/memory/trim.hpp>
#include <agentkit/sim/synthetic_conversation.hpp>

#include <gtest/gtest.h>

#include <cstdio>

using namespace agentkit;
using namespace agentkit::memory;

namespace {
constexpr std::size_t window = 8192;

template <class Policy>
synthetic::quality_report run(Policy& policy, const synthetic::conversation_data& data, std::size_t& compactions) {
    conversation c;
    for (const auto& m : data.messages) {
        c.append(m);
        // compact only at a turn boundary (before a user message arrives): a half-finished tool exchange stays
        if (m.role() == role::assistant && m.tool_calls().empty() && policy.maybe_compact(c, window)) {
            ++compactions;
            EXPECT_TRUE(tool_pairing_problems(c.messages()).empty()) << "orphans after compaction " << compactions;
            EXPECT_NO_THROW(c.validate());
        }
    }
    return synthetic::quality(c.messages(), data);
}

void print(const char* name, std::uint64_t seed, const synthetic::quality_report& r, std::size_t compactions) {
    std::printf("| %-22s | %3llu | %6zu | %5.1f %% (%zu/%zu) | %5.1f %% (%zu/%zu) |\n", name,
                static_cast<unsigned long long>(seed), compactions, r.pinned_pct(), r.pinned_kept, r.pinned_total,
                r.facts_pct(), r.facts_latest_kept, r.facts_total);
}
}  // namespace

TEST(CompactionQuality, GeneratorIsDeterministicAndPlantsWhatItReports) {
    const auto a = synthetic::generate({});
    const auto b = synthetic::generate({});
    EXPECT_EQ(a.messages, b.messages);
    EXPECT_GE(a.pinned.size(), 20u);
    std::size_t updated = 0;
    for (const auto& f : a.facts) updated += f.values.size() > 1;
    EXPECT_GE(updated, 10u);
    const auto full = synthetic::quality(a.messages, a);
    EXPECT_EQ(full.pinned_kept, full.pinned_total);
    EXPECT_EQ(full.facts_latest_kept, full.facts_total);
}

TEST(CompactionQuality, SummaryBufferKeepsPinnedMessagesAndLatestFacts) {
    std::printf("| policy                 | seed | compactions | pinned kept verbatim | latest fact values kept |\n");
    for (std::uint64_t seed : {1, 2, 3, 42}) {
        const auto data = synthetic::generate({.seed = seed});
        summary_buffer<> policy;
        std::size_t compactions = 0;
        const auto r = run(policy, data, compactions);
        print("summary_buffer", seed, r, compactions);
        EXPECT_GT(compactions, 0u);
        EXPECT_GE(r.pinned_pct(), 95.0) << seed;
        EXPECT_EQ(r.facts_latest_kept, r.facts_total) << seed;
    }
}

TEST(CompactionQuality, OtherPoliciesReported) {
    for (std::uint64_t seed : {1, 2, 3, 42}) {
        const auto data = synthetic::generate({.seed = seed});
        {
            trim<> policy;
            std::size_t n = 0;
            const auto r = run(policy, data, n);
            print("trim (last)", seed, r, n);
        }
        {
            clear_tool_results_config cfg;
            cfg.trigger_tokens = window * 3 / 4;
            clear_tool_results<> policy(cfg);
            std::size_t n = 0;
            const auto r = run(policy, data, n);
            print("clear_tool_results", seed, r, n);
            EXPECT_EQ(r.pinned_kept, r.pinned_total);  // it removes no message
        }
        {
            summary_buffer<> policy(compaction_config::fast_interactions());
            std::size_t n = 0;
            const auto r = run(policy, data, n);
            print("summary_buffer (fast)", seed, r, n);
        }
    }
}
