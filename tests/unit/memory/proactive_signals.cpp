#include <agentkit/memory/proactive_signals.hpp>
#include <agentkit/storage/memory_backend.hpp>

#include <gtest/gtest.h>

using namespace agentkit;
using namespace agentkit::memory;
using namespace std::chrono_literals;

TEST(ProactiveSignals, DefaultsAreFlynns) {
    const proactive_config c;
    EXPECT_EQ(c.warn_pct, 75);
    EXPECT_EQ(c.checkpoint_pct, 85);
    EXPECT_EQ(c.auto_compact_pct, 95);
    EXPECT_EQ(c.checkpoint_cooldown, 300000ms);
    EXPECT_EQ(c.memory_namespace, "session/checkpoints");
}

TEST(ProactiveSignals, EmitsCountsAndCheckpointsWithCooldown) {
    manual_clock clock;
    storage::memory store;
    std::vector<signal_kind> events;
    proactive_signals<storage::memory, manual_clock> signals({}, &store, clock, [&](const signal_event& e) {
        events.push_back(e.kind);
        EXPECT_EQ(e.session, "s1");
    });
    conversation c;
    c.append(message::user("hello"));
    EXPECT_EQ(signals.observe("s1", c, 50, 100), signal_action::none);
    EXPECT_TRUE(events.empty());
    EXPECT_EQ(signals.observe("s1", c, 76, 100), signal_action::none);
    EXPECT_EQ(signals.observe("s1", c, 77, 100), signal_action::none);  // warn fires once per crossing
    EXPECT_EQ(signals.counts().warn, 1u);
    EXPECT_EQ(signals.observe("s1", c, 86, 100), signal_action::none);
    EXPECT_EQ(signals.counts().checkpoint, 1u);
    EXPECT_EQ(signals.restore("s1"), std::vector<message>(c.begin(), c.end()));
    c.append(message::assistant("more"));
    EXPECT_EQ(signals.observe("s1", c, 90, 100), signal_action::none);  // inside the cooldown
    EXPECT_EQ(signals.counts().checkpoint_skipped, 1u);
    EXPECT_EQ(signals.restore("s1").size(), 1u);
    clock.advance(300000ms);
    EXPECT_EQ(signals.observe("s1", c, 96, 100), signal_action::compact);
    EXPECT_EQ(signals.counts().checkpoint, 2u);
    EXPECT_EQ(signals.counts().auto_compact, 1u);
    EXPECT_EQ(signals.restore("s1").size(), 2u);
    EXPECT_EQ(signals.observe("s1", c, 10, 100), signal_action::none);
    EXPECT_EQ(signals.observe("s1", c, 80, 100), signal_action::none);
    EXPECT_EQ(signals.counts().warn, 2u);  // dropped below, crossed again
    EXPECT_EQ(events.size(), 2u + 2u + 1u + 1u);
}

TEST(ProactiveSignals, DisabledOrNoStoreStillSafe) {
    proactive_signals<void> none_store(proactive_config{});
    conversation c;
    EXPECT_EQ(none_store.observe("s", c, 99, 100), signal_action::compact);
    EXPECT_EQ(none_store.counts().checkpoint, 1u);
    proactive_config off;
    off.enabled = false;
    proactive_signals<void> disabled(off);
    EXPECT_EQ(disabled.observe("s", c, 99, 100), signal_action::none);
    proactive_config bad;
    bad.warn_pct = 90;
    EXPECT_THROW(proactive_signals<void>{bad}, error);
}
