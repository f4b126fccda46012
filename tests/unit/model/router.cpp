#include <agentkit/agent/agent.hpp>
#include <agentkit/model/router.hpp>
#include <agentkit/model/scripted_provider.hpp>

#include <gtest/gtest.h>

using namespace agentkit;
using namespace agentkit::model;
using step = scripted_provider::step;

namespace {
router::config flynn_like(std::vector<std::chrono::nanoseconds>* waits) {
    router::config c;
    c.tiers = {{"fast", "cloud:haiku"}, {"default", "cloud:sonnet"}, {"complex", "cloud:opus"}, {"local", "local:llama3"}};
    c.tier_fallbacks = {{"default", {"backup:sonnet-4-5", "backup:gpt-4o-mini"}}};
    c.fallback_chain = {"backup:sonnet-4-5", "local:llama3"};
    c.prices = {{"cloud:sonnet", {3.0, 15.0}}, {"cloud:haiku", {0.25, 1.25}}};
    c.retry.seed = 42;
    c.sleep = [waits](std::chrono::nanoseconds d) {
        if (waits) waits->push_back(d);
    };
    return c;
}
chat_request ask(std::string route = {}) {
    chat_request r;
    r.model = std::move(route);
    r.messages.push_back(message::user("hi"));
    return r;
}
}  // namespace

TEST(Router, RoutesTiersAndDelegatedTasks) {
    router rt(flynn_like(nullptr));
    scripted_provider cloud;
    cloud.otherwise([](const chat_request& r) { return step::reply("model=" + r.model); });
    rt.add_provider("cloud", std::move(cloud));
    EXPECT_EQ(rt.complete(ask()).reply.content(), "model=sonnet");
    EXPECT_EQ(rt.complete(ask("fast")).reply.content(), "model=haiku");
    EXPECT_EQ(rt.complete(ask("complex_reasoning")).reply.content(), "model=opus");
    EXPECT_EQ(rt.complete_task("compaction", ask()).reply.content(), "model=haiku");
    EXPECT_EQ(rt.complete(ask("cloud:custom")).reply.content(), "model=custom");
    EXPECT_EQ(rt.targets("default"),
              (std::vector<std::string>{"cloud:sonnet", "backup:sonnet-4-5", "backup:gpt-4o-mini", "local:llama3"}));
    EXPECT_THROW(rt.complete(ask("no-such-tier")), error);
}

TEST(Router, RetriesThenFallsBackThenCountsCost) {
    std::vector<std::chrono::nanoseconds> waits;
    router rt(flynn_like(&waits));
    rt.add_provider("cloud", scripted_provider{step::fail(500), step::fail(429, "slow", std::chrono::seconds(2)), step::fail(503),
                                               step::reply("second request on cloud")});
    scripted_provider backup;
    backup.otherwise([](const chat_request& r) { return step::reply("backup answered as " + r.model); });
    rt.add_provider("backup", std::move(backup));
    auto r = rt.complete(ask());
    EXPECT_EQ(r.reply.content(), "backup answered as sonnet-4-5");
    ASSERT_EQ(waits.size(), 2u);  // 3 attempts on cloud: two waits
    EXPECT_GE(waits[1], std::chrono::seconds(2));  // Retry-After honoured
    EXPECT_EQ(rt.complete(ask()).reply.content(), "second request on cloud");
    auto s = rt.stats();
    EXPECT_EQ(s.fallbacks, 1u);
    EXPECT_EQ(s.per_model["cloud:sonnet"].failures, 3u);
    EXPECT_EQ(s.per_model["cloud:sonnet"].calls, 1u);
    EXPECT_EQ(s.per_model["backup:sonnet-4-5"].calls, 1u);
    // cloud:sonnet answered once: scripted usage is ceil(chars/4): prompt "hi" = 1, reply 23 chars = 6.
    EXPECT_DOUBLE_EQ(s.per_model["cloud:sonnet"].cost_usd, (1 * 3.0 + 6 * 15.0) / 1e6);
    EXPECT_DOUBLE_EQ(s.per_model["backup:sonnet-4-5"].cost_usd, 0.0);  // no price listed
    EXPECT_EQ(s.total.calls, 2u);
}

TEST(Router, NonRetryablePatternsSkipRetriesButStillFallBack) {
    std::vector<std::chrono::nanoseconds> waits;
    router rt(flynn_like(&waits));
    rt.add_provider("cloud", scripted_provider{step::fail(401, "invalid_api_key")});
    rt.add_provider("backup", scripted_provider{});
    EXPECT_EQ(rt.complete(ask()).reply.content(), "echo: hi");
    EXPECT_TRUE(waits.empty());
}

TEST(Router, BadRequestsFailAtOnceAndEverythingFailingIsOneClearError) {
    router rt(flynn_like(nullptr));
    rt.add_provider("cloud", scripted_provider{step::fail(400, "context too long")});
    EXPECT_THROW(rt.complete(ask()), provider_error);
    router all_down(flynn_like(nullptr));
    scripted_provider down;
    down.otherwise([](const chat_request&) { return step::fail(503, "down"); });
    all_down.add_provider("cloud", std::move(down));
    try {
        all_down.complete(ask());
        FAIL();
    } catch (const provider_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("cloud:sonnet: HTTP 503: down"), std::string::npos) << what;
        EXPECT_NE(what.find("backup:sonnet-4-5: no such provider"), std::string::npos) << what;
        EXPECT_EQ(e.field(), "router");
        EXPECT_TRUE(e.retryable());
    }
}

TEST(Router, ValidatesItsConfigNamingTheField) {
    auto bad = [](auto mutate, const std::string& field) {
        auto c = flynn_like(nullptr);
        mutate(c);
        try {
            router r(c);
            ADD_FAILURE() << field;
        } catch (const error& e) {
            EXPECT_EQ(e.field(), field);
        }
    };
    bad([](router::config& c) { c.tiers["fast"] = "no-colon"; }, "tiers.fast");
    bad([](router::config& c) { c.delegation["summaries"] = "turbo"; }, "delegation.summaries");
    bad([](router::config& c) { c.fallback_chain.push_back(":x"); }, "fallback_chain");
    bad([](router::config& c) { c.prices["a:b"] = {-1, 0}; }, "prices.a:b");
}

TEST(Router, IsAnAgentsModel) {
    router rt(flynn_like(nullptr));
    rt.add_provider("cloud", scripted_provider{step::reply("routed")});
    agent<with_model<router>> a(std::move(rt));
    EXPECT_EQ(a.run("hello").reply, "routed");
    EXPECT_EQ(a.model().stats().total.calls, 1u);
}
