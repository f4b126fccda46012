#include <agentkit/observe/metric_registry.hpp>

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace observe_metric_registry_test {

namespace obs = agentkit::observe;

std::string field_of(auto&& f) {
    try {
        f();
    } catch (const agentkit::error& e) {
        return e.field();
    }
    return "<no error>";
}

TEST(RegistryFamilies, SeedMetricNamesAreExpressibleDirectly) {
    obs::metric_registry reg;
    auto& http = reg.add_histogram("http_request_duration_seconds", "HTTP request latency", {"method", "route"});
    reg.add_histogram("agent_execution_duration_seconds", "Agent run latency", {"agent"});
    reg.add_histogram("memory_operation_duration_seconds", "Memory operation latency", {"operation"});
    auto& cpu = reg.add_counter("process_cpu_seconds_total", "CPU seconds");
    reg.add_gauge("process_resident_memory_bytes", "Resident memory");
    EXPECT_EQ(cpu.name(), "process_cpu_seconds");  // exposed as process_cpu_seconds_total
    EXPECT_EQ(reg.families().size(), 5u);
    auto& s = http.with({"POST", "/v1/chat/completions"});
    EXPECT_EQ(&s, &http.with({"POST", "/v1/chat/completions"}));  // same series, stable reference
    EXPECT_NE(&s, &http.with({"GET", "/health"}));
    EXPECT_EQ(http.size(), 2u);
}

TEST(RegistryFamilies, SeriesAreVisitedInLabelOrder) {
    obs::metric_registry reg;
    auto& c = reg.add_counter("tool_executions", "Tool executions", {"tool"});
    c.with({"web_search"}).increment(2);
    c.with({"read_file"}).increment();
    std::vector<std::string> seen;
    c.for_each([&](const std::vector<std::string>& labels, const obs::counter& v) {
        seen.push_back(labels[0] + "=" + std::to_string(v.value()));
    });
    EXPECT_EQ(seen, (std::vector<std::string>{"read_file=1", "web_search=2"}));
}

TEST(RegistryErrors, BadNamesNameTheField) {
    obs::metric_registry reg;
    EXPECT_EQ(field_of([&] { reg.add_counter("http-requests", "x"); }), "metric.name");
    EXPECT_EQ(field_of([&] { reg.add_gauge("queue depth", "x"); }), "metric.name");
    EXPECT_EQ(field_of([&] { reg.add_counter("requests", "x", {"ok", "__name__"}); }), "requests.labels[1]");
    EXPECT_EQ(field_of([&] { reg.add_counter("requests", "x", {"a", "a"}); }), "requests.labels[1]");
    EXPECT_EQ(field_of([&] { reg.add_histogram("lat_seconds", "x", {"le"}); }), "lat_seconds.labels[0]");
    obs::histogram_options summary;
    summary.expose_as = obs::histogram_options::exposition::summary;
    EXPECT_EQ(field_of([&] { reg.add_histogram("lat_seconds", "x", {"quantile"}, summary); }), "lat_seconds.labels[0]");
    EXPECT_NO_THROW(reg.add_histogram("lat2_seconds", "x", {"le"}, summary));  // `le` is free on a summary
    EXPECT_EQ(reg.families().size(), 1u);  // failed registrations left nothing behind
}

TEST(RegistryErrors, BadOptionsNameTheField) {
    obs::metric_registry reg;
    obs::histogram_options o;
    o.buckets = {0.1, 0.1};
    EXPECT_EQ(field_of([&] { reg.add_histogram("a_seconds", "x", {}, o); }), "a_seconds.buckets[1]");
    o.buckets = {0.1, std::numeric_limits<double>::infinity()};
    EXPECT_EQ(field_of([&] { reg.add_histogram("a_seconds", "x", {}, o); }), "a_seconds.buckets[1]");
    o.buckets = {-1.0, 0.1};
    EXPECT_EQ(field_of([&] { reg.add_histogram("a_seconds", "x", {}, o); }), "a_seconds.buckets[0]");
    o.buckets = {0.1};
    o.unit = 0;
    EXPECT_EQ(field_of([&] { reg.add_histogram("a_seconds", "x", {}, o); }), "a_seconds.unit");
    obs::histogram_options s;
    s.expose_as = obs::histogram_options::exposition::summary;
    s.quantiles = {0.5, 1.5};
    EXPECT_EQ(field_of([&] { reg.add_histogram("a_seconds", "x", {}, s); }), "a_seconds.quantiles[1]");
}

TEST(RegistryErrors, DuplicateAndCollidingNamesAreRefused) {
    obs::metric_registry reg;
    reg.add_counter("requests_total", "x");
    EXPECT_THROW(reg.add_counter("requests", "x"), agentkit::error);      // same family
    EXPECT_THROW(reg.add_gauge("requests_total", "x"), agentkit::error);  // same exposed name
    reg.add_histogram("lat", "x");
    EXPECT_THROW(reg.add_gauge("lat_count", "x"), agentkit::error);     // collides with lat_count
    EXPECT_THROW(reg.add_counter("lat_bucket", "x"), agentkit::error);  // lat_bucket_total is free, lat_bucket is not
}

TEST(RegistryErrors, WrongLabelValuesNameTheSeries) {
    obs::metric_registry reg;
    auto& c = reg.add_counter("requests", "x", {"method", "status"});
    EXPECT_EQ(field_of([&] { c.with({"GET"}); }), "requests.labels");
    EXPECT_EQ(field_of([&] { c.get(); }), "requests.labels");
    EXPECT_EQ(field_of([&] { c.with({"GET", "\xff"}); }), "requests{status}");
    EXPECT_EQ(c.size(), 0u);
}

TEST(RegistryConcurrency, ConcurrentLookupsShareOneSeries) {
    obs::metric_registry reg;
    auto& c = reg.add_counter("hits", "x", {"shard"});
    std::vector<std::thread> ts;
    for (int t = 0; t < 4; ++t)
        ts.emplace_back([&] {
            for (int i = 0; i < 2000; ++i) c.with({i % 2 ? "odd" : "even"}).increment();
        });
    for (auto& t : ts) t.join();
    EXPECT_EQ(c.with({"odd"}).value(), 4000u);
    EXPECT_EQ(c.with({"even"}).value(), 4000u);
}

}  // namespace observe_metric_registry_test
