#include <agentkit/memory/context_depth.hpp>

#include <gtest/gtest.h>

using namespace agentkit::memory;

TEST(ContextDepth, EachLevelSelectsItsSections) {
    const context_parts parts{"SYS", "brief memory", "full memory", "tool list", "diag"};
    EXPECT_EQ(assemble_system_prompt(context_depth::minimal, parts), "SYS");
    const auto normal = assemble_system_prompt(context_depth::normal, parts);
    EXPECT_NE(normal.find("brief memory"), std::string::npos);
    EXPECT_EQ(normal.find("tool list"), std::string::npos);
    const auto detailed = assemble_system_prompt(context_depth::detailed, parts);
    EXPECT_NE(detailed.find("full memory"), std::string::npos);
    EXPECT_NE(detailed.find("tool list"), std::string::npos);
    EXPECT_EQ(detailed.find("diag"), std::string::npos);
    EXPECT_NE(assemble_system_prompt(context_depth::debug, parts).find("diag"), std::string::npos);
}

TEST(ContextDepth, ParsesSeedNamesAndRejectsOthers) {
    EXPECT_EQ(parse_context_depth("minimal"), context_depth::minimal);
    EXPECT_EQ(parse_context_depth("debug"), context_depth::debug);
    EXPECT_EQ(to_string(context_depth::detailed), "detailed");
    try {
        parse_context_depth("verbose");
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "prompt.contextDepth");
    }
}
