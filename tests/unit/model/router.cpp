#include <agentkit/agent/agent.hpp>
#include <agentkit/model/router.hpp>
#include <agentkit/model/scripted_provider.hpp>

#include <agentkit_test/router_fixtures.hpp>
#include <gtest/gtest.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace model_router_test {
using namespace agentkit;
using namespace agentkit::model;
using step = scripted_provider::step;

namespace {
router::config flynn_like(std::vector<std::chrono::nanoseconds>* waits) {
    router::config c = agentkit_test::flynn_like_routes();
    c.prices["cloud:haiku"] = {0.25, 1.25};
    c.sleep = [waits](std::chrono::nanoseconds d) {
        if (waits) waits->push_back(d);
    };
    return c;
}
chat_request ask(std::string route = {}) { return agentkit_test::routed_request(std::move(route)); }
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
    agentkit_test::add_cloud_and_backup(rt);
    auto r = rt.complete(ask());
    EXPECT_EQ(r.reply.content(), "backup answered as sonnet-4-5");
    ASSERT_EQ(waits.size(), 2u);                   // 3 attempts on cloud: two waits
    EXPECT_GE(waits[1], std::chrono::seconds(2));  // Retry-After honoured
    EXPECT_EQ(rt.complete(ask()).reply.content(), "second request on cloud");
    auto s = rt.statistics();
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
    bad(
        [](router::config& c) {
            c.tiers.erase("fast");
            c.tiers.erase("default");
        },
        "delegation.classification");
}

TEST(Router, BuiltInDelegationsToAnUnconfiguredTierUseTheDefaultTier) {
    router::config c;
    c.tiers = {{"default", "cloud:sonnet"}};
    router rt(c);
    EXPECT_EQ(rt.targets("compaction"), (std::vector<std::string>{"cloud:sonnet"}));
    EXPECT_EQ(rt.targets("complex_reasoning"), (std::vector<std::string>{"cloud:sonnet"}));
}

TEST(Router, IsAnAgentsModel) {
    router rt(flynn_like(nullptr));
    rt.add_provider("cloud", scripted_provider{step::reply("routed")});
    agent<with_model<router>> a(std::move(rt));
    EXPECT_EQ(a.run("hello").reply, "routed");
    EXPECT_EQ(a.model().statistics().total.calls, 1u);
}

// A provider that, while its call is in flight, asks the same router again: the nested request meets the
// provider's bulkhead full (max_concurrent_calls 1) and goes to the next target. Deterministic, one thread.
struct reentrant_provider {
    router* rt = nullptr;
    std::string* nested_reply = nullptr;
    std::shared_ptr<int> depth = std::make_shared<int>(0);
    chat_response complete(const chat_request& r) {
        if ((*depth)++ == 0) *nested_reply = rt->complete(ask("cloud:m")).reply.content();
        --*depth;
        chat_response res;
        res.reply = message::assistant("outer on " + r.model);
        return res;
    }
};

TEST(RouterBulkhead, AFullProviderIsSkippedForTheNextTarget) {
    auto cfg = flynn_like(nullptr);
    cfg.bulkhead.max_concurrent_calls = 1;
    cfg.bulkhead.max_wait_duration = std::chrono::milliseconds(0);  // do not wait for a slot: skip at once
    router rt(cfg);
    std::string nested;
    rt.add_provider("cloud", reentrant_provider{&rt, &nested});
    rt.add_provider("backup", scripted_provider{});
    EXPECT_EQ(rt.complete(ask()).reply.content(), "outer on sonnet");
    EXPECT_EQ(nested, "echo: hi");  // cloud was busy: backup:sonnet-4-5 from the global chain answered
    auto s = rt.statistics();
    EXPECT_EQ(s.bulkhead_rejections, 1u);
    EXPECT_EQ(s.fallbacks, 1u);
    EXPECT_EQ(rt.in_flight("cloud"), 0u);  // every slot was given back
    // Per-provider limits override the config's.
    router wide(flynn_like(nullptr));
    std::string nested2;
    wide.add_provider("cloud", reentrant_provider{&wide, &nested2}, provider_limits{{}, {.max_concurrent_calls = 2}});
    wide.complete(ask());
    EXPECT_EQ(nested2, "outer on m");
    EXPECT_EQ(wide.statistics().bulkhead_rejections, 0u);
}

