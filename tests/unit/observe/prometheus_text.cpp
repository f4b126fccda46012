#include <agentkit/observe/process_metrics.hpp>
#include <agentkit/observe/prometheus_text.hpp>

#include <agentkit_test/metrics_scrape.hpp>
#include <agentkit_test/peer_data.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace observe_prometheus_text_test {

namespace obs = agentkit::observe;
using namespace std::chrono_literals;

std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

TEST(PrometheusTextCounter, TotalSuffixHelpTypeAndEscapedLabels) {
    obs::metric_registry reg;
    auto& c = reg.add_counter("tool_executions", "Tool executions\nby tool \\ status", {"tool", "path"});
    c.with({"read_file", "C:\\tmp \"x\"\nnext"}).increment(3);
    c.with({"bash", "/"}).increment();
    const auto text = obs::to_prometheus_text(reg);
    EXPECT_EQ(lines_of(text),
              (std::vector<std::string>{
                  "# HELP tool_executions_total Tool executions\\nby tool \\\\ status",
                  "# TYPE tool_executions_total counter",
                  "tool_executions_total{tool=\"bash\",path=\"/\"} 1",
                  "tool_executions_total{tool=\"read_file\",path=\"C:\\\\tmp \\\"x\\\"\\nnext\"} 3",
              }));
    EXPECT_EQ(text.back(), '\n');
}

TEST(PrometheusTextCounter, StripedCountersExposeTheirSum) {
    obs::metric_registry reg;
    auto& tokens = reg.add_striped_counter("llm_tokens_total", "Tokens used", {"model"});
    std::vector<std::thread> ts;
    for (int t = 0; t < 3; ++t)
        ts.emplace_back([&] {
            for (int i = 0; i < 1000; ++i) tokens.with({"gpt-4o"}).increment(2);
        });
    for (auto& t : ts) t.join();
    EXPECT_EQ(lines_of(obs::to_prometheus_text(reg)),
              (std::vector<std::string>{
                  "# HELP llm_tokens_total Tokens used",
                  "# TYPE llm_tokens_total counter",
                  "llm_tokens_total{model=\"gpt-4o\"} 6000",
              }));
    EXPECT_THROW(reg.add_counter("llm_tokens", "x"), agentkit::error);  // same exposed name
}

TEST(PrometheusTextGauge, NoLabelsAndShortestDoubles) {
    obs::metric_registry reg;
    reg.add_gauge("process_resident_memory_bytes", "RSS").get().set(387973120);
    reg.add_gauge("cache_hit_rate", "ratio", {"type"}).with({"embedding"}).set(0.94);
    auto& nan = reg.add_gauge("odd_values", "x", {"k"});
    nan.with({"inf"}).set(std::numeric_limits<double>::infinity());
    nan.with({"nan"}).set(std::nan(""));
    nan.with({"neg"}).set(-0.5);
    EXPECT_EQ(lines_of(obs::to_prometheus_text(reg)),
              (std::vector<std::string>{
                  "# HELP process_resident_memory_bytes RSS",
                  "# TYPE process_resident_memory_bytes gauge",
                  "process_resident_memory_bytes 387973120",
                  "# HELP cache_hit_rate ratio",
                  "# TYPE cache_hit_rate gauge",
                  "cache_hit_rate{type=\"embedding\"} 0.94",
                  "# HELP odd_values x",
                  "# TYPE odd_values gauge",
                  "odd_values{k=\"inf\"} +Inf",
                  "odd_values{k=\"nan\"} NaN",
                  "odd_values{k=\"neg\"} -0.5",
              }));
}

TEST(PrometheusTextHistogram, CumulativeBucketsInfSumCount) {
    obs::metric_registry reg;
    obs::histogram_options o;
    o.buckets = {0.005, 0.01, 0.1, 1};
    auto& h = reg.add_histogram("http_request_duration_seconds", "Request latency", {"route"}, o);
    auto& chat = h.with({"/v1/chat"});
    chat.record(1ms);    // <= 0.005
    chat.record(3ms);    // <= 0.005
    chat.record(50ms);   // <= 0.1
    chat.record(500ms);  // <= 1
    chat.record(30s);    // only +Inf
    EXPECT_EQ(lines_of(obs::to_prometheus_text(reg)),
              (std::vector<std::string>{
                  "# HELP http_request_duration_seconds Request latency",
                  "# TYPE http_request_duration_seconds histogram",
                  "http_request_duration_seconds_bucket{route=\"/v1/chat\",le=\"0.005\"} 2",
                  "http_request_duration_seconds_bucket{route=\"/v1/chat\",le=\"0.01\"} 2",
                  "http_request_duration_seconds_bucket{route=\"/v1/chat\",le=\"0.1\"} 3",
                  "http_request_duration_seconds_bucket{route=\"/v1/chat\",le=\"1\"} 4",
                  "http_request_duration_seconds_bucket{route=\"/v1/chat\",le=\"+Inf\"} 5",
                  "http_request_duration_seconds_sum{route=\"/v1/chat\"} 30.554",
                  "http_request_duration_seconds_count{route=\"/v1/chat\"} 5",
              }));
}

TEST(PrometheusTextHistogram, BucketCountsAreMonotoneAndEndAtCount) {
    obs::metric_registry reg;
    auto& h = reg.add_histogram("agent_execution_duration_seconds", "x").get();
    for (int i = 1; i <= 1000; ++i) h.record(std::chrono::microseconds(i * 37));
    const auto lines = lines_of(obs::to_prometheus_text(reg));
    std::uint64_t prev = 0;
    int buckets = 0;
    for (const auto& l : lines) {
        if (l.rfind("agent_execution_duration_seconds_bucket", 0) != 0) continue;
        const auto v = std::stoull(l.substr(l.rfind(' ') + 1));
        EXPECT_GE(v, prev) << l;
        prev = v;
        ++buckets;
    }
    EXPECT_EQ(buckets, 12);  // 11 default bounds + +Inf
    EXPECT_EQ(prev, 1000u);
    EXPECT_EQ(lines.back(), "agent_execution_duration_seconds_count 1000");
}

