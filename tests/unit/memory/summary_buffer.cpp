#include <agentkit/memory/summary_buffer.hpp>
#include <agentkit/agent/agent.hpp>

#include <gtest/gtest.h>

using namespace agentkit;
using namespace agentkit::memory;

namespace {
// Each turn: user + assistant (+ a tool pair every third turn); about 30 tokens per turn under chars/4.
conversation build(std::size_t turns, bool system = true) {
    conversation c;
    if (system) c.append(message::system("system prompt"));
    for (std::size_t t = 0; t < turns; ++t) {
        c.append(message::user("user turn " + std::to_string(t) + " with some padding text here"));
        if (t % 3 == 0) {
            c.append(message::assistant("", {{"c" + std::to_string(t), "lookup", "{}"}}));
            c.append(message::tool_result("c" + std::to_string(t), "result " + std::to_string(t), "lookup"));
        }
        c.append(message::assistant("assistant reply " + std::to_string(t) + " padding"));
    }
    return c;
}
}  // namespace

TEST(SummaryBuffer, DefaultsAreFlynns) {
    const compaction_config c;
    EXPECT_EQ(c.threshold_pct, 75);
    EXPECT_EQ(c.keep_turns, 6u);
    EXPECT_EQ(c.summary_max_tokens, 2048u);
    EXPECT_FLOAT_EQ(c.importance_threshold, 0.8f);
    EXPECT_EQ(compaction_config::fast_interactions().keep_turns, 2u);
    EXPECT_EQ(compaction_config::complex_reasoning().summary_max_tokens, 4096u);
}

TEST(SummaryBuffer, FitsTheAgentCompactionSlot) {
    agent<with_compaction<summary_buffer<>>> a;
    for (int i = 0; i < 40; ++i) {
        a.history().append(message::user("question " + std::to_string(i)));
        a.history().append(message::assistant("answer " + std::to_string(i)));
    }
    EXPECT_TRUE(a.compaction().maybe_compact(a.history(), 200));
    EXPECT_EQ(a.history().turn_count(), 6u);
}

TEST(SummaryBuffer, StaysQuietBelowTheThreshold) {
    summary_buffer<> p;
    auto c = build(20);
    const auto tokens = p.tokens(c);
    EXPECT_FALSE(p.maybe_compact(c, tokens * 100 / 74));  // 74 % full
    EXPECT_TRUE(p.maybe_compact(c, tokens * 100 / 76));   // 76 % full
}

TEST(SummaryBuffer, KeepsSystemPromptLastTurnsAndImportantMessagesWithoutOrphans) {
    summary_buffer<> p;
    auto c = build(30);
    // pin a tool result deep in the history: its call must stay with it
    std::size_t pinned_at = 0;
    for (std::size_t i = 0; i < c.size(); ++i)
        if (c[i].role() == role::tool && c[i].content() == "result 9") pinned_at = i;
    c.at(pinned_at).set_importance(0.95f);
    auto pinned_user = message::user("never forget: the answer is 42");
    pinned_user.set_importance(0.8f);  // exactly at the threshold
    c.replace(5, 5, {pinned_user});
    const auto original = std::vector<message>(c.begin(), c.end());

    ASSERT_TRUE(p.compact(c));
    EXPECT_EQ(c[0], original[0]);  // system prompt first, untouched
    EXPECT_EQ(c[1].name(), summary_name);
    EXPECT_EQ(c.turn_count(), 6u + 1u);  // 6 kept turns + the pinned user message
    EXPECT_TRUE(tool_pairing_problems(c.messages()).empty());
    EXPECT_NO_THROW(c.validate());
    // last 6 turns verbatim
    const auto starts = c.turn_starts();
    const std::vector<message> tail(c.begin() + static_cast<std::ptrdiff_t>(starts[starts.size() - 6]), c.end());
    const auto ostarts = std::vector<std::size_t>{};
    std::size_t n_orig_turn_start = 0;
    for (std::size_t i = 0, seen = 0; i < original.size(); ++i)
        if (original[i].role() == role::user && ++seen == 31 - 6 + 1)
            n_orig_turn_start = i;  // 31 user msgs incl. pinned
    EXPECT_EQ(tail,
              std::vector<message>(original.begin() + static_cast<std::ptrdiff_t>(n_orig_turn_start), original.end()));
    // pinned messages survive verbatim, the tool pair whole
    bool found_user = false, found_tool = false, found_call = false;
    for (const auto& m : c) {
        found_user |= m == pinned_user;
        found_tool |= m.role() == role::tool && m.content() == "result 9" && m.importance() > 0.9f;
        for (const auto& call : m.tool_calls()) found_call |= call.id == "c9";
    }
    EXPECT_TRUE(found_user && found_tool && found_call);
    EXPECT_EQ(p.statistics().compactions, 1u);
    EXPECT_LT(p.statistics().tokens_after, p.statistics().tokens_before);
}

