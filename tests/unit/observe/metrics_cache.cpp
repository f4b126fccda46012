// Cache metrics: every cache front reports agentkit_cache_*{cache="<instance>"} to a metric_registry after
// attach_metrics; the scrape's values are checked exactly after known sequences of lookups and writes.
#include <agentkit/agent/response_caching.hpp>
#include <agentkit/cache/cache.hpp>
#include <agentkit/cache/embedding_cache.hpp>
#include <agentkit/cache/response_cache.hpp>
#include <agentkit/cache/tool_result_cache.hpp>
#include <agentkit/core/clock.hpp>
#include <agentkit/observe/metric_registry.hpp>
#include <agentkit/observe/prometheus_text.hpp>

#include <agentkit_test/numbered.hpp>
#include <agentkit_test/metrics_scrape.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace metrics_cache_test {

namespace obs = agentkit::observe;
namespace cache = agentkit::cache;
using agentkit_test::sample;
using namespace std::chrono_literals;

using lru_cache = cache::cache<std::string, std::string, cache::lru>;

double value(const obs::metric_registry& reg, const std::string& series) {
    const auto v = sample(obs::to_prometheus_text(reg), series);
    EXPECT_TRUE(v.has_value()) << "no series " << series << " in\n" << obs::to_prometheus_text(reg);
    return v.value_or(-1);
}

TEST(CacheMetrics, LruCountsAKnownSequenceExactly) {
    obs::metric_registry reg;
    lru_cache c({.max_size = 2});
    c.attach_metrics(reg, "tools");
    EXPECT_FALSE(c.get("a"));  // miss
    c.put("a", "1");
    c.put("b", "2");
    EXPECT_TRUE(c.get("a"));       // hit: b is now the least recently used
    c.put("c", "3");               // evicts b
    EXPECT_FALSE(c.get("b"));      // miss
    EXPECT_TRUE(c.get("c"));       // hit
    EXPECT_TRUE(c.find("a"));      // hit (in place)
    EXPECT_TRUE(c.contains("c"));  // not a lookup: no stats
    const auto text = obs::to_prometheus_text(reg);
    EXPECT_EQ(sample(text, "agentkit_cache_hits_total{cache=\"tools\"}"), 3);
    EXPECT_EQ(sample(text, "agentkit_cache_misses_total{cache=\"tools\"}"), 2);
    EXPECT_EQ(sample(text, "agentkit_cache_evictions_total{cache=\"tools\"}"), 1);
    EXPECT_EQ(sample(text, "agentkit_cache_expirations_total{cache=\"tools\"}"), 0);
    EXPECT_EQ(sample(text, "agentkit_cache_entries{cache=\"tools\"}"), 2);
    // Entry-counted caches have no byte gauge.
    EXPECT_FALSE(text.find("agentkit_cache_size_bytes") != std::string::npos) << text;
    // The registry agrees with the cache's own statistics.
    const auto s = c.statistics();
    EXPECT_EQ(s.hits, 3u);
    EXPECT_EQ(s.misses, 2u);
    EXPECT_EQ(s.evictions, 1u);
    // Removals and clear() bring the entries gauge down with the cache.
    EXPECT_TRUE(c.invalidate("a"));
    EXPECT_EQ(value(reg, "agentkit_cache_entries{cache=\"tools\"}"), 1);
    c.put("d", "4");
    c.clear();
    EXPECT_EQ(value(reg, "agentkit_cache_entries{cache=\"tools\"}"), 0);
}

