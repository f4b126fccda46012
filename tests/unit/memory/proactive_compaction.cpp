#include <agentkit/memory/proactive_compaction.hpp>
#include <agentkit/memory/summary_buffer.hpp>
#include <agentkit/memory/tool_pairs.hpp>
#include <agentkit/storage/memory_backend.hpp>
#include <agentkit/agent/agent.hpp>

#include <gtest/gtest.h>

using namespace agentkit;
using namespace agentkit::memory;

TEST(ProactiveCompaction, CheckpointsThenAutoCompactsBeforeTheInnerThreshold) {
    storage::memory store;
    manual_clock clock;
    using policy_t = proactive_compaction<summary_buffer<>, storage::memory, manual_clock>;
    policy_t policy(summary_buffer<>(compaction_config{99.9, 2, 64, 0.8f}),
                    policy_t::signals_type(proactive_config{}, &store, clock), "s1");
    conversation c;
    c.append(message::system("sys"));
    const std::size_t window = 2000;
    bool compacted = false;
    for (int t = 0; t < 200 && !compacted; ++t) {
        c.append(message::user("question number " + std::to_string(t) + " about the parser"));
        c.append(message::assistant("answer number " + std::to_string(t) + " about the parser"));
        compacted = policy.maybe_compact(c, window);
    }
    ASSERT_TRUE(compacted);
    EXPECT_EQ(policy.signals().counts().warn, 1u);
    EXPECT_GE(policy.signals().counts().checkpoint, 1u);
    EXPECT_EQ(policy.signals().counts().auto_compact, 1u);
    EXPECT_TRUE(store.get("session/checkpoints", "s1").has_value());
    EXPECT_TRUE(tool_pairing_problems(c.messages()).empty());
    EXPECT_LT(policy.inner().tokens(c) * 100, window * 95);
}

TEST(ProactiveCompaction, FitsTheAgentSlot) {
    agent<with_compaction<proactive_compaction<summary_buffer<>>>> a;
    a.history().append(message::user("hi"));
    EXPECT_FALSE(a.compaction().maybe_compact(a.history(), 100000));
}