TEST(PrometheusTextSummary, QuantileLabelsFromTheHistogram) {
    obs::metric_registry reg;
    obs::histogram_options o;
    o.expose_as = obs::histogram_options::exposition::summary;
    auto& h = reg.add_histogram("caxton_memory_search_latency_seconds", "Search latency", {}, o);
    auto& s = h.get();
    for (int i = 1; i <= 100; ++i) s.record(std::chrono::milliseconds(i));
    reg.add_histogram("empty_seconds", "none yet", {"k"}, o).with({"v"});
    const auto lines = lines_of(obs::to_prometheus_text(reg));
    ASSERT_EQ(lines.size(), 7u + 7u);
    EXPECT_EQ(lines[1], "# TYPE caxton_memory_search_latency_seconds summary");
    const double expected[] = {0.05, 0.095, 0.099};
    const char* labels[] = {"{quantile=\"0.5\"}", "{quantile=\"0.95\"}", "{quantile=\"0.99\"}"};
    for (int i = 0; i < 3; ++i) {
        const auto& l = lines[2 + static_cast<std::size_t>(i)];
        ASSERT_EQ(l.rfind(std::string("caxton_memory_search_latency_seconds") + labels[i] + " ", 0), 0u) << l;
        EXPECT_NEAR(std::stod(l.substr(l.rfind(' ') + 1)), expected[i], expected[i] / 128) << l;
    }
    EXPECT_EQ(lines[5], "caxton_memory_search_latency_seconds_sum 5.05");
    EXPECT_EQ(lines[6], "caxton_memory_search_latency_seconds_count 100");
    EXPECT_EQ(lines[9], "empty_seconds{k=\"v\",quantile=\"0.5\"} NaN");
    EXPECT_EQ(lines[13], "empty_seconds_count{k=\"v\"} 0");
}

TEST(PrometheusTextOrder, FamiliesInRegistrationOrderAndAppendAccumulates) {
    obs::metric_registry reg;
    reg.add_gauge("zeta", "z").get().set(1);
    reg.add_counter("alpha", "a").get().increment();
    std::string out = "prefix\n";
    obs::write_prometheus_text(out, reg);
    EXPECT_EQ(out,
              "prefix\n# HELP zeta z\n# TYPE zeta gauge\nzeta 1\n# HELP alpha_total a\n# TYPE alpha_total "
              "counter\nalpha_total 1\n");
    EXPECT_EQ(obs::prometheus_content_type, "text/plain; version=0.0.4; charset=utf-8");
}

TEST(PrometheusTextConcurrency, ScrapesWhileRecordingStayConsistent) {
    obs::metric_registry reg;
    auto& h = reg.add_histogram("lat_seconds", "x", {"k"}).with({"a"});
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        for (std::uint64_t i = 0; !stop.load(std::memory_order_relaxed); ++i) h.record((i % 5000) * 10'000);
    });
    std::uint64_t last_count = 0;
    for (int scrape = 0; scrape < 50; ++scrape) {
        const auto lines = lines_of(obs::to_prometheus_text(reg));
        std::uint64_t prev = 0, inf = 0, count = 0;
        for (const auto& l : lines) {
            if (l[0] == '#') continue;
            const auto v = std::stoull(l.substr(l.rfind(' ') + 1));
            if (l.rfind("lat_seconds_bucket", 0) == 0) {
                EXPECT_GE(v, prev) << l;  // cumulative within one scrape
                prev = v;
                if (l.find("+Inf") != std::string::npos) inf = v;
            } else if (l.rfind("lat_seconds_count", 0) == 0) {
                count = v;
            }
        }
        EXPECT_EQ(inf, count);  // +Inf and _count come from the same snapshot
        EXPECT_GE(count, last_count);
        last_count = count;
    }
    stop = true;
    writer.join();
}

// The real Prometheus linter on our output (Debian: prometheus; scripts/bootstrap installs it).
TEST(PrometheusTextPromtool, CheckMetricsAcceptsOurOutput) {
    if (std::system("command -v promtool >/dev/null 2>&1") != 0)
        AGENTKIT_MISSING_PEER() << "promtool not installed (Debian package prometheus: run scripts/bootstrap)";
    obs::metric_registry reg;
    reg.add_counter("http_requests_total", "HTTP requests", {"method", "code"}).with({"GET", "200"}).increment(7);
    reg.add_gauge("lane_queue_depth", "Requests waiting per lane", {"lane"}).with({"default"}).set(3);
    auto& h = reg.add_histogram("http_request_duration_seconds", "Latency \"quoted\" \\ help", {"route"});
    h.with({"/v1/chat \"x\"\n"}).record(12ms);
    obs::histogram_options o;
    o.expose_as = obs::histogram_options::exposition::summary;
    reg.add_histogram("memory_operation_duration_seconds", "Memory op latency", {"operation"}, o)
        .with({"search"})
        .record(3ms);
    std::string body = obs::to_prometheus_text(reg);
    obs::write_process_metrics(body, obs::read_process_stats());
    int rc = 0;
    const std::string report = agentkit_test::promtool_report(body, rc);
    EXPECT_EQ(rc, 0) << report;
    EXPECT_EQ(report, "") << report;
}

}  // namespace observe_prometheus_text_test
