#include <agentkit/core/clock.hpp>
#include <agentkit/json/document.hpp>
#include <agentkit/observe/health.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>

namespace observe_health_test {

namespace obs = agentkit::observe;
namespace json = agentkit::json;
using namespace std::chrono_literals;

TEST(HealthAggregate, EmptyRegistryIsOk) {
    obs::health_registry<> h;
    const auto r = h.run();
    EXPECT_EQ(r.status, obs::health_status::ok);
    EXPECT_EQ(r.http_status(), 200);
    EXPECT_EQ(r.to_json(), "{\"status\":\"ok\",\"checks\":{}}");
}

TEST(HealthAggregate, WorstRequiredCheckWins) {
    obs::health_registry<> h;
    obs::health_status db = obs::health_status::ok;
    h.add("sqlite", [&] { return obs::health_result{db, "db"}; });
    h.add("disk", [] { return obs::health_result::ok("82% free"); });
    EXPECT_EQ(h.run().status, obs::health_status::ok);
    db = obs::health_status::degraded;
    EXPECT_EQ(h.run().status, obs::health_status::degraded);
    EXPECT_EQ(h.run().http_status(), 200);
    db = obs::health_status::failing;
    EXPECT_EQ(h.run().status, obs::health_status::failing);
    EXPECT_EQ(h.run().http_status(), 503);
}

TEST(HealthAggregate, OptionalDependencyOnlyDegrades) {
    obs::health_registry<> h;
    h.add("gateway", [] { return obs::health_result::ok(); });
    h.add(
        "upstream_model", [] { return obs::health_result::failing("connection refused"); },
        obs::health_impact::degrades);
    const auto r = h.run();
    EXPECT_EQ(r.status, obs::health_status::degraded);
    EXPECT_EQ(r.checks[1].status, obs::health_status::failing);  // the check itself still says failing
    EXPECT_EQ(r.http_status(), 200);
}

TEST(HealthAggregate, ThrowingCheckFailsWithItsMessage) {
    obs::health_registry<> h;
    h.add("memory", []() -> obs::health_result { throw std::runtime_error("out of handles"); });
    h.add("channels", []() -> obs::health_result { throw 42; });
    const auto r = h.run();
    EXPECT_EQ(r.status, obs::health_status::failing);
    EXPECT_EQ(r.checks[0].message, "check threw: out of handles");
    EXPECT_EQ(r.checks[1].message, "check threw a non-standard exception");
}

TEST(HealthJson, ParsesAndCarriesEveryCheckWithManualClockDurations) {
    agentkit::manual_clock clock;
    obs::health_registry<agentkit::manual_clock> h(clock);
    h.add("sqlite", [&] {
        clock.advance(1500us);
        return obs::health_result::ok();
    });
    h.add(
        "model", [] { return obs::health_result::degraded("p99 \"slow\"\n\\ 2.3 s \x01"); },
        obs::health_impact::degrades);
    h.add("bytes", [] { return obs::health_result::failing("bad \xff utf8 caf\xc3\xa9"); });
    const auto r = h.run();
    const auto text = r.to_json();
    const auto doc = json::parse(text, "health");
    EXPECT_EQ(json::as_string_view(doc["status"]), "failing");
    const auto& checks = doc["checks"];
    ASSERT_TRUE(checks.IsObject());
    EXPECT_EQ(checks.MemberCount(), 3u);
    EXPECT_EQ(json::as_string_view(checks["sqlite"]["status"]), "ok");
    EXPECT_DOUBLE_EQ(checks["sqlite"]["duration_ms"].GetDouble(), 1.5);
    EXPECT_FALSE(checks["sqlite"]["optional"].GetBool());
    EXPECT_EQ(json::as_string_view(checks["model"]["message"]), "p99 \"slow\"\n\\ 2.3 s \x01");
    EXPECT_TRUE(checks["model"]["optional"].GetBool());
    // Invalid UTF-8 is written byte by byte as \u00XX (Latin-1), so the body stays valid JSON.
    EXPECT_EQ(json::as_string_view(checks["bytes"]["message"]), "bad \xc3\xbf utf8 caf\xc3\x83\xc2\xa9");
}

TEST(HealthRegistration, BadNamesAndDuplicatesNameTheCheck) {
    obs::health_registry<> h;
    h.add("sqlite", [] { return obs::health_result::ok(); });
    try {
        h.add("sqlite", [] { return obs::health_result::ok(); });
        FAIL() << "duplicate accepted";
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "health.checks[sqlite]");
    }
    EXPECT_THROW(h.add("", [] { return obs::health_result::ok(); }), agentkit::error);
    EXPECT_THROW(h.add("has space", [] { return obs::health_result::ok(); }), agentkit::error);
    EXPECT_THROW(h.add("null", nullptr), agentkit::error);
    EXPECT_EQ(h.size(), 1u);
}

}  // namespace observe_health_test
