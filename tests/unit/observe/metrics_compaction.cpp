// Compaction metrics: summary_buffer, trim and clear_tool_results report agentkit_compaction_runs_total and
// agentkit_compaction_tokens_saved_total{policy} after attach_metrics. A conversation grows turn by turn and
// the policy is asked after each turn, as the agent does; the expected figures are counted independently.
#include <agentkit/core/conversation.hpp>
#include <agentkit/core/message.hpp>
#include <agentkit/memory/clear_tool_results.hpp>
#include <agentkit/memory/proactive_compaction.hpp>
#include <agentkit/memory/summary_buffer.hpp>
#include <agentkit/memory/conversation_tokens.hpp>
#include <agentkit/memory/trim.hpp>
#include <agentkit/observe/metric_registry.hpp>
#include <agentkit/observe/prometheus_text.hpp>
#include <agentkit/text/chars_per_token.hpp>

#include <agentkit_test/numbered.hpp>
#include <agentkit_test/metrics_scrape.hpp>
#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <utility>

namespace metrics_compaction_test {

namespace obs = agentkit::observe;
namespace memory = agentkit::memory;
using agentkit::conversation;
using agentkit::message;
using agentkit_test::sample;

struct expected {
    std::size_t runs = 0;
    std::size_t saved = 0;
};

void add_turn(conversation& c, std::size_t t) {
    c.append(message::user(agentkit_test::numbered("user turn ", t) + " asking about something with a little padding"));
    if (t % 2 == 0) {
        const std::string id = agentkit_test::numbered("call", t);
        c.append(message::assistant("", {{id, "search", R"({"q":"x"})"}}));
        c.append(message::tool_result(id, std::string(400, 'r') + std::to_string(t), "search"));
    }
    c.append(message::assistant(agentkit_test::numbered("assistant reply ", t) + " with its own padding text"));
}

// Grows a conversation over `turns` turns, asking the policy after each; counts what it saved with a tally of
// the same counter (chars / 4 and 3 tokens per message, the policies' defaults).
template <class Policy>
expected converse(Policy& policy, std::size_t turns, std::size_t context_window) {
    memory::conversation_tokens<agentkit::text::chars_per_token<4>> tally;
    conversation c;
    c.append(message::system("You are a helpful assistant."));
    expected e;
    for (std::size_t t = 0; t < turns; ++t) {
        add_turn(c, t);
        const auto before = tally.total(c);
        if (policy.maybe_compact(c, context_window)) {
            const auto after = tally.total(c);
            ++e.runs;
            e.saved += before > after ? before - after : 0;
        }
    }
    return e;
}

TEST(CompactionMetrics, SummaryBufferRunsAndTokensSavedAfterAConversationThatCompacts) {
    obs::metric_registry reg;
    memory::summary_buffer<> policy({.threshold_pct = 75, .keep_turns = 2, .summary_max_tokens = 64});
    policy.attach_metrics(reg);
    const auto e = converse(policy, 40, 1000);
    ASSERT_GE(e.runs, 2u);
    EXPECT_EQ(e.runs, policy.statistics().compactions);
    const auto text = obs::to_prometheus_text(reg);
    EXPECT_EQ(sample(text, R"(agentkit_compaction_runs_total{policy="summary_buffer"})"), static_cast<double>(e.runs));
    EXPECT_EQ(sample(text, R"(agentkit_compaction_tokens_saved_total{policy="summary_buffer"})"),
              static_cast<double>(e.saved));
    EXPECT_GT(e.saved, 0u);
}

TEST(CompactionMetrics, TrimAndClearToolResultsReportUnderTheirOwnNames) {
    obs::metric_registry reg;
    memory::trim<> trim({.max_tokens = 600});
    memory::clear_tool_results_config clear_config;
    clear_config.trigger_tokens = 800;
    clear_config.keep_tool_uses = 1;
    memory::clear_tool_results<> clear(clear_config);
    trim.attach_metrics(reg);
    clear.attach_metrics(reg);
    const auto t = converse(trim, 30, 0);
    const auto c = converse(clear, 30, 0);
    ASSERT_GE(t.runs, 1u);
    ASSERT_GE(c.runs, 1u);
    EXPECT_EQ(t.runs, trim.trims());
    EXPECT_EQ(c.runs, clear.runs());
    const auto text = obs::to_prometheus_text(reg);
    EXPECT_EQ(agentkit_test::lines_starting(text, "# TYPE agentkit_compaction_runs_total counter").size(), 1u);
    EXPECT_EQ(sample(text, R"(agentkit_compaction_runs_total{policy="trim"})"), static_cast<double>(t.runs));
    EXPECT_EQ(sample(text, R"(agentkit_compaction_tokens_saved_total{policy="trim"})"), static_cast<double>(t.saved));
    EXPECT_EQ(sample(text, R"(agentkit_compaction_runs_total{policy="clear_tool_results"})"),
              static_cast<double>(c.runs));
    EXPECT_EQ(sample(text, R"(agentkit_compaction_tokens_saved_total{policy="clear_tool_results"})"),
              static_cast<double>(c.saved));
}

// A policy is a value the agent stores and may re-assign: it holds pointers to its series, so copies report to
// the same series and an assigned policy reports where the assigned value did.
TEST(CompactionMetrics, PolicyCopiesAndAssignmentsKeepReportingToTheirSeries) {
    obs::metric_registry reg;
    memory::summary_buffer<> attached({.threshold_pct = 75, .keep_turns = 2, .summary_max_tokens = 64});
    attached.attach_metrics(reg, "session_a");
    memory::summary_buffer<> copy = attached;
    const auto e1 = converse(copy, 20, 1000);
    memory::summary_buffer<> assigned;
    assigned = std::move(attached);
    const auto e2 = converse(assigned, 20, 1000);
    memory::summary_buffer<> unattached;
    converse(unattached, 20, 1000);  // reports nothing
    ASSERT_GE(e1.runs, 1u);
    const auto text = obs::to_prometheus_text(reg);
    EXPECT_EQ(sample(text, R"(agentkit_compaction_runs_total{policy="session_a"})"),
              static_cast<double>(e1.runs + e2.runs));
    EXPECT_EQ(sample(text, R"(agentkit_compaction_tokens_saved_total{policy="session_a"})"),
              static_cast<double>(e1.saved + e2.saved));
    EXPECT_EQ(agentkit_test::lines_starting(text, "agentkit_compaction_runs_total{").size(), 1u);
}

TEST(CompactionMetrics, ProactiveCompactionReportsThroughItsInnerPolicy) {
    obs::metric_registry reg;
    using proactive = memory::proactive_compaction<memory::summary_buffer<>>;
    proactive policy(memory::summary_buffer<>({.threshold_pct = 75, .keep_turns = 2, .summary_max_tokens = 64}),
                     proactive::signals_type(memory::proactive_config{}));
    policy.attach_metrics(reg);
    const auto e = converse(policy, 40, 1000);
    ASSERT_GE(e.runs, 1u);
    const auto text = obs::to_prometheus_text(reg);
    EXPECT_EQ(sample(text, R"(agentkit_compaction_runs_total{policy="summary_buffer"})"), static_cast<double>(e.runs));
    EXPECT_EQ(sample(text, R"(agentkit_compaction_tokens_saved_total{policy="summary_buffer"})"),
              static_cast<double>(e.saved));
}

TEST(CompactionMetrics, PromtoolAcceptsTheCompactionFamilies) {
    obs::metric_registry reg;
    memory::summary_buffer<> policy({.threshold_pct = 75, .keep_turns = 2, .summary_max_tokens = 64});
    memory::trim<> trim({.max_tokens = 600});
    policy.attach_metrics(reg);
    trim.attach_metrics(reg);
    converse(policy, 30, 1000);
    converse(trim, 30, 0);
    AGENTKIT_EXPECT_PROMTOOL_ACCEPTS(reg);
}

}  // namespace metrics_compaction_test