// A provider whose calls block until the test releases them (bounded: 5 s, then the test fails).
struct gated_provider {
    struct gate {
        std::mutex m;
        std::condition_variable cv;
        bool open = false;
        int entered = 0;
    };
    std::shared_ptr<gate> g = std::make_shared<gate>();
    chat_response complete(const chat_request&) {
        std::unique_lock lock(g->m);
        ++g->entered;
        g->cv.notify_all();
        const bool opened = g->cv.wait_for(lock, std::chrono::seconds(5), [&] { return g->open; });
        chat_response res;
        res.reply = message::assistant(opened ? "done" : "gate never opened");
        return res;
    }
};

TEST(RouterBulkhead, ACallerWaitsForASlotThenProceeds) {
    auto cfg = flynn_like(nullptr);
    cfg.bulkhead.max_concurrent_calls = 1;  // max_wait_duration stays 30 s (Victor's provider timeout)
    router rt(cfg);
    gated_provider cloud;
    auto gate = cloud.g;
    rt.add_provider("cloud", cloud);
    std::string first, second;
    std::thread a([&] { first = rt.complete(ask()).reply.content(); });
    {
        std::unique_lock lock(gate->m);
        ASSERT_TRUE(gate->cv.wait_for(lock, std::chrono::seconds(5), [&] { return gate->entered == 1; }));
    }
    std::thread b([&] { second = rt.complete(ask()).reply.content(); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (rt.waiting("cloud") == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    EXPECT_EQ(rt.waiting("cloud"), 1u);  // b waits for a's slot instead of failing over
    EXPECT_EQ(rt.in_flight("cloud"), 1u);
    {
        std::lock_guard lock(gate->m);
        gate->open = true;
    }
    gate->cv.notify_all();
    a.join();
    b.join();
    EXPECT_EQ(first, "done");
    EXPECT_EQ(second, "done");
    EXPECT_EQ(rt.statistics().bulkhead_rejections, 0u);
    EXPECT_EQ(rt.statistics().per_model["cloud:sonnet"].calls, 2u);
    EXPECT_EQ(rt.in_flight("cloud"), 0u);
}

TEST(RouterCircuit, AnOpenCircuitSendsRequestsStraightToTheFallback) {
    auto cfg = flynn_like(nullptr);
    cfg.breaker.sliding_window_size = 4;
    cfg.breaker.minimum_number_of_calls = 2;
    cfg.breaker.wait_duration_in_open_state = std::chrono::hours(1);
    router rt(cfg);
    scripted_provider cloud;
    cloud.otherwise([](const chat_request&) { return step::fail(503, "down"); });
    rt.add_provider("cloud", std::move(cloud));
    rt.add_provider("backup", scripted_provider{});
    EXPECT_EQ(rt.complete(ask()).reply.content(), "echo: hi");  // two failures open the circuit mid-retry
    EXPECT_EQ(rt.circuit("cloud"), resilience::circuit_state::open);
    EXPECT_EQ(rt.complete(ask()).reply.content(), "echo: hi");
    auto s = rt.statistics();
    EXPECT_EQ(s.per_model["cloud:sonnet"].failures, 2u);  // no call reached cloud once it opened
    EXPECT_GE(s.circuit_rejections, 2u);
    EXPECT_EQ(s.fallbacks, 2u);
    EXPECT_THROW(rt.circuit("nobody"), error);
}

TEST(RouterHandle, CopiesShareProvidersBreakersAndStats) {
    router rt(flynn_like(nullptr));
    rt.add_provider("cloud", scripted_provider{});
    router copy = rt;
    copy.complete(ask());
    rt.complete(ask("fast"));
    EXPECT_EQ(rt.statistics().total.calls, 2u);
    EXPECT_EQ(copy.statistics().total.calls, 2u);
}

TEST(RouterAgent, TheAgentLoopGetsRetriesAndFallbacksThroughTheRouter) {
    std::vector<std::chrono::nanoseconds> waits;
    router rt(flynn_like(&waits));
    rt.add_provider(
        "cloud", scripted_provider{step::fail(429, "slow", std::chrono::seconds(3)), step::fail(500), step::fail(500)});
    rt.add_provider("backup", scripted_provider{step::reply("from backup")});
    agent<with_model<router>> a(std::move(rt));
    auto r = a.run("hello");
    EXPECT_EQ(r.reply, "from backup");
    ASSERT_EQ(waits.size(), 2u);
    EXPECT_GE(waits[0], std::chrono::seconds(3));  // Retry-After honoured inside the loop's model call
    EXPECT_EQ(a.model().statistics().fallbacks, 1u);
    EXPECT_EQ(a.model().statistics().retries, 2u);
}

}  // namespace model_router_test