TEST(CacheMetrics, TwoCachesShareEachFamilyAndDifferByTheCacheLabel) {
    obs::metric_registry reg;
    lru_cache response({.max_size = 10}), tools({.max_size = 10});
    response.attach_metrics(reg, "response");
    tools.attach_metrics(reg, "tools");
    response.put("k", "v");
    (void)response.get("k");
    (void)tools.get("k");
    const auto text = obs::to_prometheus_text(reg);
    EXPECT_EQ(agentkit_test::lines_starting(text, "# TYPE agentkit_cache_hits_total").size(), 1u) << text;
    EXPECT_EQ(agentkit_test::lines_starting(text, "agentkit_cache_hits_total{").size(), 2u) << text;
    EXPECT_EQ(sample(text, "agentkit_cache_hits_total{cache=\"response\"}"), 1);
    EXPECT_EQ(sample(text, "agentkit_cache_hits_total{cache=\"tools\"}"), 0);
    EXPECT_EQ(sample(text, "agentkit_cache_misses_total{cache=\"tools\"}"), 1);
    EXPECT_EQ(sample(text, "agentkit_cache_entries{cache=\"response\"}"), 1);
    EXPECT_EQ(sample(text, "agentkit_cache_entries{cache=\"tools\"}"), 0);
}

// Attaching one instance name twice is allowed: both caches add into the same series, and a cache that
// goes away takes its entries out of the gauge.
TEST(CacheMetrics, OneInstanceNameAttachedTwiceSumsBothCaches) {
    obs::metric_registry reg;
    lru_cache a({.max_size = 10});
    a.attach_metrics(reg, "shared");
    {
        lru_cache b({.max_size = 10});
        b.attach_metrics(reg, "shared");
        a.put("1", "x");
        b.put("1", "x");
        b.put("2", "y");
        (void)a.get("1");
        (void)b.get("1");
        (void)b.get("3");
        EXPECT_EQ(value(reg, "agentkit_cache_hits_total{cache=\"shared\"}"), 2);
        EXPECT_EQ(value(reg, "agentkit_cache_misses_total{cache=\"shared\"}"), 1);
        EXPECT_EQ(value(reg, "agentkit_cache_entries{cache=\"shared\"}"), 3);
    }
    EXPECT_EQ(value(reg, "agentkit_cache_entries{cache=\"shared\"}"), 1);
    EXPECT_EQ(value(reg, "agentkit_cache_hits_total{cache=\"shared\"}"), 2);  // counters keep what was counted
}

TEST(CacheMetrics, AttachingLateOrAgainMovesTheEntriesHeld) {
    obs::metric_registry reg;
    lru_cache c({.max_size = 10});
    c.put("a", "1");
    c.put("b", "2");
    (void)c.get("a");  // before attaching: not reported
    c.attach_metrics(reg, "first");
    EXPECT_EQ(value(reg, "agentkit_cache_entries{cache=\"first\"}"), 2);
    EXPECT_EQ(value(reg, "agentkit_cache_hits_total{cache=\"first\"}"), 0);
    c.attach_metrics(reg, "second");
    EXPECT_EQ(value(reg, "agentkit_cache_entries{cache=\"first\"}"), 0);
    EXPECT_EQ(value(reg, "agentkit_cache_entries{cache=\"second\"}"), 2);
    c.attach_series({});  // detached: reports nothing more, takes its entries out
    (void)c.get("a");
    EXPECT_EQ(value(reg, "agentkit_cache_entries{cache=\"second\"}"), 0);
    EXPECT_EQ(value(reg, "agentkit_cache_hits_total{cache=\"second\"}"), 0);
}

TEST(CacheMetrics, CopiesAndMovesKeepTheEntriesGaugeExact) {
    obs::metric_registry reg;
    auto c = std::make_unique<lru_cache>(lru_cache::config{.max_size = 10});
    c->attach_metrics(reg, "copied");
    c->put("a", "1");
    c->put("b", "2");
    {
        lru_cache copy = *c;  // holds the same two entries, reports to the same series
        EXPECT_EQ(value(reg, "agentkit_cache_entries{cache=\"copied\"}"), 4);
        (void)copy.get("a");
        EXPECT_EQ(value(reg, "agentkit_cache_hits_total{cache=\"copied\"}"), 1);
    }
    EXPECT_EQ(value(reg, "agentkit_cache_entries{cache=\"copied\"}"), 2);
    lru_cache moved = std::move(*c);
    c.reset();  // the moved-from cache reports nothing, so destroying it changes nothing
    EXPECT_EQ(value(reg, "agentkit_cache_entries{cache=\"copied\"}"), 2);
    moved.put("c", "3");
    EXPECT_EQ(value(reg, "agentkit_cache_entries{cache=\"copied\"}"), 3);
}

