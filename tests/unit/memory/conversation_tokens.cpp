#include <agentkit/memory/conversation_tokens.hpp>
#include <agentkit/memory/conversation_tokens.hpp>
#include <agentkit/text/chars_per_token.hpp>

#include <gtest/gtest.h>

#include <type_traits>

using namespace agentkit;

namespace {
struct counting_counter {  // a counter that counts its calls: proves appends are counted once
    std::size_t* calls;
    std::size_t count(std::string_view s) const {
        ++*calls;
        return s.size();
    }
};
}  // namespace

TEST(ConversationTokens, CountsEachAppendedMessageOnce) {
    std::size_t calls = 0;
    memory::conversation_tokens<counting_counter> tally(counting_counter{&calls}, 0);
    conversation c;
    for (int i = 0; i < 100; ++i) {
        c.append(message::user("abcd"));
        EXPECT_EQ(tally.total(c), 4u * static_cast<std::size_t>(i + 1));
    }
    EXPECT_EQ(calls, 100u);
}

TEST(ConversationTokens, RecountsAfterReplaceClearOrMutation) {
    memory::conversation_tokens<text::chars_per_token<1>> tally({}, 1);
    conversation c;
    c.append(message::user("aaaa"));
    c.append(message::user("bb"));
    EXPECT_EQ(tally.total(c), 8u);
    c.replace(0, 1, {message::user("a")});
    EXPECT_EQ(tally.total(c), 5u);
    c.at(1).set_content("bbbbbbbb");
    EXPECT_EQ(tally.total(c), 11u);
    c.clear();
    EXPECT_EQ(tally.total(c), 0u);
    conversation other;
    other.append(message::user("xyz"));
    EXPECT_EQ(tally.total(other), 4u);
}

// The former name still compiles, deprecated, and is the same type.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#pragma GCC diagnostic pop
