// The router's metrics, scraped after real routed calls (scripted providers: test doubles): requests and
// errors by class per target, retries, fallbacks per route, durations and time to first token, tokens and
// cost; two routers sharing one registry; and the exposition passes `promtool check metrics` when installed.
#include <agentkit/model/router.hpp>
#include <agentkit/model/scripted_provider.hpp>
#include <agentkit/observe/metric_registry.hpp>
#include <agentkit/observe/prometheus_text.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

namespace model_router_metrics_test {

using namespace agentkit;
using namespace agentkit::model;
using step = scripted_provider::step;

router::config config_for_test() {
    router::config c;
    c.tiers = {{"fast", "cloud:haiku"}, {"default", "cloud:sonnet"}};
    c.fallback_chain = {"backup:small"};
    c.prices = {{"cloud:sonnet", {3.0, 15.0}}, {"backup:small", {1.0, 2.0}}};
    c.retry.seed = 7;
    c.sleep = [](std::chrono::nanoseconds) {};  // retries do not really wait
    return c;
}

chat_request ask(std::string route = {}) {
    chat_request r;
    r.model = std::move(route);
    r.messages.push_back(message::user("hello there"));  // 11 chars: 3 prompt tokens for the scripted provider
    return r;
}

// The value of the sample line that starts with `series` followed by a space (-1 when absent).
double sample(const std::string& text, const std::string& series) {
    const auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
}

TEST(RouterMetrics, ScrapedAfterRoutedCalls) {
    observe::metric_registry registry;
    router rt(config_for_test());
    rt.attach_metrics(registry);
    // cloud: a 429 then a reply (one retry); then three 503s (three failed attempts, then the fallback).
    scripted_provider cloud{step::fail(429, "slow"), step::reply("abcdefgh"), step::fail(503),
                            step::fail(503),         step::fail(503),         step::fail(401, "invalid_api_key")};
    cloud.otherwise([](const chat_request&) { return step::reply("ok"); });
    rt.add_provider("cloud", std::move(cloud));
    rt.add_provider("backup", scripted_provider{});

    std::string streamed;
    EXPECT_EQ(rt.stream(ask(), [&](const chat_delta& d) { streamed += d.content; }).reply.content(), "abcdefgh");
    EXPECT_EQ(rt.complete(ask()).reply.content(), "echo: hello there");        // from backup:small after 3 failures
    EXPECT_EQ(rt.complete(ask("fast")).reply.content(), "echo: hello there");  // cloud:haiku 401 -> backup:small
    EXPECT_EQ(rt.complete(ask("fast")).reply.content(), "ok");

    const std::string text = std::string("\n").append(
        observe::to_prometheus_text(registry));  // not "\n" + ...: g++ 12 -O3 false -Wstringop-overflow
    const std::string sonnet = R"({router="router",provider="cloud",model="sonnet")";
    const std::string haiku = R"({router="router",provider="cloud",model="haiku")";
    const std::string small = R"({router="router",provider="backup",model="small")";
    EXPECT_EQ(sample(text, "agentkit_model_requests_total" + sonnet + "}"), 5);  // 429, reply, 503 x3
    EXPECT_EQ(sample(text, "agentkit_model_requests_total" + haiku + "}"), 2);
    EXPECT_EQ(sample(text, "agentkit_model_requests_total" + small + "}"), 2);
    EXPECT_EQ(sample(text, "agentkit_model_errors_total" + sonnet + R"(,class="rate_limited"})"), 1);
    EXPECT_EQ(sample(text, "agentkit_model_errors_total" + sonnet + R"(,class="server_error"})"), 3);
    EXPECT_EQ(sample(text, "agentkit_model_errors_total" + haiku + R"(,class="client_error"})"), 1);
    EXPECT_EQ(sample(text, "agentkit_model_retries_total" + sonnet + "}"),
              3);                                                              // 1 before the reply, 2 between the 503s
    EXPECT_EQ(sample(text, "agentkit_model_retries_total" + haiku + "}"), 0);  // a 401 is not retried
    EXPECT_EQ(sample(text, R"(agentkit_model_fallbacks_total{router="router",route="default"})"), 1);
    EXPECT_EQ(sample(text, R"(agentkit_model_fallbacks_total{router="router",route="fast"})"), 1);
    // Every attempt's duration; time to first token only for the streamed answer.
    EXPECT_EQ(sample(text, "agentkit_model_request_duration_seconds_count" + sonnet + "}"), 5);
    EXPECT_EQ(sample(text, "agentkit_model_time_to_first_token_seconds_count" + sonnet + "}"), 1);
    EXPECT_EQ(sample(text, "agentkit_model_time_to_first_token_seconds_count" + small + "}"), 0);
    // Scripted usage is ceil(chars / 4): prompt "hello there" = 3; "abcdefgh" = 2; "echo: hello there" = 5.
    EXPECT_EQ(sample(text, "agentkit_model_tokens_total" + sonnet + R"(,direction="input"})"), 3);
    EXPECT_EQ(sample(text, "agentkit_model_tokens_total" + sonnet + R"(,direction="output"})"), 2);
    EXPECT_EQ(sample(text, "agentkit_model_tokens_total" + small + R"(,direction="output"})"), 10);
    EXPECT_DOUBLE_EQ(sample(text, "agentkit_model_cost_usd" + sonnet + "}"), (3 * 3.0 + 2 * 15.0) / 1e6);
    EXPECT_DOUBLE_EQ(sample(text, "agentkit_model_cost_usd" + small + "}"), 2 * (3 * 1.0 + 5 * 2.0) / 1e6);
    EXPECT_EQ(sample(text, "agentkit_model_cost_usd" + haiku + "}"), 0);  // no price listed

    // The router's own stats agree.
    const auto s = rt.statistics();
    EXPECT_EQ(s.retries, 3u);
    EXPECT_EQ(s.fallbacks, 2u);
}

TEST(RouterMetrics, AFullBulkheadAndAnOpenCircuitAreCountedAsAttemptsNotMade) {
    observe::metric_registry registry;
    auto cfg = config_for_test();
    cfg.breaker.sliding_window_size = 2;
    cfg.breaker.minimum_number_of_calls = 2;
    cfg.breaker.wait_duration_in_open_state = std::chrono::hours(1);
    router rt(cfg);
    rt.attach_metrics(registry, "edge");
    scripted_provider cloud;
    cloud.otherwise([](const chat_request&) { return step::fail(500, "down"); });
    rt.add_provider("cloud", std::move(cloud));
    rt.add_provider("backup", scripted_provider{});
    EXPECT_EQ(rt.complete(ask()).reply.content(), "echo: hello there");  // two 500s open the circuit
    const std::string text = std::string("\n").append(
        observe::to_prometheus_text(registry));  // not "\n" + ...: g++ 12 -O3 false -Wstringop-overflow
    EXPECT_EQ(
        sample(text,
               R"(agentkit_model_errors_total{router="edge",provider="cloud",model="sonnet",class="server_error"})"),
        2);
    EXPECT_EQ(
        sample(text,
               R"(agentkit_model_errors_total{router="edge",provider="cloud",model="sonnet",class="circuit_open"})"),
        1);
}

TEST(RouterMetrics, TwoRoutersShareTheFamiliesByInstanceLabel) {
    observe::metric_registry registry;
    router a(config_for_test()), b(config_for_test());
    a.attach_metrics(registry, "a");
    b.attach_metrics(registry, "b");
    a.add_provider("cloud", scripted_provider{});
    b.add_provider("cloud", scripted_provider{});
    a.complete(ask());
    b.complete(ask());
    b.complete(ask());
    const std::string text = std::string("\n").append(
        observe::to_prometheus_text(registry));  // not "\n" + ...: g++ 12 -O3 false -Wstringop-overflow
    EXPECT_EQ(sample(text, R"(agentkit_model_requests_total{router="a",provider="cloud",model="sonnet"})"), 1);
    EXPECT_EQ(sample(text, R"(agentkit_model_requests_total{router="b",provider="cloud",model="sonnet"})"), 2);
    std::size_t families = 0;
    for (std::size_t at = text.find("# TYPE agentkit_model_requests_total"); at != std::string::npos;
         at = text.find("# TYPE agentkit_model_requests_total", at + 1))
        ++families;
    EXPECT_EQ(families, 1u);
}

// Explicit routes name targets at will: past max_metric_targets they share the provider's "_other" series.
TEST(RouterMetrics, ExplicitTargetsAreBounded) {
    observe::metric_registry registry;
    auto cfg = config_for_test();
    cfg.max_metric_targets = 2;
    router rt(cfg);
    rt.attach_metrics(registry);
    rt.add_provider("cloud", scripted_provider{});
    for (const char* m : {"cloud:a", "cloud:b", "cloud:c", "cloud:d"}) rt.complete(ask(m));
    const std::string text = std::string("\n").append(
        observe::to_prometheus_text(registry));  // not "\n" + ...: g++ 12 -O3 false -Wstringop-overflow
    EXPECT_EQ(sample(text, R"(agentkit_model_requests_total{router="router",provider="cloud",model="a"})"), 1);
    EXPECT_EQ(sample(text, R"(agentkit_model_requests_total{router="router",provider="cloud",model="_other"})"), 2);
    EXPECT_EQ(sample(text, R"(agentkit_model_requests_total{router="router",provider="cloud",model="c"})"), -1);
}

TEST(RouterMetrics, PassesPromtool) {
    if (::access("/usr/bin/promtool", X_OK) != 0) GTEST_SKIP() << "promtool is not installed";
    observe::metric_registry registry;
    router rt(config_for_test());
    rt.attach_metrics(registry);
    rt.add_provider("cloud", scripted_provider{step::fail(503), step::reply("x")});
    rt.add_provider("backup", scripted_provider{});
    rt.stream(ask(), [](const chat_delta&) {});
    rt.complete(ask("fast"));
    const std::string path = ::testing::TempDir() + "router_metrics.prom";
    {
        std::ofstream out(path, std::ios::binary);
        out << observe::to_prometheus_text(registry);
    }
    const std::string cmd = "/usr/bin/promtool check metrics < '" + path + "' 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string report;
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) report += buf;
    const int status = ::pclose(p);
    EXPECT_EQ(status, 0) << report;
    EXPECT_EQ(report, "") << report;  // no lint complaints either
    std::remove(path.c_str());
}

}  // namespace model_router_metrics_test