TEST(CacheMetrics, ExpiredEntriesCountAsExpirationsAndMisses) {
    obs::metric_registry reg;
    agentkit::manual_clock clock;
    cache::cache<std::string, std::string, cache::lru, cache::ttl<agentkit::manual_clock>> c(
        {.max_size = 10, .expiry = {.ttl = 10s, .clock = clock}});
    c.attach_metrics(reg, "ttl");
    c.put("a", "1");
    c.put("b", "2");
    clock.advance(11s);
    EXPECT_FALSE(c.get("a"));          // expired on lookup: a miss and an expiration
    EXPECT_EQ(c.clear_expired(), 1u);  // b
    const auto text = obs::to_prometheus_text(reg);
    EXPECT_EQ(sample(text, "agentkit_cache_expirations_total{cache=\"ttl\"}"), 2);
    EXPECT_EQ(sample(text, "agentkit_cache_misses_total{cache=\"ttl\"}"), 1);
    EXPECT_EQ(sample(text, "agentkit_cache_hits_total{cache=\"ttl\"}"), 0);
    EXPECT_EQ(sample(text, "agentkit_cache_entries{cache=\"ttl\"}"), 0);
}

// A byte-capacity, sharded W-TinyLFU cache (the response cache): the gauges track the cache's own
// statistics exactly, across shards, through evictions and replacements.
TEST(CacheMetrics, ResponseCacheReportsBytesAndMatchesItsStatistics) {
    obs::metric_registry reg;
    cache::response_cache rc({.cache_size = 4096, .max_entry_size = 1024});
    rc.attach_metrics(reg);
    for (int i = 0; i < 200; ++i) {
        const std::string prompt = agentkit_test::numbered("prompt ", i % 50);
        if (!rc.get("gpt-4o", prompt)) rc.put("gpt-4o", prompt, std::string(static_cast<std::size_t>(20 + i % 7), 'r'));
    }
    rc.put("gpt-4o", "prompt 1", std::string(300, 'x'));  // a replacement re-weighs an entry
    const auto s = rc.statistics();
    const auto text = obs::to_prometheus_text(reg);
    EXPECT_EQ(sample(text, "agentkit_cache_hits_total{cache=\"response\"}"), static_cast<double>(s.hits));
    EXPECT_EQ(sample(text, "agentkit_cache_misses_total{cache=\"response\"}"), static_cast<double>(s.misses));
    EXPECT_EQ(sample(text, "agentkit_cache_evictions_total{cache=\"response\"}"), static_cast<double>(s.evictions));
    EXPECT_EQ(sample(text, "agentkit_cache_entries{cache=\"response\"}"), static_cast<double>(s.size));
    EXPECT_EQ(sample(text, "agentkit_cache_size_bytes{cache=\"response\"}"), static_cast<double>(s.weight));
    EXPECT_EQ(s.hits + s.misses, 200u);
    EXPECT_GT(s.evictions, 0u);
}

TEST(CacheMetrics, ThreadsOnAShardedCacheAreCountedExactly) {
    obs::metric_registry reg;
    cache::cache<std::string, std::string, cache::w_tinylfu, cache::no_expiry, cache::max_entries, cache::sharded<4>> c(
        {.max_size = 1000});
    c.attach_metrics(reg, "sharded");
    for (int i = 0; i < 100; ++i) c.put(agentkit_test::numbered("k", i), "v");
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 1000; ++i) (void)c.get(agentkit_test::numbered("k", i % 200));  // half hit, half miss
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(value(reg, "agentkit_cache_hits_total{cache=\"sharded\"}"), 2000);
    EXPECT_EQ(value(reg, "agentkit_cache_misses_total{cache=\"sharded\"}"), 2000);
    EXPECT_EQ(value(reg, "agentkit_cache_entries{cache=\"sharded\"}"), 100);
}