TEST(SummaryBuffer, RepeatedCompactionFoldsTheOldSummaryAndNeverOrphans) {
    summary_buffer<> p(compaction_config{75, 3, 256, 0.8f});
    conversation c;
    c.append(message::system("sys"));
    std::size_t compactions = 0;
    for (int t = 0; t < 300; ++t) {
        c.append(message::user("The counter of round " + std::to_string(t % 7) + " is " + std::to_string(t) + "."));
        c.append(
            message::assistant("", {{"k" + std::to_string(t), "tool", "{}"}, {"j" + std::to_string(t), "tool", "{}"}}));
        c.append(message::tool_result("k" + std::to_string(t), "a"));
        c.append(message::tool_result("j" + std::to_string(t), "b"));
        c.append(message::assistant("ok"));
        if (p.maybe_compact(c, 800)) {
            ++compactions;
            ASSERT_TRUE(tool_pairing_problems(c.messages()).empty()) << "after compaction " << compactions;
            ASSERT_NO_THROW(c.validate());
            std::size_t summaries = 0;
            for (const auto& m : c) summaries += m.name() == summary_name;
            ASSERT_EQ(summaries, 1u);
        }
    }
    EXPECT_GT(compactions, 5u);
    // the latest value of each "counter of round k" survives (kept turns or summary)
    std::string all;
    for (const auto& m : c) all += m.content() + "\n";
    for (int k = 0; k < 7; ++k) {
        const int latest = 299 - ((299 - k) % 7);
        EXPECT_NE(all.find("round " + std::to_string(k) + " is " + std::to_string(latest)), std::string::npos) << k;
    }
}

TEST(SummaryBuffer, ACustomSummariserIsCalledAndHeldToTheBudget) {
    std::size_t calls = 0;
    auto model = [&](std::span<const message> msgs, std::size_t max_tokens) {
        ++calls;
        EXPECT_EQ(max_tokens, 16u);
        return "line one covers " + std::to_string(msgs.size()) + " messages\n" + std::string(400, 'x');  // overshoots
    };
    summary_buffer<text::chars_per_token<4>, callable_summarizer> p(compaction_config{75, 2, 16, 0.8f}, model);
    auto c = build(10);
    ASSERT_TRUE(p.compact(c));
    EXPECT_EQ(calls, 1u);
    EXPECT_LE(text::chars_per_token<4>{}.count(c[1].content()), 16u);
    EXPECT_NE(c[1].content().find("messages"), std::string::npos);
}

TEST(SummaryBuffer, NothingToDoWithFewTurnsOrOnlyPinnedMessages) {
    summary_buffer<> p;
    auto c = build(5);
    EXPECT_FALSE(p.compact(c));
    conversation pinned;
    for (int i = 0; i < 10; ++i) {
        auto m = message::user("pinned " + std::to_string(i));
        m.set_importance(1.0f);
        pinned.append(m);
    }
    EXPECT_FALSE(p.compact(pinned));
    EXPECT_EQ(pinned.size(), 10u);
}

TEST(SummaryBuffer, BadConfigNamesTheField) {
    try {
        summary_buffer<> p(compaction_config{150, 6, 2048, 0.8f});
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.field(), "compaction.threshold_pct");
    }
    EXPECT_THROW(summary_buffer<>(compaction_config{75, 6, 0, 0.8f}), error);
    EXPECT_THROW(summary_buffer<>(compaction_config{75, 6, 10, 1.5f}), error);
}

TEST(SummaryBuffer, KeepTurnsZeroNeverSummarisesAnOpenToolExchange) {
    summary_buffer<> p(compaction_config{75, 0, 256, 0.8f});
    auto c = build(10);
    c.append(message::user("one more"));
    c.append(message::assistant("", {{"open", "lookup", "{}"}}));
    ASSERT_TRUE(p.compact(c));
    EXPECT_NO_THROW(c.append(message::tool_result("open", "late result")));  // its call is still there
    EXPECT_TRUE(tool_pairing_problems(c.messages()).empty());
}
