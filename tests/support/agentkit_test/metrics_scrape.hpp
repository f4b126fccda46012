#pragma once
// Reading a Prometheus text scrape in tests: the value of one series, the lines of one family, and
// `promtool check metrics` on the whole text (skipped when /usr/bin/promtool is not installed).
#include <agentkit/observe/metric_registry.hpp>
#include <agentkit/observe/prometheus_text.hpp>

#include <agentkit_test/numbered.hpp>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

namespace agentkit_test {

// The value of the sample whose name and labels are exactly `series` ("x_total{cache=\"a\"}"), or nullopt.
inline std::optional<double> sample(const std::string& text, std::string_view series) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ')
            return std::stod(line.substr(series.size() + 1));
    }
    return std::nullopt;
}

// Every line that starts with `prefix`, in order.
inline std::vector<std::string> lines_starting(const std::string& text, std::string_view prefix) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.compare(0, prefix.size(), prefix) == 0) out.push_back(line);
    return out;
}

inline constexpr const char* promtool_path = "/usr/bin/promtool";

inline bool have_promtool() { return ::access(promtool_path, X_OK) == 0; }

// What `promtool check metrics` printed for `body` (empty: no complaint); rc is its exit status.
inline std::string promtool_report(const std::string& body, int& rc) {
    const auto path = std::filesystem::temp_directory_path() /
        (agentkit_test::numbered("agentkit_metrics_", ::getpid()) + "_" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".prom");
    std::ofstream(path) << body;
    const std::string out = path.string() + ".out";
    const std::string cmd =
        std::string(promtool_path) + " check metrics < '" + path.string() + "' > '" + out + "' 2>&1";
    rc = std::system(cmd.c_str());
    std::ifstream in(out);
    std::string report((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove(path);
    std::filesystem::remove(out);
    return report;
}

}  // namespace agentkit_test

// In a TEST body: skips when promtool is missing, otherwise asserts it accepts the registry's text.
#define AGENTKIT_EXPECT_PROMTOOL_ACCEPTS(registry)                                                            \
    do {                                                                                                      \
        if (!::agentkit_test::have_promtool()) GTEST_SKIP() << "promtool not installed at /usr/bin/promtool"; \
        int promtool_rc_ = 0;                                                                                 \
        const auto promtool_text_ = ::agentkit::observe::to_prometheus_text(registry);                        \
        const auto promtool_out_ = ::agentkit_test::promtool_report(promtool_text_, promtool_rc_);            \
        EXPECT_EQ(promtool_rc_, 0) << promtool_out_ << "\n" << promtool_text_;                                \
        EXPECT_EQ(promtool_out_, "") << promtool_text_;                                                       \
    } while (0)
