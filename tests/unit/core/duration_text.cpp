#include <agentkit/core/duration_text.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>

using namespace std::chrono_literals;

TEST(DurationText, ParsesEveryUnitAndNamesTheFieldOnError) {
    EXPECT_EQ(agentkit::parse_duration("7d", "sessions.ttl"), 7 * 24h);
    EXPECT_EQ(agentkit::parse_duration("1h", "x"), 1h);
    EXPECT_EQ(agentkit::parse_duration("5m", "x"), 5min);
    EXPECT_EQ(agentkit::parse_duration("30s", "x"), 30s);
    EXPECT_EQ(agentkit::parse_duration("50ms", "x"), 50ms);
    EXPECT_EQ(agentkit::parse_duration("0s", "x"), 0ms);
    for (const char* bad : {"", "s", "7", "7 d", "7days", "-5s", "5x", "1.5s"}) {
        try {
            agentkit::parse_duration(bad, "sessions.ttl");
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const agentkit::error& e) {
            EXPECT_EQ(e.field(), "sessions.ttl") << bad;
        }
    }
}

// Every unit is bounded by what fits in int64 milliseconds: the largest day count is accepted, one more is
// refused (an earlier bound let a few day counts just above it wrap).
TEST(DurationText, RefusesWhatDoesNotFitInsteadOfWrapping) {
    constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
    const std::int64_t days = max / 86'400'000;
    EXPECT_EQ(agentkit::parse_duration(std::to_string(days) + "d", "x").count(), days * 86'400'000);
    EXPECT_THROW(agentkit::parse_duration(std::to_string(days + 1) + "d", "x"), agentkit::error);
    EXPECT_THROW(agentkit::parse_duration(std::to_string(days + 2) + "d", "x"), agentkit::error);
    EXPECT_EQ(agentkit::parse_duration(std::to_string(max) + "ms", "x").count(), max);
    EXPECT_THROW(agentkit::parse_duration("9223372036854775808ms", "x"), agentkit::error);
    EXPECT_THROW(agentkit::parse_duration("99999999999999999999d", "x"), agentkit::error);
}

TEST(DurationText, FormatsTheShortestExactText) {
    EXPECT_EQ(agentkit::format_duration(7 * 24h), "7d");
    EXPECT_EQ(agentkit::format_duration(90s), "90s");
    EXPECT_EQ(agentkit::format_duration(50ms), "50ms");
    EXPECT_EQ(agentkit::format_duration(0ms), "0s");
    for (const char* text : {"7d", "36h", "5m", "45s", "1500ms"})
        EXPECT_EQ(agentkit::parse_duration(agentkit::format_duration(agentkit::parse_duration(text, "x")), "x"),
                  agentkit::parse_duration(text, "x"));
}