TEST(CacheMetrics, ReadyMadeFrontsUseTheirOwnInstanceNames) {
    obs::metric_registry reg;
    cache::tool_result_cache tools;
    cache::embedding_cache embeddings;
    tools.attach_metrics(reg);
    embeddings.attach_metrics(reg);
    tools.put("read_file", R"({"path":"a"})", "contents");
    EXPECT_TRUE(tools.get("read_file", R"({ "path" : "a" })"));
    EXPECT_FALSE(embeddings.get("text-embedding-3-small", "hello"));
    const auto text = obs::to_prometheus_text(reg);
    EXPECT_EQ(sample(text, "agentkit_cache_hits_total{cache=\"tools\"}"), 1);
    EXPECT_EQ(sample(text, "agentkit_cache_entries{cache=\"tools\"}"), 1);
    EXPECT_EQ(sample(text, "agentkit_cache_misses_total{cache=\"embeddings\"}"), 1);
}

// The agent's response-cache slot builds its cache on first use: attaching before that registers the series
// (at zero), and the cache reports to them once built.
TEST(CacheMetrics, TheAgentsSizedResponseCacheReportsOnceBuilt) {
    obs::metric_registry reg;
    agentkit::response_caching<>::sized_cache slot;
    slot.attach_metrics(reg);
    EXPECT_FALSE(slot.constructed());
    EXPECT_EQ(value(reg, "agentkit_cache_misses_total{cache=\"response\"}"), 0);
    EXPECT_FALSE(slot.get("gpt-4o", "hi"));
    EXPECT_TRUE(slot.put("gpt-4o", "hi", "hello"));
    EXPECT_TRUE(slot.get("gpt-4o", "hi"));
    EXPECT_TRUE(slot.constructed());
    const auto text = obs::to_prometheus_text(reg);
    EXPECT_EQ(sample(text, "agentkit_cache_hits_total{cache=\"response\"}"), 1);
    EXPECT_EQ(sample(text, "agentkit_cache_misses_total{cache=\"response\"}"), 1);
    EXPECT_EQ(sample(text, "agentkit_cache_entries{cache=\"response\"}"), 1);
    EXPECT_EQ(sample(text, "agentkit_cache_size_bytes{cache=\"response\"}"),
              static_cast<double>(slot.statistics().weight));
    // Attaching after it was built moves it to the new instance.
    slot.attach_metrics(reg, "responses_v2");
    EXPECT_EQ(value(reg, "agentkit_cache_entries{cache=\"response\"}"), 0);
    EXPECT_EQ(value(reg, "agentkit_cache_entries{cache=\"responses_v2\"}"), 1);
}

TEST(CacheMetrics, ANameTakenByAnotherKindOfMetricIsATypedError) {
    obs::metric_registry reg;
    reg.add_gauge("agentkit_cache_hits", "someone else's gauge");
    lru_cache c({.max_size = 10});
    try {
        c.attach_metrics(reg, "x");
        FAIL() << "expected agentkit::error";
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::make_error_code(agentkit::errc::invalid_argument));
        EXPECT_EQ(e.field(), "metric.name");
    }
    // Same name and type, other labels: also refused.
    obs::metric_registry reg2;
    reg2.add_counter("agentkit_cache_misses", "other labels", {"name"});
    EXPECT_THROW(c.attach_metrics(reg2, "x"), agentkit::error);
}

TEST(CacheMetrics, PromtoolAcceptsTheCacheFamilies) {
    obs::metric_registry reg;
    cache::response_cache rc;
    lru_cache tools({.max_size = 10});
    rc.attach_metrics(reg);
    tools.attach_metrics(reg, "tools");
    rc.put("m", "p", "r");
    (void)rc.get("m", "p");
    (void)tools.get("x");
    AGENTKIT_EXPECT_PROMTOOL_ACCEPTS(reg);
}

}  // namespace metrics_cache_test
