#include <agentkit/core/role.hpp>

#include <gtest/gtest.h>

TEST(Role, RoundTripsWireNames) {
    for (auto r : {agentkit::role::system, agentkit::role::user, agentkit::role::assistant, agentkit::role::tool})
        EXPECT_EQ(agentkit::parse_role(agentkit::to_string(r)), r);
    EXPECT_EQ(agentkit::parse_role("developer"), agentkit::role::system);
}

TEST(Role, UnknownRoleNamesTheField) {
    try {
        agentkit::parse_role("robot", "messages[2].role");
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "messages[2].role");
        EXPECT_NE(std::string(e.what()).find("'robot'"), std::string::npos);
    }
}
